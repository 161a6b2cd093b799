/**
 * Distinguished names: OpenSSL-equal comparison, the IBM signing-key subject rule and
 * the CRL lookup names; plus the DER reader and the input readers under random input.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSingle, readTlv } from '../src/internal/der.js';
import { isIbmSigningKeySubject, signingKeyCrlIssuerNames } from '../src/certs/ibm-names.js';
import { readCertificates, readCrlFile, readHostKeyDocument, readRootCa } from '../src/certs/inputs.js';
import { canonicalText, decodeName, formatName, namesEqual } from '../src/certs/names.js';
import { isSeSecretsError } from '../src/errors.js';

type Attr = [string, string, ('printableString' | 'utf8String' | 'bmpString' | 'ia5String')?];
/** A DER name from attributes, each its own RDN unless grouped. */
function name(...rdns: (Attr | Attr[])[]) {
  const json = rdns.map((r) => {
    const group = (Array.isArray(r[0]) ? r : [r]) as Attr[];
    const rdn: Record<string, { [k: string]: string }[]> = {};
    for (const [t, v, kind] of group) {
      rdn[t] ??= [];
      rdn[t].push({ [kind ?? 'utf8String']: v });
    }
    return rdn;
  });
  return decodeName(new Uint8Array(new x509.Name(json as x509.JsonNameParams).toArrayBuffer()));
}

const IBM = 'International Business Machines Corporation';
const C: Attr = ['C', 'US', 'printableString'];
const ST: Attr = ['ST', 'New York'];
const O: Attr = ['O', IBM];
const CN: Attr = ['CN', IBM];
const OU: Attr = ['OU', 'IBM Z Host Key Signing Service'];
const L = (v: string): Attr => ['L', v];

describe('name comparison as OpenSSL X509_NAME_cmp', () => {
  it('ignores case, outer spaces, inner runs of spaces and the string type', () => {
    expect(namesEqual(name(C, O, L('Poughkeepsie')), name(['C', 'us', 'utf8String'], ['O', '  international \t business   machines CORPORATION '], L('POUGHKEEPSIE')))).toBe(true);
    expect(namesEqual(name(['CN', 'abc', 'bmpString']), name(['CN', 'ABC', 'printableString']))).toBe(true);
  });
  it('is order-sensitive and RDN-structure-sensitive', () => {
    expect(namesEqual(name(C, O, L('Armonk')), name(O, C, L('Armonk')))).toBe(false);
    expect(namesEqual(name(C, O), name([C, O]))).toBe(false);
    expect(namesEqual(name([C, O]), name([O, C]))).toBe(true); // a SET: member order does not matter
  });
  it('does not equate different values or types', () => {
    expect(namesEqual(name(L('Armonk')), name(L('Armonk2')))).toBe(false);
    expect(namesEqual(name(['O', 'x']), name(['OU', 'x']))).toBe(false);
    expect(namesEqual(name(['O', 'a b']), name(['O', 'ab']))).toBe(false);
  });
  it('canonical text', () => {
    expect(canonicalText('  A  b\tC\n')).toBe('a b c');
    expect(canonicalText('Ünïcödé')).toBe('Ünïcödé');
  });
  it('formats for messages', () => {
    expect(formatName(name(C, O, [L('x'), ['OU', 'y']]))).toBe(`C=US, O=${IBM}, L=x + OU=y`);
  });
});

