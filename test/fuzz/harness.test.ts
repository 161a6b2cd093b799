/**
 * The harness itself: it must catch what it is for (untyped errors, hangs), and the
 * fixes it led to must hold (linear PEM splitting, equal to the obvious regex).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePem } from '../../src/certs/pem.js';
import { parseCertificates } from '../../src/certs/x509.js';
import { InputError } from '../../src/errors.js';
import { type FuzzTarget, fuzzBitFlips, fuzzMutations, fuzzRandomBytes, fuzzTruncations, runOnce } from './harness.js';
import { PEM_DICTIONARY, pemSeeds } from './seeds.js';

const seed = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);

describe('fuzz harness', () => {
  it('accepts values and typed errors, reports the outcome', async () => {
    const t: FuzzTarget = {
      name: 'typed',
      parse: (b) => {
        if (b.length < 4) throw new InputError('ERR_TRUNCATED', 'x: short');
        return b.length;
      },
      seeds: [seed],
    };
    expect(await runOnce(t, seed)).toBe('ok');
    expect(await runOnce(t, seed.subarray(0, 2))).toBe('ERR_TRUNCATED');
    const counts = await fuzzTruncations(t);
    expect(Object.fromEntries(counts)).toEqual({ ERR_TRUNCATED: 4, ok: 5 });
  });

  it('fails on an untyped error in each property', async () => {
    const t: FuzzTarget = {
      name: 'untyped',
      parse: (b) => {
        if (b.length !== 8 || b[0] !== 1) throw new TypeError('boom');
      },
      seeds: [seed],
    };
    await expect(fuzzRandomBytes(t)).rejects.toThrow(/untyped TypeError: boom/);
    await expect(fuzzTruncations(t)).rejects.toThrow(/untyped TypeError/);
    await expect(fuzzBitFlips(t)).rejects.toThrow(/untyped TypeError/);
    await expect(fuzzMutations(t)).rejects.toThrow(/untyped TypeError/);
  });

  it('fails on a rejected promise that is not typed, and on a promise that never settles', async () => {
    const rejecting: FuzzTarget = {
      name: 'async',
      parse: async () => {
        throw new RangeError('no');
      },
      seeds: [seed],
    };
    await expect(runOnce(rejecting, seed)).rejects.toThrow(/untyped RangeError/);
    const hanging: FuzzTarget = { name: 'hang', parse: () => new Promise(() => {}), seeds: [seed] };
    await expect(runOnce(hanging, seed, 50)).rejects.toThrow(/no answer within 50 ms/);
    const slow: FuzzTarget = {
      name: 'slow',
      parse: () => {
        const end = performance.now() + 30;
        while (performance.now() < end);
      },
      seeds: [seed],
    };
    await expect(runOnce(slow, seed, 10)).rejects.toThrow(/budget 10 ms/);
  });
});

/** The obvious PEM splitter (a lazy regex with a back-reference): the reference behaviour. */
function naiveDecodePem(bytes: Uint8Array): { label: string; body: string }[] {
  const text = new TextDecoder('latin1').decode(bytes);
  return [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)].map((m) => ({ label: m[1]!, body: m[2]! }));
}

describe('decodePem (fixed to be linear)', () => {
  const enc = new TextEncoder();
  const words = [...PEM_DICTIONARY, '-----END A-----', '-----BEGIN A-----', 'A', ' ', 'QUJD', '-', 'x'];

  it('finds the same blocks as the lazy back-reference regex', () => {
    const soup = fc.array(fc.constantFrom(...words), { maxLength: 40 }).map((w) => enc.encode(w.join('')));
    fc.assert(
      fc.property(soup, (bytes) => {
        const ours = decodePem(bytes);
        const naive = naiveDecodePem(bytes);
        // decodePem returns undefined as soon as a body is not base64; compare up to there
        const b64 = (s: string) => {
          const c = s.replace(/\s/g, '');
          return /^[A-Za-z0-9+/]*={0,2}$/.test(c) && c.length % 4 === 0;
        };
        const firstBad = naive.findIndex((m) => !b64(m.body));
        if (firstBad >= 0) {
          expect(ours).toBeUndefined();
          return;
        }
        expect(ours?.map((b) => b.label)).toEqual(naive.map((m) => m.label));
        expect(ours?.map((b) => Buffer.from(b.der).toString('base64'))).toEqual(
          naive.map((m) => Buffer.from(m.body.replace(/\s/g, ''), 'base64').toString('base64')),
        );
      }),
      { numRuns: 500 },
    );
    for (const s of pemSeeds) expect(decodePem(s)?.length).toBe(naiveDecodePem(s).length);
  });

  it('terminates on 4 MiB of unmatched BEGIN markers (was quadratic: minutes)', () => {
    const bytes = enc.encode('-----BEGIN CERTIFICATE-----\n'.repeat(150_000));
    expect(bytes.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(decodePem(bytes)).toEqual([]);
    expect(() => parseCertificates(bytes)).toThrowError(expect.objectContaining({ code: 'ERR_CERT_PARSE' }));
  }, 10_000);
});
