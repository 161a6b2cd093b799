import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAddSecretRequest, parseAddSecretRequest, parseSeHeader, secretId } from './helpers/api.js';
import { independentHostKeyHash, openRequest, p521ScalarFromPem } from './helpers/independent.js';
import { toHex } from '../src/internal/bytes.js';
import { portableBackend } from '../src/crypto/portable.js';

const samples = join(import.meta.dirname, '..', 'samples');
const read = (f: string) => new Uint8Array(readFileSync(join(samples, f)));
const hkd1 = read('HKD-sample-1.crt');
const hkd2 = read('HKD-sample-2.crt');
const host1 = p521ScalarFromPem(readFileSync(join(samples, 'HKD-sample-1.key')));
const host2 = p521ScalarFromPem(readFileSync(join(samples, 'HKD-sample-2.key')));
const hdr = read('sample.hdr');
const img = read('sample-se.img');
const hostPoint = (pem: Uint8Array) => {
  const jwk = new X509Certificate(Buffer.from(pem)).publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
};

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('request core: built requests open with the host private key (node:crypto only)', () => {
  it('association request for two hosts, from the sample image', async () => {
    const value = new Uint8Array(32).fill(0xa5);
    const req = await createAddSecretRequest({
      secret: { type: 'association', name: 'my association', value },
      seHeader: img,
      hostKeys: [hkd1, hkd2],
      verify: false,
      cuid: new Uint8Array(16).fill(0x42),
      flags: { disableDump: true },
    });
    expect(req.length).toBe(1416 + 80);
    const h = parseSeHeader(hdr);
    for (const [i, key] of [host1, host2].entries()) {
      const o = openRequest(req, key);
      expect(o.slotIndex).toBe(i);
      expect(o.version).toBe(0x100);
      expect(o.rql).toBe(req.length);
      expect(o.nks).toBe(2);
      expect(o.userDataType).toBe(0);
      expect(o.flags).toBe(0x8000000000000000n);
      expect(toHex(o.pld)).toBe(toHex(h.pld));
      expect(toHex(o.ald)).toBe(toHex(h.ald));
      expect(toHex(o.tld)).toBe(toHex(h.tld));
      expect(toHex(o.tag)).toBe(toHex(h.tag));
      expect(o.cuid.toString('hex')).toBe('42'.repeat(16));
      expect(o.userData.equals(Buffer.alloc(512))).toBe(true);
      expect(o.secretType).toBe(2);
      expect(o.secretLength).toBe(32);
      expect(o.secretId!.toString('hex')).toBe(createHash('sha256').update('my association').digest('hex'));
      expect(o.plaintext.subarray(0, 32).equals(Buffer.from(value))).toBe(true);
      expect(o.plaintext.subarray(32).equals(Buffer.alloc(32))).toBe(true);
      expect(o.slots[0]!.hash.equals(independentHostKeyHash(hostPoint(hkd1)))).toBe(true);
      expect(o.slots[1]!.hash.equals(independentHostKeyHash(hostPoint(hkd2)))).toBe(true);
    }
    // the header lists exactly these hosts
    expect(h.hostKeyHashes.map(toHex)).toEqual([toHex(independentHostKeyHash(hostPoint(hkd1))), toHex(independentHostKeyHash(hostPoint(hkd2)))]);
  });

  it('meta request with a CCK-derived extension secret and raw flags; portable backend', async () => {
    const cck = new Uint8Array(32).fill(9);
    const req = await createAddSecretRequest({
      secret: { type: 'meta' },
      seHeader: hdr,
      hostKeys: [hkd2],
      verify: false,
      flags: 0x4000000000000001n,
      extensionSecret: { cck },
      backend: portableBackend,
    });
    expect(req.length).toBe(1352);
    const o = openRequest(req, host2);
    expect(o.secretType).toBe(1);
    expect(o.secretLength).toBe(0);
    expect(o.flags).toBe(0x4000000000000001n);
    expect(o.cuid.equals(Buffer.alloc(16))).toBe(true);
    const { hkdfSync } = await import('node:crypto');
    const tag = parseSeHeader(hdr).tag;
    expect(o.plaintext.toString('hex')).toBe(Buffer.from(hkdfSync('sha512', cck, tag, 'IBM Z Ultravisor Add-Secret', 32)).toString('hex'));
  });

  it('random association value and fresh randomness every time', async () => {
    const opts = { secret: { type: 'association' as const, name: 'x' }, seHeader: hdr, hostKeys: [hkd1], verify: false as const };
    const a = openRequest(await createAddSecretRequest(opts), host1);
    const b = openRequest(await createAddSecretRequest(opts), host1);
    expect(a.plaintext.subarray(0, 32).equals(b.plaintext.subarray(0, 32))).toBe(false);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.protectionKey.equals(b.protectionKey)).toBe(false);
    expect(a.customerPublicKey.equals(b.customerPublicKey)).toBe(false);
  });

  it('useName: the first 31 UTF-8 bytes of the name, zero-padded', async () => {
    const name = 'a-name-that-is-exactly-32-chars!';
    expect(name.length).toBe(32);
    const id = secretId(name, { useName: true });
    expect(Buffer.from(id).toString('latin1')).toBe(`${name.slice(0, 31)}\0`);
    const req = await createAddSecretRequest({ secret: { type: 'association', name, useName: true }, seHeader: hdr, hostKeys: [hkd1], verify: false });
    expect(openRequest(req, host1).secretId!.equals(Buffer.from(id))).toBe(true);
    expect(Buffer.from(secretId('äb', { useName: true })).subarray(0, 4).toString('hex')).toBe('c3a46200');
  });

  it('does not modify the caller deterministic inputs and zeroes its own copies', async () => {
    const det = { iv: new Uint8Array(12).fill(1), protectionKey: new Uint8Array(32).fill(2), customerPrivateKey: new Uint8Array(66).fill(0).fill(3, 10) };
    const value = new Uint8Array(32).fill(7);
    await createAddSecretRequest({ secret: { type: 'association', name: 'n', value }, seHeader: hdr, hostKeys: [hkd1], verify: false, deterministic: det });
    expect(det.protectionKey.every((x) => x === 2)).toBe(true);
    expect(value.every((x) => x === 7)).toBe(true);
  });
});