describe('the IBM Z signing key subject (six attributes, exact bytes, OU suffix)', () => {
  it('accepts Poughkeepsie and Armonk, in any attribute order', () => {
    expect(isIbmSigningKeySubject(name(C, ST, L('Poughkeepsie'), O, CN, OU))).toBe(true);
    expect(isIbmSigningKeySubject(name(C, O, CN, ST, L('Armonk'), OU))).toBe(true);
    expect(isIbmSigningKeySubject(name(OU, CN, L('Armonk'), ST, O, C))).toBe(true);
    expect(isIbmSigningKeySubject(name(C, ST, L('Poughkeepsie'), O, CN, ['OU', 'Key Signing Service']))).toBe(true);
  });
  it('refuses anything else', () => {
    const refuse = (...a: Attr[]) => expect(isIbmSigningKeySubject(name(...a)), JSON.stringify(a)).toBe(false);
    refuse(C, ST, L('poughkeepsie'), O, CN, OU); // case-sensitive
    refuse(C, ST, L('Poughkeepsie '), O, CN, OU); // no trimming
    refuse(C, ST, ['L', 'Poughkeepsie', 'bmpString'], O, CN, OU); // raw bytes differ
    refuse(C, ST, L('Endicott'), O, CN, OU);
    refuse(C, ST, L('Poughkeepsie'), O, CN, ['OU', 'Key Signing Service Invalid']);
    refuse(C, ST, L('Poughkeepsie'), O, CN); // five
    refuse(C, ST, L('Poughkeepsie'), O, CN, OU, ['2.5.4.5', '1']); // seven
    refuse(C, ST, L('Poughkeepsie'), O, ['CN', 'IBM'], OU);
  });
});

describe('CRL issuer names tried for the signing key', () => {
  it('Armonk: exact, Poughkeepsie, Poughkeepsie reordered, reordered', () => {
    const names = signingKeyCrlIssuerNames(name(C, ST, L('Armonk'), O, CN, OU)).map(formatName);
    expect(names).toEqual([
      `C=US, ST=New York, L=Armonk, O=${IBM}, CN=${IBM}, OU=IBM Z Host Key Signing Service`,
      `C=US, ST=New York, L=Poughkeepsie, O=${IBM}, CN=${IBM}, OU=IBM Z Host Key Signing Service`,
      `C=US, O=${IBM}, OU=IBM Z Host Key Signing Service, L=Poughkeepsie, ST=New York, CN=${IBM}`,
      `C=US, O=${IBM}, OU=IBM Z Host Key Signing Service, L=Armonk, ST=New York, CN=${IBM}`,
    ]);
  });
  it('Poughkeepsie: exact, reordered (never Armonk)', () => {
    const names = signingKeyCrlIssuerNames(name(C, ST, L('Poughkeepsie'), O, CN, OU)).map(formatName);
    expect(names).toHaveLength(2);
    expect(names.join()).not.toContain('Armonk');
  });
});

describe('readers under random and damaged input throw only typed errors', () => {
  const readers = [
    (b: Uint8Array) => readCertificates(b, 'x'),
    (b: Uint8Array) => readHostKeyDocument(b, 'x'),
    (b: Uint8Array) => readCrlFile(b, 'x'),
    (b: Uint8Array) => readRootCa(b, 'x'),
  ];
  const typedOnly = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (!isSeSecretsError(e)) throw e;
    }
  };
  it('random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
      for (const r of readers) typedOnly(() => r(b));
    }), { numRuns: 300 });
  });
  it('bit flips and truncations of a real certificate and CRL', async () => {
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const cert = new Uint8Array((await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=t', keys, notBefore: new Date(0), notAfter: new Date(1e12) })).rawData);
    const crlDer = new Uint8Array(
      (await x509.X509CrlGenerator.create({ issuer: 'CN=t', thisUpdate: new Date(0), nextUpdate: new Date(1e12), signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' }, signingKey: keys.privateKey, entries: [{ serialNumber: '01' }] })).rawData,
    );
    for (const base of [cert, crlDer]) {
      fc.assert(
        fc.property(fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 }), fc.nat(base.length), (i, x, cut) => {
          const flipped = base.slice();
          flipped[i] = (flipped[i] as number) ^ x;
          for (const r of readers) typedOnly(() => r(flipped));
          for (const r of readers) typedOnly(() => r(base.subarray(0, cut)));
        }),
        { numRuns: 300 },
      );
    }
  });
  it('the DER reader rejects indefinite and non-minimal lengths', () => {
    expect(() => readTlv(new Uint8Array([0x30, 0x80, 0, 0]))).toThrow(/indefinite/);
    expect(() => readTlv(new Uint8Array([0x04, 0x81, 0x01, 0]))).toThrow(/minimally/);
    expect(() => readSingle(new Uint8Array([0x05, 0x00, 0x00]))).toThrow(/trailing/);
  });
});
