/**
 * The P-521 point and scalar checks of src/crypto/p521.ts are plain bigint arithmetic
 * (so the node backend never loads @noble/curves). Here they are compared with noble's
 * own checks on valid and invalid inputs.
 */
import { p521 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { P521_POINT_SIZE, P521_SCALAR_SIZE } from '../src/crypto/backend.js';
import { assertP521Point, isOnP521, nobleP521, normalizeP521PrivateKey, P521_CURVE } from '../src/crypto/p521.js';

const { p, n } = P521_CURVE;

function bytesOf(v: bigint, size: number): Uint8Array {
  const hex = v.toString(16).padStart(2 * size, '0');
  if (hex.length > 2 * size) throw new RangeError('too large');
  return Uint8Array.from({ length: size }, (_, i) => Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

function point(x: bigint, y: bigint): Uint8Array {
  const out = new Uint8Array(P521_POINT_SIZE);
  out[0] = 4;
  out.set(bytesOf(x, P521_SCALAR_SIZE), 1);
  out.set(bytesOf(y, P521_SCALAR_SIZE), 67);
  return out;
}

function coordinates(q: Uint8Array): [bigint, bigint] {
  const hex = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex')}`);
  return [hex(q.subarray(1, 67)), hex(q.subarray(67))];
}

/** noble's verdict on an encoded point: fromBytes (range and format) plus assertValidity (on the curve). */
function nobleAccepts(q: Uint8Array): boolean {
  try {
    p521.Point.fromBytes(q).assertValidity();
    return true;
  } catch {
    return false;
  }
}

function oursAccepts(q: Uint8Array): boolean {
  try {
    assertP521Point(q);
    return true;
  } catch (e) {
    expect((e as { code?: string }).code).toBe('ERR_INVALID_PUBLIC_KEY');
    return false;
  }
}

const valid = [p521.Point.BASE.toBytes(false), ...Array.from({ length: 8 }, () => p521.getPublicKey(p521.utils.randomSecretKey(), false))];

describe('P-521 point check (bigint) agrees with noble', () => {
  it('the curve constants are noble’s', () => {
    expect(P521_CURVE.p).toBe(p521.Point.CURVE().p);
    expect(P521_CURVE.n).toBe(p521.Point.CURVE().n);
    expect(P521_CURVE.a).toBe(p521.Point.CURVE().a);
    expect(P521_CURVE.b).toBe(p521.Point.CURVE().b);
    expect(P521_CURVE.Gx).toBe(p521.Point.CURVE().Gx);
    expect(P521_CURVE.Gy).toBe(p521.Point.CURVE().Gy);
    // the lazily built curve is the same curve
    const d = p521.utils.randomSecretKey();
    expect(nobleP521().getPublicKey(d, false)).toEqual(p521.getPublicKey(d, false));
  });

  it('accepts valid points, and their negations', () => {
    for (const q of valid) {
      const [x, y] = coordinates(q);
      for (const r of [q, point(x, p - y)]) {
        expect(nobleAccepts(r)).toBe(true);
        expect(oursAccepts(r)).toBe(true);
      }
    }
  });

  it('refuses points off the curve', () => {
    for (const q of valid) {
      const [x, y] = coordinates(q);
      for (const r of [point(x, (y + 1n) % p), point((x + 1n) % p, y), point(x, 0n), point(0n, y)]) {
        expect(nobleAccepts(r)).toBe(false);
        expect(oursAccepts(r)).toBe(false);
      }
    }
  });

  it('refuses coordinates ≥ p, even where they are ≡ a valid coordinate mod p', () => {
    for (const q of valid.slice(0, 3)) {
      const [x, y] = coordinates(q);
      // x + p and y + p still fit in 66 bytes (p = 2^521 − 1) and reduce to the valid point.
      for (const r of [point(x + p, y), point(x, y + p), point(p, y), point(x, p), point(2n ** 528n - 1n, y)]) {
        expect(nobleAccepts(r)).toBe(false);
        expect(oursAccepts(r)).toBe(false);
      }
    }
  });

  it('refuses the point at infinity and (0, 0)', () => {
    expect(oursAccepts(new Uint8Array([0]))).toBe(false);
    expect(nobleAccepts(new Uint8Array([0]))).toBe(false);
    expect(oursAccepts(point(0n, 0n))).toBe(false);
    expect(nobleAccepts(point(0n, 0n))).toBe(false);
  });

  it('refuses every length and prefix but 133 bytes starting 04 (noble also reads compressed points; the wire form has none)', () => {
    const q = valid[1] as Uint8Array;
    for (const r of [q.subarray(0, 132), new Uint8Array([...q, 0]), new Uint8Array(0), p521.Point.fromBytes(q).toBytes(true)]) {
      expect(oursAccepts(r)).toBe(false);
    }
    for (const prefix of [0x00, 0x02, 0x03, 0x05, 0x06, 0x07]) {
      const r = new Uint8Array(q);
      r[0] = prefix;
      expect(oursAccepts(r)).toBe(false);
      expect(nobleAccepts(r)).toBe(false);
    }
  });

  it('isOnP521 on coordinates: negative or too large values are refused', () => {
    const [x, y] = coordinates(valid[0] as Uint8Array);
    expect(isOnP521(x, y)).toBe(true);
    expect(isOnP521(x - p, y)).toBe(false);
    expect(isOnP521(x, y - p)).toBe(false);
    expect(isOnP521(x + p, y)).toBe(false);
  });
});

describe('P-521 scalar check agrees with noble', () => {
  const noble = (d: Uint8Array) => p521.utils.isValidSecretKey(d);
  const ours = (d: Uint8Array) => {
    try {
      const out = normalizeP521PrivateKey(d);
      expect(out).toEqual(bytesOf(BigInt(`0x${Buffer.from(d).toString('hex') || '0'}`), P521_SCALAR_SIZE));
      return true;
    } catch (e) {
      expect((e as { code?: string }).code).toBe('ERR_INVALID_PRIVATE_KEY');
      return false;
    }
  };

  it('accepts 1 … n − 1 and refuses 0, n and above', () => {
    const cases: [bigint, boolean][] = [
      [0n, false],
      [1n, true],
      [2n, true],
      [n - 1n, true],
      [n, false],
      [n + 1n, false],
      [p, false],
      [2n ** 528n - 1n, false],
      [BigInt(`0x${Buffer.from(p521.utils.randomSecretKey()).toString('hex')}`), true],
    ];
    for (const [v, ok] of cases) {
      const d = bytesOf(v, P521_SCALAR_SIZE);
      expect(noble(d)).toBe(ok);
      expect(ours(d)).toBe(ok);
    }
  });

  it('takes any left-padding, and nothing that does not fit in 66 bytes', () => {
    const d = bytesOf(n - 1n, P521_SCALAR_SIZE);
    expect(ours(new Uint8Array([0, 0, ...d]))).toBe(true);
    expect(ours(d.subarray(1))).toBe(true);
    expect(ours(new Uint8Array([1, ...d]))).toBe(false);
  });

  it('leaves the given bytes untouched', () => {
    const d = bytesOf(12345n, 80);
    const before = new Uint8Array(d);
    normalizeP521PrivateKey(d);
    expect(d).toEqual(before);
  });
});
