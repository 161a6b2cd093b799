/**
 * The harness itself: it must catch what it is for (untyped errors, hangs), and the
 * fixes it led to must hold (linear PEM splitting, equal to the obvious regex).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePem, encodePem } from '../../src/internal/pem.js';
import { parseCertificates } from '../../src/certs/index.js';
import { InputError } from '../../src/errors.js';
import { type FuzzTarget, fuzzBitFlips, fuzzMutations, fuzzRandomBytes, fuzzTruncations, runOnce } from './harness.js';
import { PEM_DICTIONARY } from './seeds.js';

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
      // A synchronous call that takes 30 ms, sleeping instead of spinning.
      parse: () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30),
      seeds: [seed],
    };
    await expect(runOnce(slow, seed, 10)).rejects.toThrow(/budget 10 ms/);
  });
});

describe('decodePem (OpenSSL framing, linear)', () => {
  const enc = new TextEncoder();
  const words = [...PEM_DICTIONARY, '-----END A-----', '-----BEGIN A-----', 'A', ' ', 'QUJD', '-', 'x', '\n', '\r\n'];

  it('never throws on text soup: blocks or undefined', () => {
    const soup = fc.array(fc.constantFrom(...words), { maxLength: 40 }).map((w) => enc.encode(w.join('')));
    fc.assert(
      fc.property(soup, (bytes) => {
        const ours = decodePem(bytes);
        expect(ours === undefined || Array.isArray(ours)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('finds every block of well-formed text, with any lines between and CRLF or LF', () => {
    const block = fc.record({ label: fc.constantFrom('CERTIFICATE', 'X509 CRL', 'PRIVATE KEY'), der: fc.uint8Array({ maxLength: 200 }) });
    const filler = fc.constantFrom('', 'text before\n', 'subject=CN x\n', '  indented\n');
    fc.assert(
      fc.property(fc.array(fc.tuple(filler, block), { maxLength: 5 }), fc.boolean(), (parts, crlf) => {
        let text = parts.map(([f, b]) => f + encodePem(b.label, b.der)).join('');
        if (crlf) text = text.replace(/\n/g, '\r\n');
        const ours = decodePem(enc.encode(text));
        expect(ours?.map((b) => [b.label, Buffer.from(b.der).toString('hex')])).toEqual(parts.map(([, b]) => [b.label, Buffer.from(b.der).toString('hex')]));
      }),
      { numRuns: 300 },
    );
  });

  it('terminates on 4 MiB of unmatched BEGIN markers (was quadratic: minutes)', () => {
    const bytes = enc.encode('-----BEGIN CERTIFICATE-----\n'.repeat(150_000));
    expect(bytes.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(decodePem(bytes)).toBeUndefined(); // no END line: refused, as by OpenSSL
    expect(() => parseCertificates(bytes)).toThrowError(expect.objectContaining({ code: 'ERR_CERT_PARSE' }));
  }, 10_000);
});
