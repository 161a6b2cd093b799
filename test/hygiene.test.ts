/**
 * Secrets hygiene: every buffer that held a secret while a request was built is zero
 * when the call returns (or fails), and no secret reaches an error message, a stack,
 * `util.inspect` or `JSON.stringify`. The buffers are observed through a recording
 * crypto backend: they are the very arrays the library holds.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { p521KeyAgreement } from '../src/crypto/agreement.js';
import type { CryptoBackend } from '../src/crypto/backend.js';
import { nodeBackend } from '../src/crypto/node.js';
import { nobleBackend, portableBackend, webCryptoBackend } from '../src/crypto/portable.js';
import { isAllZero } from '../src/internal/bytes.js';
import { encodeGuestSecret } from '../src/request/guest-secret.js';
import { hostKeysFromDocuments } from '../src/request/host-key.js';
import { createAddSecretRequest } from './helpers/api.js';
import { openRequest, p521ScalarFromPem } from './helpers/independent.js';

const samples = join(import.meta.dirname, '..', 'samples');
const read = (f: string) => new Uint8Array(readFileSync(join(samples, f)));
const hdr = read('sample.hdr');
const hkd1 = read('HKD-sample-1.crt');
const hkd2 = read('HKD-sample-2.crt');
const host1 = p521ScalarFromPem(readFileSync(join(samples, 'HKD-sample-1.key')));
const host2 = p521ScalarFromPem(readFileSync(join(samples, 'HKD-sample-2.key')));

interface Recorded {
  what: string;
  bytes: Uint8Array;
}

/**
 * Wraps a backend and records every secret buffer that passes through it: random
 * keys and values (32-byte draws; the 12-byte IV is public), private keys, ECDH
 * outputs, AES keys and plaintexts. `agreement: false` drops the one-call key
 * agreement so the generic per-peer path runs. `failEncrypt` makes the n-th AES-GCM
 * encryption throw.
 */
function recording(inner: CryptoBackend, o: { agreement: boolean; failEncrypt?: number }): { backend: CryptoBackend; secrets: Recorded[] } {
  const secrets: Recorded[] = [];
  const rec = (what: string, bytes: Uint8Array) => secrets.push({ what, bytes });
  let encryptions = 0;
  const backend: CryptoBackend = {
    name: `recording ${inner.name}`,
    randomBytes(n) {
      const r = inner.randomBytes(n);
      if (n !== 12) rec(`random ${n} bytes`, r);
      return r;
    },
    async generateP521() {
      const kp = await inner.generateP521();
      rec('generated private key', kp.privateKey);
      return kp;
    },
    async p521PublicKey(d) {
      rec('private key given to p521PublicKey', d);
      return inner.p521PublicKey(d);
    },
    async ecdhP521(d, q) {
      rec('private key given to ecdhP521', d);
      const z = await inner.ecdhP521(d, q);
      rec('ecdh shared secret', z);
      return z;
    },
    async aesGcmEncrypt(key, iv, pt, aad) {
      rec('aes-gcm key', key);
      rec('aes-gcm plaintext', pt);
      if (++encryptions === o.failEncrypt) throw new Error('injected failure');
      return inner.aesGcmEncrypt(key, iv, pt, aad);
    },
    aesGcmDecrypt: (k, iv, d, a) => inner.aesGcmDecrypt(k, iv, d, a),
    signSha512: (k, m) => inner.signSha512(k, m),
    verifySha512: (k, m, s) => inner.verifySha512(k, m, s),
  };
  if (o.agreement && inner.p521KeyAgreement) {
    const agree = inner.p521KeyAgreement.bind(inner);
    backend.p521KeyAgreement = async (d, peers) => {
      const a = await agree(d, peers);
      rec('agreed private key', a.privateKey);
      for (const z of a.shared) rec('agreed shared secret', z);
      return a;
    };
  }
  return { backend, secrets };
}

function nonZero(secrets: Recorded[]): string[] {
  return secrets.filter((s) => s.bytes.length > 0 && !isAllZero(s.bytes)).map((s) => `${s.what} (${s.bytes.length} bytes)`);
}

