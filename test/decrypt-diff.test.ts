/**
 * decryptAddSecretRequest and diffAddSecretRequests on real requests: built by
 * se-secrets (and checked against the independent node:crypto reader) and the
 * reference's known-answer vectors (skipped visibly when absent).
 */
import { createHash, createPrivateKey, generateKeyPairSync, hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseP521PrivateKey } from '../src/crypto/keys.js';
import { nodeBackend } from '../src/crypto/node.js';
import { portableBackend } from '../src/crypto/portable.js';
import { decryptAddSecretRequest as decryptPortable } from '../src/request/decrypt.js';
import { createAddSecretRequest, decryptAddSecretRequest, diffAddSecretRequests, parseSeHeader } from './helpers/api.js';
import { openRequest } from './helpers/independent.js';
import { codeOf, hostScalar, SAMPLES, sample } from './helpers/samples.js';
import { HAVE_UPSTREAM, UPSTREAM_INPUTS as I, UPSTREAM_SKIP_REASON, upstream } from './helpers/upstream.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const keyPem = (n: 1 | 2) => readFileSync(join(SAMPLES, `HKD-sample-${n}.key`));
const hkd1 = sample('HKD-sample-1.crt');
const hkd2 = sample('HKD-sample-2.crt');
const img = sample('sample-se.img');

