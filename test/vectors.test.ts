/**
 * The project's request vectors (test/vectors/, scripts/gen-vectors.ts):
 * (a) the builder still makes every vector byte for byte, with both backends, and every
 *     error scenario fails with its exact code;
 * (b) every vector is read independently — node:crypto only, offsets written here from
 *     the format (not our parser) — and each field checked against the manifest inputs.
 */
import { createCipheriv, createDecipheriv, createECDH, createHash, createPrivateKey, hkdfSync, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeBackend } from '../src/crypto/node.js';
import { portableBackend } from '../src/crypto/portable.js';
import { createAddSecretRequest } from './helpers/api.js';
import { p521ScalarFromPem } from './helpers/independent.js';
import { loadManifest, type Manifest, type ManifestVector, optionsOf, ROOT, VECTOR_DIR } from './helpers/vectors.js';

const m: Manifest = loadManifest();
const ok = m.vectors.filter((v) => v.expected.outcome === 'ok');
const errors = m.vectors.filter((v) => v.expected.outcome === 'error');
const file = (v: ManifestVector) => new Uint8Array(readFileSync(join(VECTOR_DIR, v.file as string)));

describe('vector inventory', () => {
  it('every vector file is in the manifest and every manifest vector has its file', () => {
    for (const f of portableSubset)
      expect(
        ok.some((v) => v.file === f),
        f,
      ).toBe(true);
    const onDisk = readdirSync(VECTOR_DIR)
      .filter((f) => f !== 'manifest.json' && f !== 'keys')
      .sort();
    expect(onDisk).toEqual(ok.map((v) => v.file).sort());
    expect(ok.length).toBe(36);
    expect(errors.length).toBe(11);
  });
});

/** The portable backend rebuilds one vector per secret kind (it is slower; the backends are also tested against each other). */
const portableSubset = new Set([
  'null_none_default_cuid_seven',
  'assoc_simple_dump_cuid_two',
  'plain-40_none_default_ncuid_one',
  'aes-256+usename_derived_default_cuid_two',
  'ec-p521_none_default_ncuid_one',
  'ec-ed448_none_default_ncuid_one',
  'cck_derived_dump_cuid_two',
  'null+policy_none_default_ncuid_one',
]);

describe('(a) the builder reproduces every vector', () => {
  for (const backend of [nodeBackend, portableBackend]) {
    for (const v of backend === nodeBackend ? ok : ok.filter((x) => portableSubset.has(x.file as string))) {
      it(`${v.file} (${backend.name})`, async () => {
        const got = await createAddSecretRequest({ ...optionsOf(m, v), backend });
        expect(Buffer.from(got).toString('hex')).toBe(Buffer.from(file(v)).toString('hex'));
      });
    }
  }
  for (const v of errors) {
    const code = (v.expected as { code: string }).code;
    it(`${v.comment} → ${code}`, async () => {
      await expect(createAddSecretRequest(optionsOf(m, v))).rejects.toMatchObject({ code });
    });
  }
});

// ---- (b) independent reading ----------------------------------------------------------

const be16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const pad = (b: Buffer, n: number) => Buffer.concat([Buffer.alloc(n - b.length), b]);
const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest();

/** The confidential value and header fields of each secret, worked out from the spec. */
function expectedSecret(v: ManifestVector): { type: number; length: number; id?: Buffer; value: Buffer; headerSize: number } {
  const s = v.secret;
  const idOf = (name: string, useName?: boolean) => {
    const utf8 = Buffer.from(name, 'utf8');
    return useName ? Buffer.concat([utf8.subarray(0, 31), Buffer.alloc(32 - Math.min(31, utf8.length))]) : sha256(utf8);
  };
  switch (s.type) {
    case 'meta':
      return { type: 1, length: 0, value: Buffer.alloc(0), headerSize: 16 };
    case 'update-cck':
      return { type: 0x16, length: 32, id: Buffer.alloc(32), value: Buffer.from(s.value, 'hex'), headerSize: 48 };
    case 'association':
      return { type: 2, length: 32, id: idOf(s.name, s.useName), value: Buffer.from(s.value, 'hex'), headerSize: 48 };
  }
  const id = idOf(s.name, s.useName);
  if (s.kind === 'ec') {
    const bytes = readFileSync(join(VECTOR_DIR, s.valueFile));
    const encoding = s.valueFile.includes('sec1') ? 'sec1' : 'pkcs8';
    const key = s.valueFile.endsWith('.der') ? createPrivateKey({ key: bytes, format: 'der', type: encoding }) : createPrivateKey(bytes);
    const d = Buffer.from((key.export({ format: 'jwk' }) as { d: string }).d, 'base64url');
    const curve = key.asymmetricKeyType === 'ec' ? (key.asymmetricKeyDetails?.namedCurve as string) : (key.asymmetricKeyType as string);
    const [type, size] = (
      { prime256v1: [0x11, 32], secp384r1: [0x12, 48], secp521r1: [0x13, 80], ed25519: [0x14, 32], ed448: [0x15, 64] } as Record<string, [number, number]>
    )[curve]!;
    return { type, length: size, id, value: pad(d, size), headerSize: 48 };
  }
  const data = Buffer.from(s.value, 'hex');
  if (s.kind === 'plain') {
    const value = Buffer.concat([be16(data.length), data]);
    const padded = Buffer.concat([value, Buffer.alloc((16 - (value.length % 16)) % 16)]);
    return { type: 3, length: padded.length, id, value: padded, headerSize: 48 };
  }
  const types: Record<string, Record<number, number>> = { aes: { 16: 4, 24: 5, 32: 6 }, 'aes-xts': { 32: 7, 64: 8 }, 'hmac-sha': { 64: 9, 128: 10 } };
  return { type: types[s.kind]![data.length]!, length: data.length, id, value: data, headerSize: 48 };
}