describe('secrets are zeroed after use', () => {
  for (const [inner, agreement] of [
    [nodeBackend, true],
    [nodeBackend, false],
    [nobleBackend, true],
    [portableBackend, false],
  ] as const) {
    it(`random association secret for two hosts (${inner.name}, ${agreement ? 'one-call agreement' : 'per-peer ECDH'})`, async () => {
      const { backend, secrets } = recording(inner, { agreement });
      const req = await createAddSecretRequest({
        secret: { type: 'association', name: 'hygiene' },
        seHeader: hdr,
        hostKeys: [hkd1, hkd2],
        verify: false,
        extensionSecret: { cck: new Uint8Array(32).fill(9) },
        backend,
      });
      // the request is still right: both hosts open it (zeroing did not come too early)
      const a = openRequest(req, host1);
      const b = openRequest(req, host2);
      expect(a.plaintext.equals(b.plaintext)).toBe(true);
      expect(isAllZero(a.plaintext.subarray(0, 32))).toBe(false);
      const kinds = new Set(secrets.map((s) => s.what));
      expect(kinds).toContain('random 32 bytes'); // protection key and secret value
      expect(kinds).toContain('aes-gcm key');
      expect(kinds).toContain('aes-gcm plaintext');
      expect([...kinds].some((k) => k.includes('private key'))).toBe(true);
      expect([...kinds].some((k) => k.includes('shared secret'))).toBe(true);
      expect(secrets.filter((s) => s.what === 'random 32 bytes')).toHaveLength(2);
      expect(nonZero(secrets)).toEqual([]);
    });
  }

  it('deterministic inputs: our copies are zeroed, the caller keeps theirs', async () => {
    const { backend, secrets } = recording(nodeBackend, { agreement: false });
    const det = { iv: new Uint8Array(12).fill(1), protectionKey: new Uint8Array(32).fill(2), customerPrivateKey: new Uint8Array(80).fill(3, 20) };
    const value = new Uint8Array(32).fill(7);
    const extension = new Uint8Array(32).fill(8);
    await createAddSecretRequest({
      secret: { type: 'association', name: 'n', value },
      seHeader: hdr,
      hostKeys: [hkd1],
      verify: false,
      extensionSecret: { value: extension },
      deterministic: det,
      backend,
    });
    expect(secrets.length).toBeGreaterThan(4);
    expect(nonZero(secrets)).toEqual([]);
    expect(secrets.some((s) => s.bytes === det.protectionKey || s.bytes === det.customerPrivateKey || s.bytes === value)).toBe(false);
    expect(det.protectionKey.every((x) => x === 2) && value.every((x) => x === 7) && extension.every((x) => x === 8)).toBe(true);
    expect(det.customerPrivateKey.subarray(20).every((x) => x === 3)).toBe(true);
  });

  it('a failure after the secrets exist still zeroes them (encryption fails)', async () => {
    for (const agreement of [true, false]) {
      const { backend, secrets } = recording(nodeBackend, { agreement, failEncrypt: 2 });
      await expect(
        createAddSecretRequest({ secret: { type: 'association', name: 'x' }, seHeader: hdr, hostKeys: [hkd1], verify: false, backend }),
      ).rejects.toThrow('injected failure');
      expect(secrets.length).toBeGreaterThan(3);
      expect(nonZero(secrets)).toEqual([]);
    }
  });

  it('a bad option after the random secret value was drawn still zeroes it', async () => {
    const { backend, secrets } = recording(nodeBackend, { agreement: true });
    await expect(
      createAddSecretRequest({
        secret: { type: 'association', name: 'x' },
        seHeader: hdr,
        hostKeys: [hkd1],
        verify: false,
        extensionSecret: { cck: new Uint8Array(31) },
        backend,
      }),
    ).rejects.toMatchObject({ code: 'ERR_SECRET_SIZE' });
    expect(secrets.map((s) => s.what)).toEqual(['random 32 bytes']);
    expect(nonZero(secrets)).toEqual([]);
  });

  it('a bad host key in the agreement leaves no key behind (generic path)', async () => {
    const { backend, secrets } = recording(nodeBackend, { agreement: false });
    const [hk] = hostKeysFromDocuments([hkd1]);
    const bad = hk!.publicKey.slice();
    bad[100] = (bad[100] as number) ^ 1;
    await expect(p521KeyAgreement(backend, undefined, [hk!.publicKey, bad])).rejects.toMatchObject({ code: 'ERR_INVALID_PUBLIC_KEY' });
    expect(secrets).toEqual([]); // checked before any key was made
  });
});

/** Every printed form of `secret` that would give it away. */
function forms(secret: Uint8Array): string[] {
  const b = Buffer.from(secret);
  return [
    b.toString('hex'),
    b.toString('hex').toUpperCase(),
    b.toString('base64').slice(0, 16),
    b.toString('base64url').slice(0, 16),
    [...secret.subarray(0, 6)].join(', '),
  ];
}

