/**
 * Seeds for the fuzz targets: the bundled samples, requests built here with fixed
 * inputs, and — when present — the upstream vectors (skipped visibly otherwise).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePem } from '../../src/certs/pem.js';
import { pointToWire } from '../../src/crypto/p521.js';
import { hostKeysFromDocuments } from '../../src/request/host-key.js';
import { createAddSecretRequest } from '../helpers/api.js';
import { p521ScalarFromPem } from '../helpers/independent.js';
import { HAVE_UPSTREAM, UPSTREAM_SKIP_REASON, upstream } from '../helpers/upstream.js';

const samples = join(import.meta.dirname, '..', '..', 'samples');
export const sample = (f: string): Uint8Array => new Uint8Array(readFileSync(join(samples, f)));
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

if (!HAVE_UPSTREAM) console.warn(`fuzz: upstream vectors not used as extra seeds: ${UPSTREAM_SKIP_REASON}`);
/** Upstream files, or nothing when the vectors are absent. */
const up = (rel: string): Uint8Array[] => (HAVE_UPSTREAM ? [upstream(rel)] : []);

// ── SE headers and images ────────────────────────────────────────────────────────
export const header = sample('sample.hdr');
const image = sample('sample-se.img');
/** The sample image up to the end of its header (metadata at 0xc000, header at 0x14000). */
export const imageSlice = image.subarray(0, 0x14000 + header.length);
/** An image without metadata: the header at the start of page 1 (found by the page scan). */
export const scannedImage = concat(new Uint8Array(0x1000), header);
export const headerSeeds: Uint8Array[] = [header, ...up('exp/secure_guest.hdr')];
export const imageSeeds: Uint8Array[] = [header, imageSlice, scannedImage, ...up('exp/secure_guest.hdr')];

// ── certificates and PEM ─────────────────────────────────────────────────────────
export const hkd1 = sample('HKD-sample-1.crt');
const hkd2 = sample('HKD-sample-2.crt');
const hkd1Der = (decodePem(hkd1) ?? [])[0]?.der ?? new Uint8Array(0);
export const hostKeyDocumentSeeds: Uint8Array[] = [hkd1, hkd1Der, concat(hkd1, hkd2), ...up('keys/host.pem.crt')];
export const certificateSeeds: Uint8Array[] = [
  ...hostKeyDocumentSeeds,
  sample('ibm-z-host-key-signing.crt'),
  sample('intermediate-ca.crt'),
  sample('root-ca.crt'),
  // CRLs are not certificates: they must be refused with a typed error.
  sample('ibm-z-host-key.crl'),
];
export const pemSeeds: Uint8Array[] = [hkd1, concat(hkd1, hkd2), sample('root-ca.crt'), sample('ibm-z-host-key.crl'), sample('HKD-sample-1.key')];
export const PEM_DICTIONARY = [
  '-----BEGIN CERTIFICATE-----\n',
  '-----END CERTIFICATE-----\n',
  '-----BEGIN X509 CRL-----\n',
  '-----END X509 CRL-----\n',
  '-----BEGIN ',
  '-----END ',
  '-----',
  'CERTIFICATE',
  '\n',
  '\r\n',
  '=',
  '==',
  'MIIB',
  'AAAA',
];
/** DER building blocks: SEQUENCE / long-form lengths / OIDs of EC keys and P-521. */
export const DER_DICTIONARY: Uint8Array[] = [
  new Uint8Array([0x30, 0x82]),
  new Uint8Array([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]),
  new Uint8Array([0x30, 0x80]),
  new Uint8Array([0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]),
  new Uint8Array([0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23]),
  new Uint8Array([0x03, 0x81, 0x86, 0x00, 0x04]),
  new Uint8Array([0xa0, 0x03, 0x02, 0x01, 0x02]),
];

// ── P-521 encodings ──────────────────────────────────────────────────────────────
const [hk1] = hostKeysFromDocuments([hkd1]);
export const hostWire = pointToWire(hk1!.publicKey);
const hostScalar = new Uint8Array(p521ScalarFromPem(Buffer.from(sample('HKD-sample-1.key'))));
export const wireSeeds: Uint8Array[] = [hostWire, ...up('keys/public_cust.bin')];
export const scalarSeeds: Uint8Array[] = [hostScalar, concat(new Uint8Array(14), hostScalar), ...up('keys/private_cust.bin')];

// ── add-secret requests ──────────────────────────────────────────────────────────
const fixed = {
  iv: new Uint8Array(12).fill(0x55),
  protectionKey: new Uint8Array(32).fill(0x17),
  customerPrivateKey: new Uint8Array(66).fill(3, 10),
};
const base = { seHeader: header, verify: false as const, deterministic: fixed };
export const requestSeeds: Uint8Array[] = [
  await createAddSecretRequest({ ...base, secret: { type: 'meta' }, hostKeys: [hkd1] }),
  await createAddSecretRequest({
    ...base,
    secret: { type: 'association', name: 'fuzz', value: new Uint8Array(32).fill(0x11) },
    hostKeys: [hkd1, hkd2],
    cuid: new Uint8Array(16).fill(0x42),
    flags: { disableDump: true },
  }),
  await createAddSecretRequest({
    ...base,
    secret: { type: 'association', name: 'fuzz-use-name', useName: true, value: new Uint8Array(32).fill(0x22) },
    hostKeys: [hkd2],
    extensionSecret: { cck: new Uint8Array(32).fill(9) },
  }),
  ...up('exp/asrcb/null_none_default_cuid_one'),
  ...up('exp/asrcb/assoc_none_default_cuid_one'),
  ...up('exp/asrcb/null_simple_default_cuid_one'),
];
