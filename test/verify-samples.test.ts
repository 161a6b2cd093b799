import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyHostKeyDocuments, isVerifiedHostKey } from './helpers/api.js';
import { hostKeysFromDocuments } from '../src/request/host-key.js';

const samples = join(import.meta.dirname, '..', 'samples');
const read = (name: string) => new Uint8Array(readFileSync(join(samples, name)));
const NOW = new Date('2030-01-01T00:00:00Z');

describe('the bundled samples verify', () => {
  it('both sample host-key documents chain to the sample root, offline', async () => {
    const keys = await verifyHostKeyDocuments({
      hostKeyDocuments: [read('HKD-sample-1.crt'), read('HKD-sample-2.crt')],
      certificates: [read('ibm-z-host-key-signing.crt'), read('intermediate-ca.crt')],
      crls: [read('ibm-z-host-key.crl'), read('intermediate-ca.crl'), read('root-ca.crl')],
      rootCa: read('root-ca.crt'),
      offline: true,
      now: NOW,
    });
    expect(keys).toHaveLength(2);
    const unverified = hostKeysFromDocuments([read('HKD-sample-1.crt'), read('HKD-sample-2.crt')]);
    keys.forEach((k, i) => {
      expect(isVerifiedHostKey(k)).toBe(true);
      expect(Buffer.from(k.publicKey).toString('hex')).toBe(Buffer.from(unverified[i]!.publicKey).toString('hex'));
      expect(k.documentIndex).toBe(i);
    });
  });

  it('after 2045 the sample chain has expired', async () => {
    await expect(
      verifyHostKeyDocuments({
        hostKeyDocuments: [read('HKD-sample-1.crt')],
        certificates: [read('ibm-z-host-key-signing.crt'), read('intermediate-ca.crt')],
        crls: [read('ibm-z-host-key.crl'), read('intermediate-ca.crl'), read('root-ca.crl')],
        rootCa: read('root-ca.crt'),
        offline: true,
        now: new Date('2046-01-01T00:00:00Z'),
      }),
    ).rejects.toMatchObject({ code: 'ERR_SIGNING_KEY_UNTRUSTED' });
  });
});