function printed(e: unknown): string {
  const err = e as Error & { cause?: unknown };
  return [String(err), err.message, err.stack ?? '', inspect(err, { depth: 8 }), inspect(err.cause, { depth: 8 }), JSON.stringify(err)].join('\n');
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

describe('no secret in errors, messages or printed objects', () => {
  const base = { secret: { type: 'meta' as const }, seHeader: hdr, hostKeys: [hkd1], verify: false as const };
  const secret = (n: number) => new Uint8Array(randomBytes(n));

  it.each([
    ['association value of 31 bytes', (s: Uint8Array) => ({ secret: { type: 'association', name: 'n', value: s } }), 31],
    ['extension secret of 31 bytes', (s: Uint8Array) => ({ extensionSecret: { value: s } }), 31],
    ['CCK of 33 bytes', (s: Uint8Array) => ({ extensionSecret: { cck: s } }), 33],
    [
      'protection key of 31 bytes',
      (s: Uint8Array) => ({ deterministic: { iv: new Uint8Array(12), protectionKey: s, customerPrivateKey: new Uint8Array(66).fill(1, 2) } }),
      31,
    ],
    [
      'customer private key out of range',
      (s: Uint8Array) => ({ deterministic: { iv: new Uint8Array(12), protectionKey: new Uint8Array(32), customerPrivateKey: s.fill(0xff, 0, 2) } }),
      66,
    ],
    [
      'customer private key too long',
      (s: Uint8Array) => ({ deterministic: { iv: new Uint8Array(12), protectionKey: new Uint8Array(32), customerPrivateKey: s } }),
      90,
    ],
  ])('createAddSecretRequest: %s', async (_name, patch, n) => {
    const s = secret(n);
    const e = await failure(createAddSecretRequest({ ...base, ...(patch(s) as object) } as never));
    expect((e as { code?: string }).code).toMatch(/^ERR_/);
    const out = printed(e);
    for (const f of forms(s)) expect(out).not.toContain(f);
  });

  it('backends: failing ECDH and AES-GCM calls do not print their keys', async () => {
    const [hk] = hostKeysFromDocuments([hkd1]);
    const bad = hk!.publicKey.slice();
    bad[100] = (bad[100] as number) ^ 1;
    for (const be of [nodeBackend, nobleBackend, webCryptoBackend, portableBackend]) {
      const d = (await be.generateP521()).privateKey;
      const tooBig = new Uint8Array(66).fill(0xff);
      const key = secret(32);
      for (const e of [
        await failure(be.ecdhP521(d, bad)),
        await failure(be.ecdhP521(tooBig, hk!.publicKey)),
        await failure(be.p521KeyAgreement!(d, [bad])),
        await failure(be.aesGcmDecrypt(key, new Uint8Array(12), secret(48), new Uint8Array(0))),
      ]) {
        expect((e as { code?: string }).code, be.name).toMatch(/^ERR_/);
        const out = printed(e);
        for (const f of [...forms(d), ...forms(key)]) expect(out, be.name).not.toContain(f);
      }
    }
  });

  it('key pairs, agreements and encoded secrets print as redacted', async () => {
    const [hk] = hostKeysFromDocuments([hkd1]);
    for (const be of [nodeBackend, nobleBackend]) {
      const kp = await be.generateP521();
      const ag = await p521KeyAgreement(be, undefined, [hk!.publicKey]);
      for (const [obj, hidden] of [
        [kp, [kp.privateKey]],
        [ag, [ag.privateKey, ...ag.shared]],
      ] as const) {
        const out = `${inspect(obj, { depth: 8 })}\n${JSON.stringify(obj)}\n${inspect({ nested: obj }, { depth: 8 })}`;
        expect(out).toContain('[redacted 66 bytes]');
        for (const h of hidden) for (const f of forms(h)) expect(out).not.toContain(f);
        // still usable: the public key prints, the secret fields are there for the code
        expect(out).toContain(String(kp.publicKey[0]));
        expect(obj.privateKey.length).toBe(66);
      }
    }
    const value = secret(32);
    const enc = encodeGuestSecret({ type: 'association', name: 'n', value }, nodeBackend);
    const out = `${inspect(enc)}\n${JSON.stringify(enc)}`;
    expect(out).toContain('[redacted 32 bytes]');
    for (const f of forms(value)) expect(out).not.toContain(f);
    expect(Buffer.from(enc.value).equals(Buffer.from(value))).toBe(true);
  });
});