describe('request core: parse', () => {
  it('round trip: every field parsed back equals what the independent reader sees', async () => {
    const req = await createAddSecretRequest({
      secret: { type: 'association', name: 'round trip' },
      seHeader: hdr,
      hostKeys: [hkd1, hkd2, hkd1],
      verify: false,
      cuid: new Uint8Array(16).fill(0x11),
    });
    const p = parseAddSecretRequest(req);
    const o = openRequest(req, host1);
    expect(p.length).toBe(o.rql);
    expect(p.nks).toBe(3);
    expect(p.sea).toBe(o.sea);
    expect(toHex(p.iv)).toBe(o.iv.toString('hex'));
    expect(toHex(p.cuid)).toBe('11'.repeat(16));
    expect(toHex(p.customerPublicKey)).toBe(o.customerPublicKey.toString('hex'));
    expect(p.keySlots.map((s) => toHex(s.hostKeyHash))).toEqual(o.slots.map((s) => s.hash.toString('hex')));
    expect(p.secret.type).toBe(2);
    expect(toHex(p.secret.id!)).toBe(o.secretId!.toString('hex'));
    expect(p.aadLength).toBe(req.length - p.sea - 16);
  });

  it('typed errors for every malformed field', async () => {
    const req = await createAddSecretRequest({ secret: { type: 'association', name: 'n' }, seHeader: hdr, hostKeys: [hkd1], verify: false });
    const mut = (f: (b: Uint8Array, v: DataView) => void) => {
      const b = req.slice();
      f(b, new DataView(b.buffer));
      return b;
    };
    const c = (b: Uint8Array) => {
      try {
        parseAddSecretRequest(b);
      } catch (e) {
        return (e as { code: string }).code;
      }
      return 'ok';
    };
    expect(c(req)).toBe('ok');
    expect(c(new Uint8Array(0))).toBe('ERR_REQUEST_MAGIC');
    expect(c(mut((b) => (b[0] = 0x41)))).toBe('ERR_REQUEST_MAGIC');
    expect(c(mut((_, v) => v.setUint16(6, 5)))).toBe('ERR_REQUEST_USER_DATA_TYPE');
    expect(c(mut((_, v) => v.setUint32(8, 0x200)))).toBe('ERR_REQUEST_VERSION');
    expect(c(mut((_, v) => v.setUint32(12, req.length + 1)))).toBe('ERR_REQUEST_LENGTH');
    expect(c(req.subarray(0, req.length - 1))).toBe('ERR_REQUEST_LENGTH');
    const longer = new Uint8Array(req.length + 1);
    longer.set(req);
    expect(c(longer)).toBe('ERR_REQUEST_LENGTH');
    expect(c(mut((b) => (b[0x20] = 1)))).toBe('ERR_REQUEST_RESERVED');
    expect(c(mut((b) => (b[0x29] = 1)))).toBe('ERR_REQUEST_RESERVED');
    expect(c(mut((b) => (b[0x200] = 1)))).toBe('ERR_REQUEST_RESERVED');
    expect(c(mut((b) => (b[0x27] = 0)))).toBe('ERR_REQUEST_KEY_SLOTS');
    // one key slot too many: the secret header is then read from the wrong place
    expect(c(mut((b) => (b[0x27] = 2)))).toMatch(/^ERR_REQUEST_(LENGTH|RESERVED|SECRET_TYPE)$/);
    expect(c(mut((_, v) => v.setUint16(0x4b8 + 80 + 2, 0x30)))).toBe('ERR_REQUEST_SECRET_TYPE');
    expect(c(mut((_, v) => v.setUint32(0x2c, 65)))).toBe('ERR_REQUEST_LENGTH');
    expect(c(mut((b) => (b[0x4b8 + 80] = 1)))).toBe('ERR_REQUEST_RESERVED');
    expect(c(mut((_, v) => v.setUint32(0x4b8 + 84, 31)))).toBe('ERR_REQUEST_LENGTH');
  });
});

