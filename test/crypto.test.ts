import { createECDH, createHash, createDecipheriv, randomBytes as nodeRandom, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeBackend } from '../src/crypto/node.js';
import { nobleBackend, portableBackend, webCryptoBackend } from '../src/crypto/portable.js';
import { hkdfSha512, kdfSha256OneStep, sha256, sha512 } from '../src/crypto/hash.js';
import { normalizeP521PrivateKey, pointToWire, wireToPoint } from '../src/crypto/p521.js';
import { toHex } from '../src/internal/bytes.js';

const backends = [nodeBackend, portableBackend, nobleBackend, webCryptoBackend];

describe('crypto backends give identical bytes', () => {
  it('P-521 ECDH: every backend agrees with node:crypto on random keys, including short scalars', async () => {
    for (let i = 0; i < 12; i++) {
      const a = createECDH('secp521r1');
      a.generateKeys();
      const b = createECDH('secp521r1');
      b.generateKeys();
      const expected = toHex(new Uint8Array(a.computeSecret(b.getPublicKey())));
      expect(expected.length).toBe(132);
      for (const be of backends) {
        const z = await be.ecdhP521(new Uint8Array(a.getPrivateKey()), new Uint8Array(b.getPublicKey()));
        expect(toHex(z), be.name).toBe(expected.padStart(132, '0'));
      }
    }
  });

  it('P-521 public key from a private scalar with any left-padding', async () => {
    const a = createECDH('secp521r1');
    a.generateKeys();
    const priv = new Uint8Array(a.getPrivateKey());
    const padded = new Uint8Array(80);
    padded.set(priv, 80 - priv.length);
    for (const be of backends) {
      expect(toHex(await be.p521PublicKey(padded)), be.name).toBe(toHex(new Uint8Array(a.getPublicKey())));
      expect(toHex(await be.p521PublicKey(priv)), be.name).toBe(toHex(new Uint8Array(a.getPublicKey())));
    }
  });

  it('generated key pairs are consistent (66-byte scalar, 133-byte point)', async () => {
    for (const be of backends) {
      const kp = await be.generateP521();
      expect(kp.privateKey.length).toBe(66);
      expect(kp.publicKey.length).toBe(133);
      const n = createECDH('secp521r1');
      n.setPrivateKey(kp.privateKey);
      expect(toHex(new Uint8Array(n.getPublicKey())), be.name).toBe(toHex(kp.publicKey));
    }
  });

  it('rejects invalid private scalars and public points with typed errors', async () => {
    for (const be of backends) {
      await expect(be.ecdhP521(new Uint8Array(66), new Uint8Array(133))).rejects.toMatchObject({ code: 'ERR_INVALID_PRIVATE_KEY' });
      const a = createECDH('secp521r1');
      a.generateKeys();
      const bad = new Uint8Array(a.getPublicKey());
      bad[100] = (bad[100] as number) ^ 1;
      await expect(be.ecdhP521(new Uint8Array(a.getPrivateKey()), bad)).rejects.toMatchObject({ code: 'ERR_INVALID_PUBLIC_KEY' });
    }
    expect(() => normalizeP521PrivateKey(new Uint8Array(67).fill(0xff))).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_PRIVATE_KEY' }));
  });

  it('AES-256-GCM: backends agree and node:crypto decrypts', async () => {
    const key = new Uint8Array(nodeRandom(32));
    const iv = new Uint8Array(nodeRandom(12));
    const pt = new Uint8Array(nodeRandom(77));
    const aad = new Uint8Array(nodeRandom(33));
    const outs = await Promise.all(backends.map((b) => b.aesGcmEncrypt(key, iv, pt, aad)));
    for (const o of outs) expect(toHex(o)).toBe(toHex(outs[0]!));
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAAD(aad);
    d.setAuthTag(outs[0]!.subarray(77));
    expect(toHex(new Uint8Array(Buffer.concat([d.update(outs[0]!.subarray(0, 77)), d.final()])))).toBe(toHex(pt));
    for (const be of backends) {
      expect(toHex(await be.aesGcmDecrypt(key, iv, outs[0]!, aad))).toBe(toHex(pt));
      const tampered = outs[0]!.slice();
      tampered[3] = (tampered[3] as number) ^ 0x80;
      await expect(be.aesGcmDecrypt(key, iv, tampered, aad)).rejects.toMatchObject({ code: 'ERR_CRYPTO' });
      await expect(be.aesGcmEncrypt(key.subarray(1), iv, pt, aad)).rejects.toMatchObject({ code: 'ERR_CRYPTO' });
    }
  });

  it('hashes and KDFs match node:crypto', () => {
    const data = new Uint8Array(nodeRandom(100));
    expect(toHex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
    expect(toHex(sha512(data))).toBe(createHash('sha512').update(data).digest('hex'));
    const z = new Uint8Array(nodeRandom(66));
    expect(toHex(kdfSha256OneStep(z))).toBe(createHash('sha256').update(z).update(Buffer.from([0, 0, 0, 1])).digest('hex'));
    const info = new TextEncoder().encode('IBM Z Ultravisor Add-Secret');
    expect(toHex(hkdfSha512(z.subarray(0, 32), z.subarray(32, 48), info, 32))).toBe(
      Buffer.from(hkdfSync('sha512', z.subarray(0, 32), z.subarray(32, 48), info, 32)).toString('hex'),
    );
  });

  it('derived extension secret known answer (CCK 32×00, tag 16×04)', () => {
    const info = new TextEncoder().encode('IBM Z Ultravisor Add-Secret');
    expect(toHex(hkdfSha512(new Uint8Array(32), new Uint8Array(16).fill(4), info, 32))).toBe(
      'b7e28c1ed1ecd063afe5eb9b54c6685aca5c193163e82e2071c3150ed6ff6473',
    );
  });

  it('wire form round trip pads each coordinate to 80 bytes', () => {
    const a = createECDH('secp521r1');
    a.generateKeys();
    const point = new Uint8Array(a.getPublicKey());
    const wire = pointToWire(point);
    expect(wire.length).toBe(160);
    expect(toHex(wire.subarray(0, 14))).toBe('00'.repeat(14));
    expect(toHex(wireToPoint(wire))).toBe(toHex(point));
    expect(() => wireToPoint(new Uint8Array(159))).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_PUBLIC_KEY' }));
    const big = wire.slice();
    big[0] = 1;
    expect(() => wireToPoint(big)).toThrowError(expect.objectContaining({ code: 'ERR_INVALID_PUBLIC_KEY' }));
  });

  it('random bytes are the right length and not constant', () => {
    for (const be of backends) {
      const r = be.randomBytes(70000);
      expect(r.length).toBe(70000);
      expect(new Set(r.subarray(0, 64)).size).toBeGreaterThan(8);
    }
  });
});
