/** Certificate and CRL times: only the RFC 5280 forms, and no roll-over of impossible dates. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCertInfo } from '../src/certs/cert-info.js';
import { decodePem } from '../src/internal/pem.js';

const der = decodePem(readFileSync(join(import.meta.dirname, '..', 'samples', 'HKD-sample-1.crt')))![0]!.der;
// the sample's notBefore is UTCTime 250101000000Z (tag 0x17, length 13)
const at = Buffer.from(der).indexOf(Buffer.from('\x17\x0d250101000000Z', 'latin1'));

function withNotBefore(text: string, tag = 0x17): Uint8Array {
  const b = Buffer.from(der);
  expect(text.length).toBe(13);
  b[at] = tag;
  b.write(text, at + 2, 'latin1');
  return new Uint8Array(b);
}

const code = (bytes: Uint8Array) => {
  try {
    parseCertInfo(bytes, 'hkd');
    return 'ok';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe('certificate times', () => {
  it('reads the sample time', () => {
    expect(at).toBeGreaterThan(0);
    expect(parseCertInfo(der, 'hkd').notBefore.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(parseCertInfo(withNotBefore('491231235959Z'), 'hkd').notBefore.toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(parseCertInfo(withNotBefore('500101000000Z'), 'hkd').notBefore.toISOString()).toBe('1950-01-01T00:00:00.000Z');
  });

  it.each([
    ['month 13', '251301000000Z'],
    ['February 30', '250230000000Z'],
    ['hour 24', '250101240000Z'],
    ['no Z', '2501010000000'],
    ['letters', 'ABCDEFGHIJKLZ'],
    ['offset instead of Z', '2501010000+00'],
  ])('refuses %s', (_what, text) => {
    expect(code(withNotBefore(text))).toBe('ERR_CERT_PARSE');
  });
});
