/**
 * The customer-side key agreement (one key, many host keys): every backend, through its
 * own fast path and through the generic per-peer path, gives the bytes node:crypto
 * computes independently.
 */
import { createECDH } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { p521KeyAgreement } from '../src/crypto/agreement.js';
import type { CryptoBackend } from '../src/crypto/backend.js';
import { HostPointCache } from '../src/crypto/host-point-cache.js';
import { nodeBackend } from '../src/crypto/node.js';
import { nobleBackend, portableBackend, webCryptoBackend } from '../src/crypto/portable.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const peers = Array.from({ length: 3 }, () => {
  const e = createECDH('secp521r1');
  e.generateKeys();
  return e;
});
const points = peers.map((p) => new Uint8Array(p.getPublicKey()));

function independent(d: Uint8Array): { publicKey: string; shared: string[] } {
  const e = createECDH('secp521r1');
  e.setPrivateKey(d);
  return { publicKey: hex(e.getPublicKey()), shared: peers.map((p) => hex(e.computeSecret(p.getPublicKey())).padStart(132, '0')) };
}

/** The same backend without its fast path: the generic per-peer route of agreement.ts. */
const generic = (b: CryptoBackend): CryptoBackend => ({ ...b, name: `${b.name} (generic)`, p521KeyAgreement: undefined });

const all = [nodeBackend, portableBackend, nobleBackend, webCryptoBackend].flatMap((b) => [b, generic(b)]);

describe('p521KeyAgreement', () => {
  it('given key (any left-padding): same public key and shared secrets as node:crypto, on every path', async () => {
    const e = createECDH('secp521r1');
    e.generateKeys();
    const d = new Uint8Array(e.getPrivateKey());
    const padded = new Uint8Array(80);
    padded.set(d, 80 - d.length);
    const want = independent(d);
    for (const be of all) {
      const a = await p521KeyAgreement(be, padded, points);
      expect(hex(a.publicKey), be.name).toBe(want.publicKey);
      expect(a.shared.map(hex), be.name).toEqual(want.shared);
      expect(a.privateKey.length).toBe(66);
      expect(a.privateKey).not.toBe(padded);
      expect(padded.subarray(80 - d.length)).toEqual(d); // the caller's key is untouched
    }
  });

  it('fresh key: consistent key pair and shared secrets, fresh each time', async () => {
    for (const be of all) {
      const a = await p521KeyAgreement(be, undefined, points);
      const b = await p521KeyAgreement(be, undefined, points);
      expect(hex(a.privateKey), be.name).not.toBe(hex(b.privateKey));
      const want = independent(a.privateKey);
      expect(hex(a.publicKey), be.name).toBe(want.publicKey);
      expect(a.shared.map(hex), be.name).toEqual(want.shared);
    }
  });

  it('typed errors: the private key is checked first, then every peer', async () => {
    const bad = points[1]!.slice();
    bad[90] = (bad[90] as number) ^ 1;
    for (const be of all) {
      await expect(p521KeyAgreement(be, new Uint8Array(66), [bad]), be.name).rejects.toMatchObject({ code: 'ERR_INVALID_PRIVATE_KEY' });
      await expect(p521KeyAgreement(be, undefined, [points[0]!, bad]), be.name).rejects.toMatchObject({ code: 'ERR_INVALID_PUBLIC_KEY' });
      await expect(p521KeyAgreement(be, undefined, [points[0]!.subarray(0, 67)]), be.name).rejects.toMatchObject({ code: 'ERR_INVALID_PUBLIC_KEY' });
    }
  });
});

describe('host keys reused across a batch (precomputed tables)', () => {
  it('after enough uses a table is built, and every backend still gives node:crypto bytes', async () => {
    // the backends that use tables: node and noble (portable too where WebCrypto lacks P-521)
    for (const be of [nodeBackend, generic(nodeBackend), nobleBackend, generic(nobleBackend)]) {
      const tables = new HostPointCache({ afterUses: 2, window: 4 });
      for (let i = 0; i < 3; i++) {
        const a = await p521KeyAgreement(be, undefined, points, tables);
        expect(a.shared.map(hex), `${be.name} #${i}`).toEqual(independent(a.privateKey).shared);
        const z = await be.ecdhP521(a.privateKey, points[0]!);
        expect(hex(z), `${be.name} ecdhP521 #${i}`).toBe(independent(a.privateKey).shared[0]);
      }
      expect(tables.tables, be.name).toBe(points.length);
    }
  });

  it('keeps at most maxTables tables, least recently used first out', async () => {
    const tables = new HostPointCache({ afterUses: 1, window: 2, maxTables: 2 });
    for (const p of points) await p521KeyAgreement(nodeBackend, undefined, [p], tables);
    expect(tables.tables).toBe(2);
    const a = await p521KeyAgreement(nodeBackend, undefined, points, tables);
    expect(a.shared.map(hex)).toEqual(independent(a.privateKey).shared);
    expect(tables.tables).toBe(2);
  });

  it('tables belong to the cache that built them: another cache, or none, starts empty', async () => {
    const tables = new HostPointCache({ afterUses: 1, window: 2 });
    await p521KeyAgreement(nodeBackend, undefined, points, tables);
    expect(tables.tables).toBe(points.length);
    const other = new HostPointCache({ afterUses: 2, window: 2 });
    await p521KeyAgreement(nobleBackend, undefined, points, other);
    expect(other.tables).toBe(0);
  });

  it("the node backend keeps each host key's OpenSSL import in the cache it is given (once per key), and nowhere else", async () => {
    const tables = new HostPointCache();
    const made: string[] = [];
    const imported = tables.imported.bind(tables);
    tables.imported = <T>(q: Uint8Array, make: () => T): T =>
      imported(q, () => {
        made.push(hex(q));
        return make();
      });
    for (let i = 0; i < 3; i++) {
      const r = await p521KeyAgreement(nodeBackend, undefined, points, tables);
      expect(r.shared.map(hex)).toEqual(independent(r.privateKey).shared);
    }
    expect(made).toEqual(points.map(hex));
    // A key object is no use: the uses that build tables are counted by ecdhX alone.
    expect(tables.tables).toBe(0);
  });

  it('a cache with default settings builds no table for a single request', async () => {
    const tables = new HostPointCache();
    await p521KeyAgreement(nodeBackend, undefined, points, tables);
    await p521KeyAgreement(nobleBackend, undefined, points, tables);
    expect(tables.tables).toBe(0);
  });
});
