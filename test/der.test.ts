/**
 * The shared DER layer (src/internal/der.ts) against plain asn1js and pkijs: each test
 * shows what the library does on its own and what the layer adds, which is the reason
 * that code exists. If a library changes, the test that pins its behaviour fails and
 * the layer's doc comment should be revisited.
 */
import 'reflect-metadata';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import { parseCertInfo } from '../src/certs/cert-info.js';
import { parseCrlInfo } from '../src/certs/crl-info.js';
import { readCrlFile } from '../src/certs/inputs.js';
import { parsePrivateKey } from '../src/crypto/private-key.js';
import { ecdsaDerToRaw } from '../src/crypto/signature.js';
import { isSeSecretsError } from '../src/errors.js';
import { BER, children, decodeOid, readOid, readSingle, readTlv } from '../src/internal/der.js';

const h = (hex: string) => new Uint8Array(Buffer.from(hex.replace(/ /g, ''), 'hex'));
const asn1 = (hex: string) => asn1js.fromBER(h(hex), { parseEmbedded: false });

async function p256Keys(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** A CRL as @peculiar/x509 writes it: entry 01 without extensions, entry 02 with a reason. */
async function sampleCrl(): Promise<Uint8Array> {
  const keys = await p256Keys();
  const crl = await x509.X509CrlGenerator.create({
    issuer: 'CN=t',
    thisUpdate: new Date(0),
    nextUpdate: new Date(1e12),
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    signingKey: keys.privateKey,
    entries: [
      { serialNumber: '01', revocationDate: new Date(0) },
      { serialNumber: '02', revocationDate: new Date(0), reason: 1 },
    ],
  });
  return new Uint8Array(crl.rawData);
}

describe('lengths: asn1js reads BER, the layer insists on DER unless asked for BER', () => {
  it('indefinite length', () => {
    const bytes = '30 80 05 00 00 00';
    expect(asn1(bytes).offset).toBe(6);
    expect(asn1(bytes).result.error).toBe('');
    expect(() => readSingle(h(bytes))).toThrow(/indefinite length is not DER/);
    const t = readSingle(h(bytes), BER);
    expect(Buffer.from(t.content).toString('hex')).toBe('0500');
    expect(children(t).map((c) => c.tag)).toEqual([0x05]);
  });
  it('long-form and zero-padded lengths', () => {
    for (const bytes of ['04 81 01 00', '04 82 00 81' + '00'.repeat(0x81)]) {
      expect(asn1(bytes).result.error).toBe('');
      expect(() => readSingle(h(bytes))).toThrow(/not minimally encoded/);
      expect(readSingle(h(bytes), BER).content.length).toBe(h(bytes)[1] === 0x81 ? 1 : 0x81);
    }
    expect(readSingle(h('04 81 80' + '00'.repeat(0x80))).content.length).toBe(0x80);
  });
  it('high tag numbers are refused in either mode', () => {
    expect(() => readTlv(h('9f 1f 01 00'))).toThrow(/high tag/);
    expect(() => readTlv(h('9f 1f 01 00'), BER)).toThrow(/high tag/);
  });
  it('trailing bytes and truncation', () => {
    expect(() => readSingle(h('05 00 00'))).toThrow(/1 trailing bytes/);
    expect(readTlv(h('05 00 00')).raw.length).toBe(2);
    expect(() => readTlv(h('30 05 05 00'))).toThrow(/malformed encoding/);
  });
});

describe('containment: asn1js lets a child run past its parent, the layer does not', () => {
  // 30 07 { 30 02 { 02 01 | 05 } 05 00 }: the inner SEQUENCE holds 2 bytes, but its
  // INTEGER wants one more, which asn1js takes from the outer SEQUENCE.
  const bytes = '30 07 30 02 02 01 05 05 00';
  it('asn1js reads a well-formed tree from it', () => {
    const r = asn1(bytes);
    expect([r.offset, r.result.error]).toEqual([9, '']);
    const [inner, next] = (r.result as asn1js.Sequence).valueBlock.value as [asn1js.Sequence, asn1js.Null];
    expect((inner.valueBlock.value[0] as asn1js.Integer).valueBlock.valueDec).toBe(5);
    expect(next).toBeInstanceOf(asn1js.Null);
  });
  it('the layer refuses it', () => {
    expect(() => children(readSingle(h(bytes)))).toThrow(/runs past the end/);
    expect(() => children(readSingle(h(bytes), BER))).toThrow(/runs past the end/);
  });
  it('also where verification never descends: a CRL whose tbs algorithm identifier is short', async () => {
    const crl = await sampleCrl();
    const at = Buffer.from(crl).indexOf(Buffer.from(h('30 0a 06 08 2a 86 48 ce 3d 04 03 02')));
    expect(at).toBeGreaterThan(0);
    const bad = crl.slice();
    bad[at + 1] = 0x06; // the OID inside now runs 4 bytes past it
    expect(asn1js.fromBER(bad).result.error).toBe('');
    expect(() => parseCrlInfo(bad, 'crl')).toThrow(/not a valid CRL: der: an element runs past the end/);
  });
});

describe('object identifiers: asn1js is lax, the layer decodes them itself', () => {
  it('a padded arc (DER forbids it) would alias another OID in asn1js', () => {
    expect(asn1('06 03 55 80 0e').result.error).toBe('');
    expect((asn1('06 03 55 80 0e').result as asn1js.ObjectIdentifier).getValue()).toBe('2.5.14');
    expect(decodeOid(h('55 0e'))).toBe('2.5.14');
    expect(() => decodeOid(h('55 80 0e'))).toThrow(/not minimally encoded/);
  });
  it('an empty OID is "" in asn1js and an error here', () => {
    expect((asn1('06 00').result as asn1js.ObjectIdentifier).getValue()).toBe('');
    expect(() => readOid(readSingle(h('06 00')), 'x')).toThrow(/empty object identifier/);
  });
  it('arcs beyond 2^53 stay numbers', () => {
    expect((asn1('06 0b 55 ff ff ff ff ff ff ff ff ff 7f').result as asn1js.ObjectIdentifier).getValue()).toContain('{');
    expect(decodeOid(h('55 ff ff ff ff ff ff ff ff ff 7f'))).toBe(`2.5.${(1n << 70n) - 1n}`);
  });
});

describe('elements are views into the input', () => {
  it('raw and content share the input buffer and keep its type', () => {
    const input = Buffer.from(h('ff 30 06 02 01 05 04 01 aa'));
    const t = readSingle(input.subarray(1));
    expect(Buffer.isBuffer(t.raw)).toBe(true);
    expect(t.raw.buffer).toBe(input.buffer);
    const [int, oct] = children(t);
    expect(int?.raw.byteOffset).toBe(input.byteOffset + 3);
    expect(Buffer.from(oct?.content ?? []).toString('hex')).toBe('aa');
  });
});

describe('CRLs: pkijs 4 cannot read an entry with an empty extension list; the layer can', () => {
  it('reads the entries @peculiar/x509 writes', async () => {
    const crl = await sampleCrl();
    // The first entry ends in `30 00`: crlEntryExtensions present and empty (OpenSSL reads it).
    expect(Buffer.from(crl).toString('hex')).toContain('020101170d3730303130313030303030305a3000');
    expect(() => new pkijs.CertificateRevocationList({ schema: asn1js.fromBER(crl).result })).toThrow(TypeError);
    const [info] = readCrlFile(crl, 'crl');
    expect(info?.revoked).toEqual([{ serial: 1n }, { serial: 2n, reason: 1 }]);
  });
});

describe('certificates are decoded whole, as OpenSSL d2i_X509 does', () => {
  it('an odd-length BMPString in the issuer fails the parse (OpenSSL refuses it too)', async () => {
    const keys = await p256Keys();
    const cert = new Uint8Array((await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=t', keys, notBefore: new Date(0), notAfter: new Date(1e12) })).rawData);
    expect(parseCertInfo(cert, 'c').version).toBe(3);
    const at = Buffer.from(cert).indexOf(Buffer.from(h('06 03 55 04 03'))); // the issuer's CN, one character
    expect(cert[at + 6]).toBe(1);
    const bad = cert.slice();
    bad[at + 5] = 0x1e; // now a BMPString of one byte
    try {
      parseCertInfo(bad, 'c');
      expect.unreachable();
    } catch (e) {
      expect(isSeSecretsError(e, 'ERR_CERT_PARSE')).toBe(true);
      expect((e as Error).message).toMatch(/BMPString value length must be a multiple of 2/);
    }
  });
});

describe('private keys and signatures', () => {
  it('a BER (indefinite-length) PKCS#8 key is read, as OpenSSL reads it', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const der = privateKey.export({ type: 'pkcs8', format: 'der' });
    expect(der[0]).toBe(0x30);
    expect(der[1]).toBe(0x81);
    const ber = Buffer.concat([h('30 80'), der.subarray(3), h('00 00')]);
    expect(createPrivateKey({ key: ber, format: 'der', type: 'pkcs8' }).asymmetricKeyType).toBe('ec');
    const key = parsePrivateKey(new Uint8Array(ber));
    const d = Buffer.from((privateKey.export({ format: 'jwk' }) as { d: string }).d, 'base64url');
    expect(key.kind === 'ec' && Buffer.from(key.scalar).equals(d.subarray(d.findIndex((b) => b !== 0)))).toBe(true);
    // The scalar is a copy: zeroising it leaves the input alone.
    if (key.kind === 'ec') key.scalar.fill(0);
    expect(Buffer.from(ber).equals(Buffer.concat([h('30 80'), der.subarray(3), h('00 00')]))).toBe(true);
  });
  it('ECDSA signatures must be DER', () => {
    expect(ecdsaDerToRaw(h('30 06 02 01 01 02 01 02'), 1)).toEqual(new Uint8Array([1, 2]));
    expect(ecdsaDerToRaw(h('30 81 06 02 01 01 02 01 02'), 1)).toBeUndefined();
    expect(ecdsaDerToRaw(h('30 80 02 01 01 02 01 02 00 00'), 1)).toBeUndefined();
    expect(ecdsaDerToRaw(h('30 06 02 01 81 02 01 02'), 1)).toBeUndefined(); // negative r
  });
});