describe('request core: option errors', () => {
  const base = { secret: { type: 'meta' as const }, seHeader: hdr, hostKeys: [hkd1], verify: false as const };
  it.each([
    ['no verify choice', { verify: undefined }, 'ERR_VERIFY_REQUIRED'],
    ['verify: true', { verify: true }, 'ERR_INVALID_OPTION'],
    ['no host keys', { hostKeys: [] }, 'ERR_HOST_KEY_COUNT'],
    ['256 host keys', { hostKeys: Array(256).fill(hkd1) }, 'ERR_HOST_KEY_COUNT'],
    ['host keys not an array', { hostKeys: hkd1 }, 'ERR_INVALID_OPTION'],
    ['garbage host-key document', { hostKeys: [new Uint8Array([1, 2, 3])] }, 'ERR_CERT_PARSE'],
    ['PEM without a certificate', { hostKeys: [new TextEncoder().encode('-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n')] }, 'ERR_CERT_PARSE'],
    ['a CA certificate (RSA) as host key', { hostKeys: [read('root-ca.crt')] }, 'ERR_HOST_KEY_NOT_P521'],
    ['empty name', { secret: { type: 'association', name: '' } }, 'ERR_SECRET_NAME'],
    ['short association value', { secret: { type: 'association', name: 'n', value: new Uint8Array(31) } }, 'ERR_SECRET_SIZE'],
    ['unknown secret type', { secret: { type: 'bogus' } }, 'ERR_INVALID_OPTION'],
    ['no secret', { secret: undefined }, 'ERR_INVALID_OPTION'],
    ['short CUID', { cuid: new Uint8Array(15) }, 'ERR_CUID'],
    ['unknown flag', { flags: { disableDumps: true } }, 'ERR_FLAGS'],
    ['flags over 64 bits', { flags: 1n << 64n }, 'ERR_FLAGS'],
    ['negative flags', { flags: -1n }, 'ERR_FLAGS'],
    ['short extension secret', { extensionSecret: { value: new Uint8Array(16) } }, 'ERR_SECRET_SIZE'],
    ['short CCK', { extensionSecret: { cck: new Uint8Array(33) } }, 'ERR_SECRET_SIZE'],
    ['empty extension option', { extensionSecret: {} }, 'ERR_INVALID_OPTION'],
    ['not an SE header', { seHeader: new Uint8Array(5000) }, 'ERR_HEADER_NOT_FOUND'],
    ['bad tags object', { seHeader: { pld: new Uint8Array(64), ald: new Uint8Array(64), tld: new Uint8Array(64), tag: new Uint8Array(15) } }, 'ERR_INVALID_OPTION'],
    ['bad deterministic IV', { deterministic: { iv: new Uint8Array(11), protectionKey: new Uint8Array(32), customerPrivateKey: new Uint8Array(66).fill(1) } }, 'ERR_INVALID_OPTION'],
    ['zero customer key', { deterministic: { iv: new Uint8Array(12), protectionKey: new Uint8Array(32), customerPrivateKey: new Uint8Array(66) } }, 'ERR_INVALID_PRIVATE_KEY'],
  ])('%s', async (_name, patch, expected) => {
    expect(await codeOf(createAddSecretRequest({ ...base, ...(patch as object) } as never))).toBe(expected);
  });

  it('error messages never contain secret bytes', async () => {
    const value = new Uint8Array(31).fill(0xab);
    const err = await createAddSecretRequest({ ...base, secret: { type: 'association', name: 'n', value } }).catch((e: Error) => e);
    expect(String((err as Error).message)).not.toMatch(/ab ?ab/i);
  });
});