function expectedExtension(v: ManifestVector): Buffer {
  if (!v.extension) return Buffer.alloc(32);
  if ('simple' in v.extension) return Buffer.from(v.extension.simple, 'hex');
  const tag = Buffer.from(m.inputs.tags.tag, 'hex');
  return Buffer.from(hkdfSync('sha512', Buffer.from(v.extension.cck, 'hex'), tag, Buffer.from('IBM Z Ultravisor Add-Secret'), 32));
}

function expectedUserData(v: ManifestVector): Buffer {
  if (v.policy) {
    const path = Buffer.from(v.policy.path, 'utf8');
    return Buffer.concat([sha256(Buffer.from(v.policy.content, 'hex')), path, Buffer.alloc(480 - path.length)]);
  }
  const d = Buffer.from(v.userData ?? '', 'hex');
  return Buffer.concat([d, Buffer.alloc(512 - d.length)]);
}

/** Host point (133 bytes) and private scalar of a sample host-key document. */
function host(name: string): { point: Buffer; scalar: Buffer } {
  const jwk = new X509Certificate(readFileSync(join(ROOT, 'samples', name))).publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  return {
    point: Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]),
    scalar: p521ScalarFromPem(readFileSync(join(ROOT, 'samples', name.replace(/\.crt$/, '.key')))),
  };
}

function gcm(decrypt: boolean, key: Buffer, iv: Buffer, data: Buffer, aad: Buffer, tag?: Buffer): Buffer {
  if (decrypt) {
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAAD(aad);
    d.setAuthTag(tag as Buffer);
    return Buffer.concat([d.update(data), d.final()]);
  }
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(aad);
  return Buffer.concat([c.update(data), c.final(), c.getAuthTag()]);
}

