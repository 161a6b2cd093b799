/**
 * The browser-facing parts of the portable core, in Node: reading an SE header from a
 * Blob slice by slice, and the verification steps the offline page shows.
 */
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as portable from '../src/index.js';
import { readSeHeaderFromBlob, type VerificationStep, verifyHostKeyDocuments } from '../src/index.js';
import { codeOf, sample } from './helpers/samples.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const verifyInputs = (crls = ['ibm-z-host-key.crl', 'intermediate-ca.crl', 'root-ca.crl']) => ({
  hostKeyDocuments: [sample('HKD-sample-1.crt'), sample('HKD-sample-2.crt')],
  certificates: [sample('ibm-z-host-key-signing.crt'), sample('intermediate-ca.crt')],
  crls: crls.map(sample),
  rootCa: sample('root-ca.crt'),
  offline: true,
  now: NOW,
});

describe('readSeHeaderFromBlob', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'se-secrets-blob-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds the header of an image through its metadata, reading only what it needs', async () => {
    const img = sample('sample-se.img');
    const stats = { bytesRead: 0, reads: 0 };
    const hdr = await readSeHeaderFromBlob(new Blob([img]), { stats });
    expect(hdr.offset).toBe(0x14000);
    expect(hdr.tag).toEqual(portable.parseSeHeader(img).tag);
    // metadata (28) + magic (8) + head (416) + header (720)
    expect(stats).toEqual({ bytesRead: 28 + 8 + 416 + 720, reads: 4 });
  });

  it('reads an extracted header and a file opened as a Blob', async () => {
    const path = join(dir, 'sample.hdr');
    await writeFile(path, sample('sample.hdr'));
    const hdr = await readSeHeaderFromBlob(await openAsBlob(path));
    expect(hdr.offset).toBe(0);
    expect(hdr.hostKeyHashes).toHaveLength(2);
  });

  it('names the file in its errors: not found, and a file that changed under it', async () => {
    const f = new File([new Uint8Array(0x20000)], 'zeros.img');
    await expect(readSeHeaderFromBlob(f)).rejects.toMatchObject({
      code: 'ERR_HEADER_NOT_FOUND',
      message: expect.stringMatching(/^zeros\.img: se header: no SE header found/),
    });
    const path = join(dir, 'changing.img');
    await writeFile(path, sample('sample-se.img'));
    const blob = await openAsBlob(path);
    await writeFile(path, new Uint8Array(10)); // the browser's NotReadableError case
    await expect(readSeHeaderFromBlob(blob)).rejects.toMatchObject({
      code: 'ERR_FILE',
      name: 'FileError',
      message: expect.stringMatching(/^blob: cannot read \(/),
    });
  });
});

describe('verification steps (onStep)', () => {
  it('reports each step as it passes, in order', async () => {
    const steps: VerificationStep[] = [];
    const keys = await verifyHostKeyDocuments({ ...verifyInputs(), onStep: (s) => steps.push(s) });
    expect(steps.map((s) => s.step)).toEqual(['inputs', 'signing-key', 'chain', 'host-key-document', 'host-key-document']);
    expect(steps[0]).toEqual({ step: 'inputs', certificates: 2, crls: 3, roots: 1, unused: [] });
    expect(steps[1]).toMatchObject({ subject: expect.stringMatching(/OU=IBM Z Host Key Signing Service$/) });
    expect(steps[2]).toMatchObject({
      subjects: [expect.stringMatching(/Signing Service$/), expect.stringMatching(/Code Signing CA$/), expect.stringMatching(/Root CA G4$/)],
    });
    expect(steps[3]).toEqual({ step: 'host-key-document', index: 0, keys: [keys[0]] });
    expect(steps[4]).toEqual({ step: 'host-key-document', index: 1, keys: [keys[1]] });
  });

  it('stops at the failing step: without the root CRL, after the signing key', async () => {
    const steps: string[] = [];
    const code = await codeOf(verifyHostKeyDocuments({ ...verifyInputs(['ibm-z-host-key.crl', 'intermediate-ca.crl']), onStep: (s) => steps.push(s.step) }));
    expect(code).toBe('ERR_SIGNING_KEY_UNTRUSTED');
    expect(steps).toEqual(['inputs', 'signing-key']);
  });

  it('rejects an onStep that is not a function', async () => {
    expect(await codeOf(verifyHostKeyDocuments({ ...verifyInputs(), onStep: 'yes' as unknown as () => void }))).toBe('ERR_INVALID_OPTION');
  });
});

describe('the portable entry', () => {
  it('names both halves of the portable backend', () => {
    expect(portable.nobleBackend.name).toBe('noble');
    expect(portable.webCryptoBackend.name).toBe('webcrypto');
    expect(portable.portableBackend.name).toBe('portable');
    expect(typeof portable.blobReadAt).toBe('function');
  });
});
