/**
 * Private-key parsing and the user-data signature primitives of both backends, checked
 * against node:crypto directly (an independent OpenSSL path) and against each other.
 */
import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SigningKey } from '../src/crypto/backend.js';
import { signingKeyFromPrivateKey, verificationKeyOf } from '../src/crypto/keys.js';
import { nodeBackend } from '../src/crypto/node.js';
import { portableBackend } from '../src/crypto/portable.js';
import { CURVE_ORDER, type PrivateKeyInfo, parsePrivateKey } from '../src/crypto/private-key.js';
import { p256 as nobleP256, p384 as nobleP384, p521 as nobleP521 } from '@noble/curves/nist.js';
import { ecdsaDerToRaw, ecdsaRawToDer, pssMaxSaltLength, rsaPssSha512Verify } from '../src/crypto/signature.js';

const enc = (s: string) => new TextEncoder().encode(s);
const u8 = (b: Buffer | string) => new Uint8Array(typeof b === 'string' ? Buffer.from(b) : b);

function ec(namedCurve: string) {
  return generateKeyPairSync('ec', { namedCurve });
}
/** Fixed keys (scripts/gen-user-keys.ts): generating RSA-3072 on every run is slow. */
const fixture = (f: string) => {
  const privateKey = createPrivateKey(readFileSync(join(import.meta.dirname, 'fixtures', 'user-keys', f)));
  return { privateKey, publicKey: createPublicKey(privateKey) };
};
const rsa2048 = fixture('rsa-2048.pem');
const rsa3072 = fixture('rsa-3072.pem');
const p521 = fixture('ec-p521.pem');