describe('(b) every vector read independently with node:crypto', () => {
  const hdr = readFileSync(join(ROOT, m.inputs.seHeader));
  // SE header v1 (offsets from the format): pld 0xe0, ald 0x120, tld 0x160, tag = last 16 bytes of `size`.
  const hdrSize = hdr.readUInt32BE(0x0c);
  const tags = { pld: hdr.subarray(0xe0, 0x120), ald: hdr.subarray(0x120, 0x160), tld: hdr.subarray(0x160, 0x1a0), tag: hdr.subarray(hdrSize - 16, hdrSize) };
  const cust = createECDH('secp521r1');
  cust.setPrivateKey(Buffer.from(m.inputs.customerPrivateKey, 'hex'));
  const custPoint = cust.getPublicKey();

  it('the manifest tags are those of the SE header', () => {
    for (const k of ['pld', 'ald', 'tld', 'tag'] as const) expect(tags[k].toString('hex')).toBe(m.inputs.tags[k]);
  });

  for (const v of ok) {
    it(v.file as string, () => {
      const b = Buffer.from(file(v));
      const exp = v.expected as Extract<ManifestVector['expected'], { outcome: 'ok' }>;
      const sec = expectedSecret(v);
      const nks = v.hostKeys.length;
      const aadLen = 0x4b8 + 80 * nks + sec.headerSize;
      const sea = sec.value.length + 32;
      expect(b.length).toBe(aadLen + sea + 16);
      expect(b.length).toBe(exp.size);
      // request header
      expect(b.subarray(0, 6).toString('latin1')).toBe('asrcbM');
      const udType = v.userData === undefined && !v.policy ? 0 : 1;
      expect(b.readUInt16BE(6)).toBe(udType);
      expect(exp.userDataType).toBe(udType);
      expect(b.readUInt32BE(8)).toBe(0x100);
      expect(b.readUInt32BE(0x0c)).toBe(b.length);
      expect(b.subarray(0x10, 0x1c).toString('hex')).toBe(m.inputs.iv);
      expect(b.subarray(0x1c, 0x27).equals(Buffer.alloc(11))).toBe(true);
      expect(b[0x27]).toBe(nks);
      expect(b.readUInt32BE(0x28)).toBe(0);
      expect(b.readUInt32BE(0x2c)).toBe(sea);
      const flags = v.flags === undefined ? 0n : v.flags === 'disable-dump' ? 0x8000000000000000n : BigInt(`0x${v.flags.pcf}`);
      expect(b.readBigUInt64BE(0x30)).toBe(flags);
      expect(b.subarray(0x38, 0x78).equals(tags.pld)).toBe(true);
      expect(b.subarray(0x78, 0xb8).equals(tags.ald)).toBe(true);
      expect(b.subarray(0xb8, 0xf8).equals(tags.tld)).toBe(true);
      expect(b.subarray(0xf8, 0x108).equals(tags.tag)).toBe(true);
      expect(b.subarray(0x108, 0x118).toString('hex')).toBe(v.cuid ?? '00'.repeat(16));
      expect(b.subarray(0x118, 0x218).equals(Buffer.alloc(256))).toBe(true);
      expect(b.subarray(0x218, 0x418).equals(expectedUserData(v))).toBe(true);
      expect(b.subarray(0x418, 0x4b8).equals(Buffer.concat([pad(custPoint.subarray(1, 67), 80), pad(custPoint.subarray(67), 80)]))).toBe(true);
      // key slots: hash of the host key, and the protection key wrapped for that host
      v.hostKeys.forEach((name, i) => {
        const h = host(name);
        const slot = b.subarray(0x4b8 + 80 * i, 0x4b8 + 80 * (i + 1));
        expect(slot.subarray(0, 32).equals(sha256(Buffer.concat([pad(h.point.subarray(1, 67), 80), pad(h.point.subarray(67), 80)])))).toBe(true);
        const ecdh = createECDH('secp521r1');
        ecdh.setPrivateKey(h.scalar);
        // the customer key as the request carries it: X ‖ Y, each 66 bytes left-padded to 80
        const reqPoint = Buffer.concat([Buffer.from([4]), b.subarray(0x418 + 14, 0x468), b.subarray(0x468 + 14, 0x4b8)]);
        const kek = sha256(Buffer.concat([ecdh.computeSecret(reqPoint), Buffer.from([0, 0, 0, 1])]));
        const pk = gcm(true, kek, Buffer.alloc(12), slot.subarray(32, 64), Buffer.alloc(0), slot.subarray(64, 80));
        expect(pk.toString('hex')).toBe(m.inputs.protectionKey);
      });
      // secret header
      const sh = b.subarray(0x4b8 + 80 * nks, aadLen);
      expect(sh.readUInt16BE(0)).toBe(0);
      expect(sh.readUInt16BE(2)).toBe(sec.type);
      expect(sh.readUInt32BE(4)).toBe(sec.length);
      expect(sh.subarray(8, 16).equals(Buffer.alloc(8))).toBe(true);
      if (sec.id) expect(sh.subarray(16).toString('hex')).toBe(sec.id.toString('hex'));
      expect([exp.secretType, exp.secretLength]).toEqual([sec.type, sec.length]);
      // the encrypted area: secret value ‖ extension secret, under the protection key
      const pkey = Buffer.from(m.inputs.protectionKey, 'hex');
      const iv = Buffer.from(m.inputs.iv, 'hex');
      const plain = gcm(true, pkey, iv, b.subarray(aadLen, aadLen + sea), b.subarray(0, aadLen), b.subarray(b.length - 16));
      expect(plain.subarray(0, sec.value.length).toString('hex')).toBe(sec.value.toString('hex'));
      expect(plain.subarray(sec.value.length).toString('hex')).toBe(expectedExtension(v).toString('hex'));
      // and encrypting it again gives the same bytes: nothing else is in the request
      expect(gcm(false, pkey, iv, plain, b.subarray(0, aadLen)).equals(b.subarray(aadLen))).toBe(true);
    });
  }

  it('the EC key files parse with OpenSSL (node:crypto) as the curves they claim', () => {
    for (const f of ['p256.pem', 'p384-sec1.pem', 'p521.der', 'p521-sec1.der', 'ed25519.pem', 'ed448.der']) {
      expect(existsSync(join(VECTOR_DIR, 'keys', f)), f).toBe(true);
    }
    const der = (f: string, type: 'pkcs8' | 'sec1') => createPrivateKey({ key: readFileSync(join(VECTOR_DIR, 'keys', f)), format: 'der', type });
    expect(der('p521.der', 'pkcs8').asymmetricKeyDetails?.namedCurve).toBe('secp521r1');
    expect(der('p521-sec1.der', 'sec1').asymmetricKeyDetails?.namedCurve).toBe('secp521r1');
    expect(der('ed448.der', 'pkcs8').asymmetricKeyType).toBe('ed448');
  });
});
