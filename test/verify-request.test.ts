/**
 * Verification inside createAddSecretRequest, and host keys from
 * verifyHostKeyDocuments reused without verifying again.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAddSecretRequest, parseAddSecretRequest, verifyHostKeyDocuments } from './helpers/api.js';
import * as portable from '../src/index.js';
import { hostKeysFromDocuments } from '../src/request/host-key.js';

const samples = join(import.meta.dirname, '..', 'samples');
const read = (name: string) => new Uint8Array(readFileSync(join(samples, name)));
const NOW = new Date('2030-01-01T00:00:00Z');
const hkd1 = read('HKD-sample-1.crt');
const hkd2 = read('HKD-sample-2.crt');
const verify = {
  certificates: [read('ibm-z-host-key-signing.crt'), read('intermediate-ca.crt')],
  crls: [read('ibm-z-host-key.crl'), read('intermediate-ca.crl'), read('root-ca.crl')],
  rootCa: read('root-ca.crt'),
  offline: true,
  now: NOW,
};
const base = { secret: { type: 'meta' } as const, seHeader: read('sample.hdr') };

/** The key slot hash computed independently: SHA-256 of X ‖ Y, each left-padded to 80 bytes. */
function independentSlotHash(pemCert: Uint8Array): string {
  const jwk = new X509Certificate(Buffer.from(pemCert)).publicKey.export({ format: 'jwk' });
  const pad = (b64: string) => Buffer.concat([Buffer.alloc(80 - Buffer.from(b64, 'base64url').length), Buffer.from(b64, 'base64url')]);
  return createHash('sha256').update(Buffer.concat([pad(jwk.x!), pad(jwk.y!)])).digest('hex');
}

const slotHashes = (req: Uint8Array) => parseAddSecretRequest(req).keySlots.map((s) => Buffer.from(s.hostKeyHash).toString('hex'));

