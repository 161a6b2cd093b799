/**
 * Secret encodings and their limits, the strict parser (user-data decoding, secret
 * lengths, reserved bytes, round trip), policy helpers, and verifyAddSecretRequest on
 * the reference's own requests and on ours.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeRequestAad } from '../src/request/asrcb.js';
import { encodeKeySlot } from '../src/request/keyslot.js';
import { encodeRetrievable } from '../src/request/retrievable.js';
import { encodeSecretHeader } from '../src/request/secret.js';
import {
  createAddSecretRequest,
  decodePolicyReference,
  isSeSecretsError,
  parseAddSecretRequest,
  policyUserData,
  secretId,
  tocPolicyLine,
  verifyAddSecretRequest,
} from './helpers/api.js';
import { HAVE_UPSTREAM, UPSTREAM_SKIP_REASON, upstream } from './helpers/upstream.js';
import { loadManifest, VECTOR_DIR } from './helpers/vectors.js';

const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};
const manifest = loadManifest();
const vectors = manifest.vectors
  .filter((v) => v.file)
  .map((v) => ({ name: v.file as string, bytes: new Uint8Array(readFileSync(join(VECTOR_DIR, v.file as string))) }));
const vector = (name: string) => (vectors.find((v) => v.name === name) as { bytes: Uint8Array }).bytes;

describe('retrievable encodings', () => {
  it('plaintext: u16 length, data, zeros to a multiple of 16 (reference known answers)', () => {
    const seven = (n: number) => new Uint8Array(n).fill(7);
    expect(hexOf(encodeRetrievable('plain', seven(14)).value)).toBe(`000e${'07'.repeat(14)}`);
    expect(hexOf(encodeRetrievable('plain', seven(10)).value)).toBe(`000a${'07'.repeat(10)}00000000`);
    expect(hexOf(encodeRetrievable('plain', new Uint8Array(0)).value)).toBe('00'.repeat(16));
    expect(encodeRetrievable('plain', new Uint8Array(8190)).value.length).toBe(8192);
    for (let n = 0; n <= 40; n++) expect(encodeRetrievable('plain', new Uint8Array(n)).value.length).toBe(Math.ceil((n + 2) / 16) * 16);
  });

  it('ids: SHA-256 of the name (reference known answers)', () => {
    expect(hexOf(secretId('association secret'))).toBe('75ad01b403a9e4595df07ace38129799ddad908a8f82f9c32cdd7d53efc73c62');
    expect(hexOf(secretId('test retr secret'))).toBe('612cd63ea8f2c115c10e15b88a9016c155ef9c7c2c8e56d0784c8a1dc93a80ba');
    expect(hexOf(secretId('PLAINTEXT_PAD'))).toBe('0f7bb0d287e7dce8945dc6c3a5d4d6812d015e0ba712970f78fe0d6dadba254a');
  });

  it('size errors name the limit', () => {
    const msg = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return `${(e as { code: string }).code}: ${(e as Error).message}`;
      }
    };
    expect(msg(() => encodeRetrievable('plain', new Uint8Array(8191)))).toBe(
      'ERR_SECRET_SIZE: retrievable plaintext: data is 8191 bytes (expected at most 8190)',
    );
    expect(msg(() => encodeRetrievable('aes', new Uint8Array(20)))).toBe('ERR_SECRET_SIZE: retrievable aes key: key is 20 bytes (expected 16, 24 or 32)');
    expect(msg(() => encodeRetrievable('aes-xts', new Uint8Array(48)))).toBe('ERR_SECRET_SIZE: retrievable aes-xts key: key is 48 bytes (expected 32 or 64)');
    expect(msg(() => encodeRetrievable('hmac-sha', new Uint8Array(32)))).toBe(
      'ERR_SECRET_SIZE: retrievable hmac-sha key: key is 32 bytes (expected 64 or 128)',
    );
    expect(codeOf(() => encodeRetrievable('rsa' as 'aes', new Uint8Array(16)))).toBe('ERR_INVALID_OPTION');
    expect(codeOf(() => encodeRetrievable('aes', 'abc' as unknown as Uint8Array))).toBe('ERR_INVALID_OPTION');
  });

  it('every AES/XTS/HMAC size other than the valid ones is refused', () => {
    const valid = { aes: [16, 24, 32], 'aes-xts': [32, 64], 'hmac-sha': [64, 128] } as const;
    for (const [kind, sizes] of Object.entries(valid) as [keyof typeof valid, readonly number[]][]) {
      for (let n = 0; n <= 130; n++) {
        expect(
          codeOf(() => encodeRetrievable(kind, new Uint8Array(n))),
          `${kind} ${n}`,
        ).toBe(sizes.includes(n) ? undefined : 'ERR_SECRET_SIZE');
      }
    }
  });
});

describe('parseAddSecretRequest on every vector', () => {
  for (const v of manifest.vectors.filter((x) => x.file)) {
    it(`${v.file}: fields match the manifest, and re-encoding gives the same bytes`, () => {
      const bytes = vector(v.file as string);
      const info = parseAddSecretRequest(bytes);
      const exp = v.expected as { size: number; userDataType: number; secretType: number; secretLength: number };
      expect([info.length, info.userDataType, info.secret.type, info.secret.length]).toEqual([exp.size, exp.userDataType, exp.secretType, exp.secretLength]);
      expect(hexOf(info.iv)).toBe(manifest.inputs.iv);
      expect(hexOf(info.tag)).toBe(manifest.inputs.tags.tag);
      expect(info.keySlots.length).toBe(v.hostKeys.length);
      if (info.userDataType === 1) expect(info.userData?.length).toBe(512);
      else expect(info.userData).toBeUndefined();
      const { request, aadLength } = encodeRequestAad({
        ...info,
        keySlots: info.keySlots.map(encodeKeySlot),
        secretHeader: encodeSecretHeader(info.secret),
      });
      request.set(info.encrypted, aadLength);
      request.set(info.requestTag, aadLength + info.encrypted.length);
      expect(aadLength).toBe(info.aadLength);
      expect(hexOf(request)).toBe(hexOf(bytes));
    });
  }

  it('update-CCK has no id; a non-zero id area is a reserved-field error', () => {
    const bytes = vector('cck_none_default_ncuid_one');
    expect(parseAddSecretRequest(bytes).secret).toEqual({ type: 0x16, length: 32 });
    const bad = bytes.slice();
    bad[0x4b8 + 80 + 20] = 1;
    expect(codeOf(() => parseAddSecretRequest(bad))).toBe('ERR_REQUEST_RESERVED');
  });

  it('a secret length that does not suit its type is a length error', () => {
    // AES-256 (32 bytes) relabelled AES-128: sizes stay consistent, the type does not.
    const bytes = vector('aes-256_none_default_ncuid_one').slice();
    bytes[0x4b8 + 80 + 3] = 0x04;
    expect(codeOf(() => parseAddSecretRequest(bytes))).toBe('ERR_REQUEST_LENGTH');
    const ed = vector('ec-ed448_none_default_ncuid_one').slice();
    ed[0x4b8 + 80 + 3] = 0x14; // 64 bytes labelled Ed25519
    expect(codeOf(() => parseAddSecretRequest(ed))).toBe('ERR_REQUEST_LENGTH');
    const plain = vector('aes-256_none_default_ncuid_one').slice();
    plain[0x4b8 + 80 + 3] = 0x03; // 32 bytes: a valid plaintext length
    expect(parseAddSecretRequest(plain).secret.type).toBe(3);
  });

  it('user data must fit its type', () => {
    const none = vector('null_none_default_ncuid_one').slice();
    none[0x218 + 3] = 1; // data in a request without user data
    expect(codeOf(() => parseAddSecretRequest(none))).toBe('ERR_REQUEST_RESERVED');
    const asEc = vector('null+udata0_none_default_ncuid_one').slice();
    asEc[7] = 2; // ECDSA-signed, signature length 0x190 set beyond 139
    new DataView(asEc.buffer).setUint16(0x218 + 0x190, 140);
    expect(codeOf(() => parseAddSecretRequest(asEc))).toBe('ERR_REQUEST_LENGTH');
    new DataView(asEc.buffer).setUint16(0x218 + 0x190, 2);
    asEc[0x218 + 0x100 + 5] = 1; // a byte after the 2-byte signature
    expect(codeOf(() => parseAddSecretRequest(asEc))).toBe('ERR_REQUEST_RESERVED');
    asEc[0x218 + 0x100 + 5] = 0;
    asEc[0x218 + 0x18b] = 1; // reserved18b
    expect(codeOf(() => parseAddSecretRequest(asEc))).toBe('ERR_REQUEST_RESERVED');
    asEc[0x218 + 0x18b] = 0;
    asEc[0x218 + 0x100] = 0x30;
    const info = parseAddSecretRequest(asEc);
    expect([info.userData?.length, hexOf(info.signature!)]).toEqual([256, '3000']);
    const rsa3072 = vector('null+udata512_none_default_ncuid_one').slice();
    rsa3072[7] = 4;
    const r = parseAddSecretRequest(rsa3072);
    expect([r.userData?.length, r.signature?.length]).toEqual([128, 384]);
  });

  it('random bytes, truncations and bit flips only ever raise typed errors', () => {
    const all = vectors.map((v) => v.bytes);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length - 1 }), fc.nat(), fc.nat(), fc.boolean(), (i, a, b, truncate) => {
        const src = all[i] as Uint8Array;
        let bytes = src.slice();
        if (truncate) bytes = bytes.subarray(0, a % (bytes.length + 1));
        else bytes[a % bytes.length] = (bytes[a % bytes.length] as number) ^ (1 << (b % 8));
        try {
          parseAddSecretRequest(bytes);
        } catch (e) {
          if (!isSeSecretsError(e)) throw e;
        }
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        try {
          parseAddSecretRequest(bytes);
        } catch (e) {
          if (!isSeSecretsError(e)) throw e;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('verifyAddSecretRequest: random bytes and bit flips only raise typed errors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: vectors.length - 1 }), fc.nat(), fc.nat(), async (i, a, b) => {
        const bytes = (vectors[i] as { bytes: Uint8Array }).bytes.slice();
        bytes[a % 64] = (bytes[a % 64] as number) ^ (1 << (b % 8));
        try {
          await verifyAddSecretRequest(bytes);
        } catch (e) {
          if (!isSeSecretsError(e)) throw e;
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('verifyAddSecretRequest accepts real requests', () => {
  it('every project vector; unsigned user data comes back', async () => {
    for (const v of manifest.vectors.filter((x) => x.file)) {
      const r = await verifyAddSecretRequest(vector(v.file as string));
      expect(r.signatureVerified).toBe(false);
      expect(r.userDataType).toBe((v.expected as { userDataType: number }).userDataType);
      if (r.userDataType === 1) expect(r.userData?.length).toBe(512);
    }
  });

  describe.skipIf(!HAVE_UPSTREAM)(`requests made by pvsecret${HAVE_UPSTREAM ? '' : ` — SKIPPED: ${UPSTREAM_SKIP_REASON}`}`, () => {
    const files = ['null_none_default_cuid_one', 'assoc_none_default_cuid_one', 'null_simple_default_cuid_one'];
    let ran = 0;
    for (const f of files) {
      it(f, async () => {
        const bytes = upstream(`exp/asrcb/${f}`);
        expect(await verifyAddSecretRequest(bytes)).toEqual({ userDataType: 0, signatureVerified: false });
        expect(parseAddSecretRequest(bytes).userData).toBeUndefined();
        ran++;
      });
    }
    it('ran all of them', () => expect(ran).toBe(files.length));
  });
});

describe('policy references', () => {
  const content = new TextEncoder().encode('policy\n');

  it('SHA-256 of the content, the path as given, zero-filled to 512 bytes', () => {
    const p = policyUserData(content, 'ebc/toc.pol');
    const hash = createHash('sha256').update(content).digest('hex');
    expect(hexOf(p.hash)).toBe(hash);
    expect(p.hashLine).toBe(`${hash}\n`);
    expect(p.userData.length).toBe(512);
    expect(hexOf(p.userData)).toBe(hash + Buffer.from('ebc/toc.pol').toString('hex') + '00'.repeat(480 - 11));
    const back = decodePolicyReference(p.userData);
    expect([hexOf(back.hash), Buffer.from(back.name).toString()]).toEqual([hash, 'ebc/toc.pol']);
  });

  it('a path longer than 480 bytes is cut; raw bytes are kept', () => {
    const long = 'd/'.repeat(300);
    expect(Buffer.from(policyUserData(content, long).userData.subarray(32)).toString()).toBe(long.slice(0, 480));
    const raw = new Uint8Array([0x66, 0xff, 0x2f]);
    expect(hexOf(policyUserData(content, raw).userData.subarray(32, 35))).toBe('66ff2f');
    expect(codeOf(() => decodePolicyReference(new Uint8Array(10)))).toBe('ERR_REQUEST_LENGTH');
  });

  it('tocPolicyLine: the request tag in lowercase hex and a newline', async () => {
    const req = vector('null+policy_none_default_ncuid_one');
    expect(tocPolicyLine(req)).toBe(`${hexOf(req.subarray(req.length - 16))}\n`);
    expect(codeOf(() => tocPolicyLine(new Uint8Array(3)))).toBe('ERR_REQUEST_LENGTH');
  });

  it('a policy reference is unsigned user data; with a signing key it does not fit', async () => {
    const samples = join(import.meta.dirname, '..', 'samples');
    const base = {
      seHeader: new Uint8Array(readFileSync(join(samples, 'sample.hdr'))),
      hostKeys: [new Uint8Array(readFileSync(join(samples, 'HKD-sample-1.crt')))],
      verify: false as const,
    };
    const { userData } = policyUserData(content, 'toc.pol');
    const req = await createAddSecretRequest({ ...base, secret: { type: 'meta' }, userData });
    expect(hexOf(parseAddSecretRequest(req).userData!)).toBe(hexOf(userData));
    const key = new Uint8Array(readFileSync(join(samples, 'HKD-sample-1.key')));
    await expect(createAddSecretRequest({ ...base, secret: { type: 'meta' }, userData, userSigningKey: key })).rejects.toMatchObject({
      code: 'ERR_USER_DATA_SIZE',
    });
  });
});