function jwkD(k: KeyObject): Buffer {
  return Buffer.from((k.export({ format: 'jwk' }) as { d: string }).d, 'base64url');
}

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('parsePrivateKey', () => {
  const forms = (k: KeyObject, sec1: boolean): [string, Uint8Array][] => {
    const out: [string, Uint8Array][] = [
      ['pkcs8 pem', u8(k.export({ type: 'pkcs8', format: 'pem' }) as string)],
      ['pkcs8 der', u8(k.export({ type: 'pkcs8', format: 'der' }))],
    ];
    if (sec1) {
      out.push(['sec1 pem', u8(k.export({ type: 'sec1', format: 'pem' }) as string)]);
      out.push(['sec1 der', u8(k.export({ type: 'sec1', format: 'der' }))]);
    }
    return out;
  };

  for (const [curve, name, size] of [
    ['prime256v1', 'P-256', 32],
    ['secp384r1', 'P-384', 48],
    ['secp521r1', 'P-521', 66],
  ] as const) {
    const { privateKey } = ec(curve);
    const d = jwkD(privateKey);
    for (const [form, bytes] of forms(privateKey, true)) {
      it(`EC ${name} as ${form}`, () => {
        const k = parsePrivateKey(bytes) as Extract<PrivateKeyInfo, { kind: 'ec' }>;
        expect(k.kind).toBe('ec');
        expect(k.curve).toBe(name);
        expect(
          Buffer.from(k.scalar)
            .toString('hex')
            .padStart(2 * size, '0'),
        ).toBe(d.toString('hex'));
      });
    }
  }

  it('EC key after an EC PARAMETERS block and text (openssl ecparam -genkey)', () => {
    const { privateKey } = ec('secp384r1');
    const text = `some comment\n-----BEGIN EC PARAMETERS-----\nBgUrgQQAIg==\n-----END EC PARAMETERS-----\n${privateKey.export({ type: 'sec1', format: 'pem' })}`;
    const k = parsePrivateKey(enc(text));
    expect(k.kind === 'ec' && k.curve).toBe('P-384');
  });

  for (const kind of ['ed25519', 'ed448'] as const) {
    const { privateKey } = generateKeyPairSync(kind as 'ed25519');
    const d = jwkD(privateKey);
    for (const [form, bytes] of forms(privateKey, false)) {
      it(`${kind} as ${form}`, () => {
        const k = parsePrivateKey(bytes);
        expect(k.kind).toBe(kind);
        expect(k.kind === kind && Buffer.from(k.privateKey).equals(d)).toBe(true);
      });
    }
  }

  for (const [form, bytes] of [
    ['pkcs8 pem', u8(rsa2048.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)],
    ['pkcs1 pem', u8(rsa2048.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string)],
    ['pkcs1 der', u8(rsa2048.privateKey.export({ type: 'pkcs1', format: 'der' }))],
    ['pkcs8 der', u8(rsa2048.privateKey.export({ type: 'pkcs8', format: 'der' }))],
  ] as const) {
    it(`RSA-2048 as ${form}`, () => {
      const k = parsePrivateKey(bytes);
      expect(k.kind === 'rsa' && k.modulusBits).toBe(2048);
    });
  }

  it('names keys it does not use', () => {
    const k1 = parsePrivateKey(u8(ec('secp256k1').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string));
    expect(k1).toMatchObject({ kind: 'ec', curveName: 'secp256k1' });
    expect((k1 as { curve?: string }).curve).toBeUndefined();
    const k2 = parsePrivateKey(u8(generateKeyPairSync('x25519').privateKey.export({ type: 'pkcs8', format: 'der' })));
    expect(k2).toEqual({ kind: 'other', name: 'x25519' });
  });

  it('rejects what is not a private key, with ERR_KEY_PARSE', () => {
    const encrypted = u8(p521.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }) as string);
    expect(codeOf(() => parsePrivateKey(encrypted))).toBe('ERR_KEY_PARSE');
    expect(codeOf(() => parsePrivateKey(new Uint8Array(0)))).toBe('ERR_KEY_PARSE');
    expect(codeOf(() => parsePrivateKey(enc('hello')))).toBe('ERR_KEY_PARSE');
    expect(codeOf(() => parsePrivateKey(u8(p521.publicKey.export({ type: 'spki', format: 'pem' }) as string)))).toBe('ERR_KEY_PARSE');
    expect(codeOf(() => parsePrivateKey(u8(p521.publicKey.export({ type: 'spki', format: 'der' }))))).toBe('ERR_KEY_PARSE');
    const der = u8(p521.privateKey.export({ type: 'pkcs8', format: 'der' }));
    expect(codeOf(() => parsePrivateKey(der.subarray(0, der.length - 1)))).toBe('ERR_KEY_PARSE');
    expect(codeOf(() => parsePrivateKey(new Uint8Array([...der, 0])))).toBe('ERR_KEY_PARSE');
  });

  it('rejects an out-of-range EC scalar with ERR_INVALID_PRIVATE_KEY', () => {
    // SEC 1 ECPrivateKey on P-256 with d = n (the group order).
    const n = 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551';
    const der = Buffer.from(`30310201010420${n}a00a06082a8648ce3d030107`, 'hex');
    expect(codeOf(() => parsePrivateKey(u8(der)))).toBe('ERR_INVALID_PRIVATE_KEY');
  });

  it('takes 1 ≤ d < n on every supported curve, as noble does', () => {
    const tlv = (tag: number, body: Buffer) =>
      Buffer.concat([Buffer.from([tag]), body.length < 0x80 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]), body]);
    /** SEC 1 ECPrivateKey (RFC 5915) with scalar `d` and the curve's OID. */
    const sec1 = (d: bigint, size: number, oid: string) =>
      tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([1])), tlv(0x04, Buffer.from(d.toString(16).padStart(2 * size, '0'), 'hex')), tlv(0xa0, tlv(0x06, Buffer.from(oid, 'hex')))]));
    const curves = [
      ['P-256', 32, '2a8648ce3d030107', nobleP256],
      ['P-384', 48, '2b81040022', nobleP384],
      ['P-521', 66, '2b81040023', nobleP521],
    ] as const;
    for (const [curve, size, oid, noble] of curves) {
      const n = CURVE_ORDER[curve];
      expect(n, curve).toBe(noble.Point.Fn.ORDER);
      for (const [d, ok] of [[1n, true], [n - 1n, true], [n, false], [n + 1n, false]] as const) {
        const der = sec1(d, size, oid);
        expect(noble.utils.isValidSecretKey(Buffer.from(d.toString(16).padStart(2 * size, '0').slice(-2 * size), 'hex')), `${curve} noble d=${d}`).toBe(ok);
        const k = ok ? parsePrivateKey(u8(der)) : undefined;
        if (ok) expect(k?.kind === 'ec' && k.curve, `${curve} d=${d}`).toBe(curve);
        else expect(codeOf(() => parsePrivateKey(u8(der))), `${curve} d=${d}`).toBe('ERR_INVALID_PRIVATE_KEY');
      }
    }
  });
});

describe('ECDSA DER conversion', () => {
  it('round-trips r ‖ s with high bits and leading zeros', () => {
    const raw = new Uint8Array(132);
    raw[0] = 0;
    raw[1] = 0x80;
    raw[65] = 7;
    raw[66] = 0;
    raw[67] = 0;
    raw[68] = 1;
    const der = ecdsaRawToDer(raw);
    expect(Buffer.from(ecdsaDerToRaw(der)!).equals(Buffer.from(raw))).toBe(true);
    expect(ecdsaDerToRaw(new Uint8Array([0x30, 0]))).toBeUndefined();
  });
});