describe('createAddSecretRequest with verification', () => {
  it('verify: { … } verifies the documents and builds the request', async () => {
    const req = await createAddSecretRequest({ ...base, hostKeys: [hkd1, hkd2], verify });
    expect(slotHashes(req)).toEqual([independentSlotHash(hkd1), independentSlotHash(hkd2)]);
  });

  it('host keys from verifyHostKeyDocuments need no verify option', async () => {
    const keys = await verifyHostKeyDocuments({ ...verify, hostKeyDocuments: [hkd2, hkd1] });
    const req = await createAddSecretRequest({ ...base, hostKeys: keys });
    expect(slotHashes(req)).toEqual([independentSlotHash(hkd2), independentSlotHash(hkd1)]);
  });

  it('verified keys and documents mix, in the order given', async () => {
    const [k2] = await verifyHostKeyDocuments({ ...verify, hostKeyDocuments: [hkd2] });
    const req = await createAddSecretRequest({ ...base, hostKeys: [k2!, hkd1, k2!], verify });
    expect(slotHashes(req)).toEqual([independentSlotHash(hkd2), independentSlotHash(hkd1), independentSlotHash(hkd2)]);
  });

  it('a verified key keeps the bytes it was verified with', async () => {
    const [k1] = await verifyHostKeyDocuments({ ...verify, hostKeyDocuments: [hkd1] });
    expect(Object.isFrozen(k1)).toBe(true);
    const { publicKey, hash } = k1!;
    publicKey[10] = (publicKey[10] ?? 0) ^ 0xff;
    hash[0] = (hash[0] ?? 0) ^ 0xff;
    const req = await createAddSecretRequest({ ...base, hostKeys: [k1!] });
    expect(slotHashes(req)).toEqual([independentSlotHash(hkd1)]);
  });

  it('leaving verify out with documents or unverified keys is ERR_VERIFY_REQUIRED', async () => {
    await expect(createAddSecretRequest({ ...base, hostKeys: [hkd1] })).rejects.toMatchObject({ code: 'ERR_VERIFY_REQUIRED' });
    const unverified = hostKeysFromDocuments([hkd1]);
    await expect(createAddSecretRequest({ ...base, hostKeys: unverified })).rejects.toMatchObject({ code: 'ERR_VERIFY_REQUIRED' });
    await expect(createAddSecretRequest({ ...base, hostKeys: unverified, verify })).rejects.toMatchObject({ code: 'ERR_VERIFY_REQUIRED' });
    const [k1] = await verifyHostKeyDocuments({ ...verify, hostKeyDocuments: [hkd1] });
    const lookAlike = { ...k1! };
    await expect(createAddSecretRequest({ ...base, hostKeys: [lookAlike] })).rejects.toMatchObject({ code: 'ERR_VERIFY_REQUIRED' });
  });

  it('verify: false still builds on unverified keys', async () => {
    const req = await createAddSecretRequest({ ...base, hostKeys: hostKeysFromDocuments([hkd1]), verify: false });
    expect(slotHashes(req)).toEqual([independentSlotHash(hkd1)]);
  });

  it('a verification failure is the request error', async () => {
    await expect(createAddSecretRequest({ ...base, hostKeys: [hkd1], verify: { ...verify, now: new Date('2046-01-01T00:00:00Z') } })).rejects.toMatchObject({
      code: 'ERR_SIGNING_KEY_UNTRUSTED',
    });
    await expect(createAddSecretRequest({ ...base, hostKeys: [hkd1], verify: { ...verify, crls: [read('intermediate-ca.crl'), read('root-ca.crl')] } })).rejects.toMatchObject({
      code: 'ERR_NO_VALID_CRL',
    });
    await expect(createAddSecretRequest({ ...base, hostKeys: [hkd1], verify: { certificates: 'nope' } as never })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
  });

  it('under Node, no rootCa means the platform roots (which do not hold the sample root)', async () => {
    const { rootCa: _, ...noRoot } = verify;
    await expect(createAddSecretRequest({ ...base, hostKeys: [hkd1], verify: noRoot })).rejects.toMatchObject({
      code: 'ERR_SIGNING_KEY_UNTRUSTED',
      reason: 'issuer-not-found',
      depth: 1,
    });
  });

  it('the portable entry has no default roots: rootCa or trustedRoots is required', async () => {
    const { rootCa: _, ...noRoot } = verify;
    await expect(portable.verifyHostKeyDocuments({ ...noRoot, hostKeyDocuments: [hkd1] })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    const keys = await portable.verifyHostKeyDocuments({ ...noRoot, trustedRoots: [read('root-ca.crt')], hostKeyDocuments: [hkd1] });
    expect(keys).toHaveLength(1);
    const req = await portable.createAddSecretRequest({ ...base, hostKeys: keys });
    expect(slotHashes(req)).toEqual([independentSlotHash(hkd1)]);
  });

  it('trustedRoots are read from the bytes given in each call, also when the same array is reused', async () => {
    const { rootCa: _, ...noRoot } = verify;
    const roots = read('root-ca.crt');
    expect(await portable.verifyHostKeyDocuments({ ...noRoot, trustedRoots: [roots], hostKeyDocuments: [hkd1] })).toHaveLength(1);
    roots.fill(0x20); // the caller reuses its array: it no longer holds a certificate
    await expect(portable.verifyHostKeyDocuments({ ...noRoot, trustedRoots: [roots], hostKeyDocuments: [hkd1] })).rejects.toMatchObject({
      code: 'ERR_SIGNING_KEY_UNTRUSTED',
    });
    roots.set(read('root-ca.crt').subarray(0, roots.length));
    expect(await portable.verifyHostKeyDocuments({ ...noRoot, trustedRoots: [roots], hostKeyDocuments: [hkd1] })).toHaveLength(1);
  });

  it('the portable entry verifies while building only with the verifier passed in', async () => {
    // Nothing is verified, nothing is built: the missing verifier is named.
    await expect(portable.createAddSecretRequest({ ...base, hostKeys: [hkd1], verify })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
      message: expect.stringMatching(/^options\.verifier: .*verifyHostKeyDocuments/),
    });
    await expect(portable.createAddSecretRequest({ ...base, hostKeys: [hkd1], verify, verifier: 'no' as never })).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    const req = await portable.createAddSecretRequest({ ...base, hostKeys: [hkd1, hkd2], verify, verifier: portable.verifyHostKeyDocuments });
    expect(slotHashes(req)).toEqual([independentSlotHash(hkd1), independentSlotHash(hkd2)]);
    // The verifier's verdict counts, as under Node.
    await expect(
      portable.createAddSecretRequest({ ...base, hostKeys: [hkd1], verify: { ...verify, now: new Date('2046-01-01T00:00:00Z') }, verifier: portable.verifyHostKeyDocuments }),
    ).rejects.toMatchObject({ code: 'ERR_SIGNING_KEY_UNTRUSTED' });
    // Unverified builds and verified host keys need no verifier.
    expect(slotHashes(await portable.createAddSecretRequest({ ...base, hostKeys: [hkd1], verify: false }))).toEqual([independentSlotHash(hkd1)]);
  });
});