describe('parseP521PrivateKey: every form gives the same 66-byte scalar', () => {
  const pem = keyPem(1);
  const scalar = hostScalar(1);
  const k = createPrivateKey(pem);
  const forms: [string, Uint8Array][] = [
    ['PKCS#8 PEM', new Uint8Array(pem)],
    ['PKCS#8 DER', new Uint8Array(k.export({ format: 'der', type: 'pkcs8' }))],
    ['SEC 1 PEM', new Uint8Array(Buffer.from(k.export({ format: 'pem', type: 'sec1' }) as string))],
    ['SEC 1 DER', new Uint8Array(k.export({ format: 'der', type: 'sec1' }))],
    ['raw 66 bytes', new Uint8Array(scalar)],
    ['raw 80 bytes', new Uint8Array(Buffer.concat([Buffer.alloc(14), scalar]))],
  ];
  for (const [name, bytes] of forms) {
    it(name, () => {
      expect(hex(parseP521PrivateKey(bytes))).toBe(scalar.toString('hex'));
    });
  }

  it('refuses other curves, other algorithms, encrypted keys, odd sizes, out-of-range scalars', async () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const code = (b: Uint8Array) => codeOf(() => parseP521PrivateKey(b));
    expect(() => parseP521PrivateKey(new Uint8Array(p256.export({ format: 'der', type: 'pkcs8' })), 'k')).toThrow(/^k: not a P-521 private key \(got ec/);
    expect(await code(new Uint8Array(Buffer.from(p256.export({ format: 'pem', type: 'sec1' }) as string)))).toBe('ERR_KEY_PARSE');
    expect(() => parseP521PrivateKey(new Uint8Array(rsa.export({ format: 'der', type: 'pkcs8' })), 'k')).toThrow(/^k: not a P-521 private key \(got rsa/);
    const encrypted = k.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'x' }) as string;
    expect(() => parseP521PrivateKey(new Uint8Array(Buffer.from(encrypted)))).toThrow(/encrypted private keys are not supported/);
    expect(await code(new Uint8Array(65))).toBe('ERR_KEY_PARSE');
    expect(await code(new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'))).toBe('ERR_KEY_PARSE');
    expect(await code(new Uint8Array(66).fill(0xff))).toBe('ERR_INVALID_PRIVATE_KEY');
    expect(await code(new Uint8Array(66))).toBe('ERR_INVALID_PRIVATE_KEY');
  });
});

describe('decryptAddSecretRequest on se-secrets requests', () => {
  const value = new Uint8Array(32).fill(0xa5);
  const cck = new Uint8Array(32).fill(9);
  const build = (o: Partial<Parameters<typeof createAddSecretRequest>[0]> = {}) =>
    createAddSecretRequest({
      secret: { type: 'association', name: 'seguest-16.001e', value },
      seHeader: img,
      hostKeys: [hkd1, hkd2],
      verify: false,
      cuid: new Uint8Array(16).fill(0x42),
      flags: { disableDump: true },
      extensionSecret: { cck },
      ...o,
    });

  it('opens with either host private key, authenticates, and agrees with the independent reader', async () => {
    const req = await build();
    const header = parseSeHeader(img);
    const derived = new Uint8Array(hkdfSync('sha512', cck, header.tag, 'IBM Z Ultravisor Add-Secret', 32));
    for (const n of [1, 2] as const) {
      for (const decrypt of [
        decryptAddSecretRequest,
        (b: Uint8Array, k: { hostPrivateKey: Uint8Array }) => decryptPortable(b, { ...k, backend: portableBackend }),
      ]) {
        const d = await decrypt(req, { hostPrivateKey: new Uint8Array(keyPem(n)) });
        const o = openRequest(req, hostScalar(n));
        expect(d.keySlot).toBe(o.slotIndex);
        expect(d.keySlot).toBe(n - 1);
        expect(hex(d.hostKeyHash)).toBe(o.slots[n - 1]?.hash.toString('hex'));
        expect(d.secret.type).toBe(2);
        expect(d.secret.typeName).toBe('Association');
        expect(hex(d.secret.id as Uint8Array)).toBe(createHash('sha256').update('seguest-16.001e').digest('hex'));
        expect(hex(d.secret.value)).toBe(hex(value));
        expect(hex(d.secret.value)).toBe(o.plaintext.subarray(0, 32).toString('hex'));
        expect(hex(d.extensionSecret)).toBe(hex(derived));
        expect(d.request.flags).toBe(0x8000000000000000n);
        expect(hex(d.request.cuid)).toBe('42'.repeat(16));
        expect(hex(d.request.tag)).toBe(hex(header.tag));
      }
    }
  });

  it('meta requests: no value, no id', async () => {
    const d = await decryptAddSecretRequest(await build({ secret: { type: 'meta' }, extensionSecret: undefined }), { hostPrivateKey: hostScalar(2) });
    expect(d.secret.typeName).toBe('Meta');
    expect(d.secret.id).toBeUndefined();
    expect(d.secret.value).toHaveLength(0);
    expect(hex(d.extensionSecret)).toBe('00'.repeat(32));
  });

  it('opens with the customer private key and a host-key document', async () => {
    const customer = new Uint8Array(hostScalar(2)); // any valid P-521 scalar will do as the customer key
    const req = await build({
      deterministic: { iv: new Uint8Array(12).fill(1), protectionKey: new Uint8Array(32).fill(2), customerPrivateKey: customer },
    });
    const d = await decryptAddSecretRequest(req, { customerPrivateKey: customer, hostKeyDocument: hkd2 });
    expect(d.keySlot).toBe(1);
    expect(hex(d.secret.value)).toBe(hex(value));
    const wrong = await codeOf(decryptAddSecretRequest(req, { customerPrivateKey: hostScalar(1), hostKeyDocument: hkd2 }));
    expect(wrong).toBe('ERR_REQUEST_CUSTOMER_KEY');
  });

  it('refuses a host without a key slot, and any modified byte', async () => {
    const req = await build({ hostKeys: [hkd1] });
    const e = await decryptAddSecretRequest(req, { hostPrivateKey: hostScalar(2) }).catch((x) => x);
    expect(e.code).toBe('ERR_REQUEST_NO_KEY_SLOT');
    expect(e.message).toMatch(/^request: no key slot for host key [0-9a-f]{64} \(the request has 1 key slot\(s\) for other host keys\)$/);
    const flip = (offset: number) => {
      const b = req.slice();
      b[offset] = (b[offset] as number) ^ 1;
      return decryptAddSecretRequest(b, { hostPrivateKey: hostScalar(1) }).catch((x) => x);
    };
    const slot = 0x4b8;
    for (const [what, offset] of [
      ['flags', 0x30],
      ['cuid', 0x108],
      ['secret id', slot + 80 + 16],
      ['ciphertext', slot + 80 + 48],
      ['request tag', req.length - 1],
    ] as const) {
      const err = await flip(offset);
      expect(err.code, what).toBe('ERR_REQUEST_AUTH');
      expect(err.message, what).toBe('request: authentication failed: the request was modified after it was built');
    }
    // an unsigned request's user-data area must be zero: refused before authentication
    expect((await flip(0x300)).code).toBe('ERR_REQUEST_RESERVED');
    const slotErr = await flip(slot + 40);
    expect(slotErr.code).toBe('ERR_REQUEST_AUTH');
    expect(slotErr.message).toBe('request: key slot 0 does not open with this key (wrong key, or the slot was modified)');
    expect((await flip(slot)).code).toBe('ERR_REQUEST_NO_KEY_SLOT');
    expect((await flip(0)).code).toBe('ERR_REQUEST_MAGIC');
  });
});

describe.skipIf(!HAVE_UPSTREAM)(`decrypt and diff on the reference's vectors${HAVE_UPSTREAM ? '' : ` — SKIPPED: ${UPSTREAM_SKIP_REASON}`}`, () => {
  const key = () => ({ customerPrivateKey: upstream('keys/private_cust.bin'), hostKeyDocument: upstream('keys/host.pem.crt') });

  it('assoc_none_default_cuid_one: association secret 32 x 0x11, id SHA-256("add_secret_request"), CUID 0x42…', async () => {
    for (const decrypt of [decryptAddSecretRequest, decryptPortable]) {
      const d = await decrypt(upstream('exp/asrcb/assoc_none_default_cuid_one'), key());
      expect(d.keySlot).toBe(0);
      expect(d.secret.typeName).toBe('Association');
      expect(hex(d.secret.id as Uint8Array)).toBe(createHash('sha256').update(I.associationName).digest('hex'));
      expect(hex(d.secret.value)).toBe(hex(I.associationValue));
      expect(hex(d.extensionSecret)).toBe('00'.repeat(32));
      expect(hex(d.request.cuid)).toBe(hex(I.cuid));
      expect(hex(d.request.tag)).toBe(hex(I.tags.tag));
    }
  });

  it('null_simple_default_cuid_one: meta secret with the simple extension secret 32 x 0x17', async () => {
    const d = await decryptAddSecretRequest(upstream('exp/asrcb/null_simple_default_cuid_one'), key());
    expect(d.secret.typeName).toBe('Meta');
    expect(hex(d.extensionSecret)).toBe(hex(I.extensionSimple));
    const n = await decryptAddSecretRequest(upstream('exp/asrcb/null_none_default_cuid_one'), key());
    expect(hex(n.extensionSecret)).toBe('00'.repeat(32));
  });

  it('diff: the same inputs rebuilt deterministically match in every field; a random rebuild differs only in random fields', async () => {
    const expected = upstream('exp/asrcb/assoc_none_default_cuid_one');
    const common = {
      secret: { type: 'association' as const, name: I.associationName, value: I.associationValue },
      seHeader: I.tags,
      hostKeys: [upstream('keys/host.pem.crt')],
      verify: false as const,
      cuid: I.cuid,
      backend: nodeBackend,
    };
    const same = await createAddSecretRequest({
      ...common,
      deterministic: { iv: I.iv, protectionKey: I.protectionKey, customerPrivateKey: upstream('keys/private_cust.bin') },
    });
    const d1 = diffAddSecretRequests(same, expected);
    expect(d1.fields.every((f) => f.equal)).toBe(true);
    const d2 = diffAddSecretRequests(await createAddSecretRequest(common), expected);
    expect(d2.equivalent).toBe(true);
    expect(d2.randomDifferences.map((f) => f.field)).toEqual([
      'iv',
      'customer public key',
      'key slot 0 wrapped key',
      'key slot 0 tag',
      'ciphertext',
      'request tag',
    ]);
    const d3 = diffAddSecretRequests(await createAddSecretRequest({ ...common, cuid: undefined, flags: { disableDump: true } }), expected);
    expect(d3.equivalent).toBe(false);
    expect(d3.differences.map((f) => [f.field, f.a, f.b])).toEqual([
      ['flags', '0x8000000000000000', '0x0000000000000000'],
      ['cuid', '00'.repeat(16), '42'.repeat(16)],
    ]);
  });
});

describe('diffAddSecretRequests on se-secrets requests', () => {
  const build = (name: string, hostKeys = [hkd1, hkd2]) =>
    createAddSecretRequest({ secret: { type: 'association', name }, seHeader: img, hostKeys, verify: false, backend: nodeBackend });

  it('two builds from the same inputs are equivalent: only the random fields differ', async () => {
    const d = diffAddSecretRequests(await build('a'), await build('a'));
    expect(d.equivalent).toBe(true);
    expect(d.differences).toEqual([]);
    // the secret value is random too (no value given): it sits in the ciphertext
    expect(d.randomDifferences.map((f) => f.field)).toEqual([
      'iv',
      'customer public key',
      'key slot 0 wrapped key',
      'key slot 0 tag',
      'key slot 1 wrapped key',
      'key slot 1 tag',
      'ciphertext',
      'request tag',
    ]);
    expect(d.fields.filter((f) => f.equal).map((f) => f.field)).toContain('secret id');
  });

  it('real differences: name (secret id), host keys (nks, length, slot hashes)', async () => {
    const a = await build('a');
    expect(diffAddSecretRequests(a, await build('b')).differences.map((f) => f.field)).toEqual(['secret id']);
    const d = diffAddSecretRequests(a, await build('a', [hkd2]));
    expect(d.differences.map((f) => f.field)).toEqual(['length', 'key slots (nks)', 'key slot 0 host-key hash', 'key slot 1 host-key hash']);
    expect(d.differences.at(-1)?.b).toBe('(absent)');
  });

  it('signed user data: the data part is compared, the signature is random by design', async () => {
    const userSigningKey = new Uint8Array(readFileSync(join(import.meta.dirname, 'fixtures', 'user-keys', 'ec-p521.pem')));
    const signed = (userData: Uint8Array) =>
      createAddSecretRequest({ secret: { type: 'meta' }, seHeader: img, hostKeys: [hkd1], verify: false, backend: nodeBackend, userData, userSigningKey });
    const data = new Uint8Array(40).fill(3);
    // ECDSA signatures are randomised: the same data signed twice differs only in random fields
    const same = diffAddSecretRequests(await signed(data), await signed(data));
    expect(same.equivalent).toBe(true);
    expect(same.randomDifferences.map((f) => f.field)).toContain('user-data signature');
    const other = data.slice();
    other[10] = 7;
    expect(diffAddSecretRequests(await signed(data), await signed(other)).differences.map((f) => f.field)).toEqual(['user data']);
  });

  it('names the request that does not parse', async () => {
    const a = await build('a');
    const e = (() => {
      try {
        diffAddSecretRequests(a, a.subarray(0, 100));
      } catch (x) {
        return x as { code: string; message: string };
      }
    })();
    expect(e?.code).toBe('ERR_REQUEST_LENGTH');
    expect(e?.message).toMatch(/^request b: request: /);
  });
});