function signingKey(k: KeyObject): SigningKey {
  const key = signingKeyFromPrivateKey(parsePrivateKey(u8(k.export({ type: 'pkcs8', format: 'der' }))));
  if (!key) throw new Error('no signing key');
  return key;
}

const nodeOptions = (pub: KeyObject, saltLength = constants.RSA_PSS_SALTLEN_AUTO) =>
  pub.asymmetricKeyType === 'rsa' ? { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength } : { key: pub, dsaEncoding: 'der' as const };

describe('signSha512 / verifySha512', () => {
  const msg = enc('the request without its tag'.repeat(40));
  const keys = [
    ['EC P-521', p521],
    ['RSA-2048', rsa2048],
    ['RSA-3072', rsa3072],
  ] as const;

  for (const backend of [nodeBackend, portableBackend]) {
    for (const [label, pair] of keys) {
      it(`${backend.name} signs ${label}; node:crypto and both backends verify`, async () => {
        const key = signingKey(pair.privateKey);
        const sig = await backend.signSha512(key, msg);
        expect(nodeVerify('sha512', msg, nodeOptions(pair.publicKey), sig)).toBe(true);
        for (const other of [nodeBackend, portableBackend]) {
          expect(await other.verifySha512(verificationKeyOf(key), msg, sig)).toBe(true);
          expect(await other.verifySha512(verificationKeyOf(key), msg.subarray(1), sig)).toBe(false);
          const bad = sig.slice();
          bad[10] = (bad[10] as number) ^ 1;
          expect(await other.verifySha512(verificationKeyOf(key), msg, bad)).toBe(false);
        }
        if (key.type === 'rsa') {
          expect(sig.length).toBe(key.modulusBits / 8);
          // The maximum salt length, as OpenSSL 3.0 signs by default.
          expect(nodeVerify('sha512', msg, nodeOptions(pair.publicKey, pssMaxSaltLength(key.modulusBits)), sig)).toBe(true);
          expect(nodeVerify('sha512', msg, nodeOptions(pair.publicKey, 64), sig)).toBe(false);
        } else {
          expect(sig.length).toBeLessThanOrEqual(139);
          expect(sig[0]).toBe(0x30);
        }
      });
    }
  }

  it('ECDSA signatures must be DER, not merely BER (as OpenSSL insists)', async () => {
    const key = signingKey(p521.privateKey);
    const der = await nodeBackend.signSha512(key, msg);
    const raw = ecdsaDerToRaw(der) as Uint8Array;
    // r with a superfluous leading zero byte: same value, not DER.
    const r = [0, ...raw.subarray(0, 66)];
    const s = [...raw.subarray(66)];
    const body = [0x02, r.length, ...r, 0x02, s.length, ...s];
    const ber = new Uint8Array([0x30, 0x81, body.length, ...body]);
    for (const backend of [nodeBackend, portableBackend]) {
      expect(await backend.verifySha512(verificationKeyOf(key), msg, der), backend.name).toBe(true);
      expect(await backend.verifySha512(verificationKeyOf(key), msg, ber), backend.name).toBe(false);
    }
  });

  it('RSA-PSS verification detects any salt length (OpenSSL 3.1+ signs with 64)', () => {
    const key = signingKey(rsa2048.privateKey);
    if (key.type !== 'rsa') throw new Error('rsa');
    for (const saltLength of [0, 20, 64, 190]) {
      const sig = nodeSign('sha512', msg, { key: rsa2048.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
      expect(rsaPssSha512Verify(key.components.n, key.components.e, msg, u8(sig))).toBe(true);
    }
    // PKCS#1 v1.5 is not PSS.
    const v15 = nodeSign('sha512', msg, { key: rsa2048.privateKey, padding: constants.RSA_PKCS1_PADDING });
    expect(rsaPssSha512Verify(key.components.n, key.components.e, msg, u8(v15))).toBe(false);
  });

  it('a public key from createPublicKey matches the parsed signing key', () => {
    const key = signingKey(p521.privateKey);
    const jwk = createPublicKey(createPrivateKey(p521.privateKey.export({ type: 'pkcs8', format: 'pem' }))).export({ format: 'jwk' }) as { x: string };
    expect(key.type === 'ec-p521' && Buffer.from(key.publicKey.subarray(1, 67)).toString('base64url')).toBe(jwk.x);
  });
});
