/**
 * Seeds for the fuzz targets: the bundled samples, requests built here with fixed
 * inputs, and — when present — the upstream vectors (skipped visibly otherwise).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePem } from '../../src/internal/pem.js';
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

// ── the verifier's PKI inputs (sample chain, valid 2025–2045) ────────────────────
const derOf = (pem: Uint8Array): Uint8Array => (decodePem(pem) ?? [])[0]?.der ?? new Uint8Array(0);
export const pki = {
  hkd: hkd1,
  signing: sample('ibm-z-host-key-signing.crt'),
  intermediate: sample('intermediate-ca.crt'),
  root: sample('root-ca.crt'),
  hostKeyCrl: sample('ibm-z-host-key.crl'),
  intermediateCrl: sample('intermediate-ca.crl'),
  rootCrl: sample('root-ca.crl'),
};
/** Single DER certificates (parseCertInfo takes DER). */
export const certificateDerSeeds: Uint8Array[] = [hkd1Der, derOf(pki.signing), derOf(pki.intermediate), derOf(pki.root)];
/** Single DER CRLs. */
export const crlDerSeeds: Uint8Array[] = [derOf(pki.hostKeyCrl), derOf(pki.intermediateCrl), derOf(pki.rootCrl)];
/** CRL files: PEM (one and several blocks) and DER. */
export const crlFileSeeds: Uint8Array[] = [pki.hostKeyCrl, concat(pki.intermediateCrl, pki.rootCrl), crlDerSeeds[0] as Uint8Array];
/** Root CA files: the certificate alone and with its CRL beside it (PEM). */
export const rootCaSeeds: Uint8Array[] = [pki.root, concat(pki.root, pki.rootCrl), derOf(pki.root)];

// ── private keys ─────────────────────────────────────────────────────────────────
const userKeys = join(import.meta.dirname, '..', 'fixtures', 'user-keys');
const vectorKeys = join(import.meta.dirname, '..', 'vectors', 'keys');
const fileSeeds = (dir: string, keep: (f: string) => boolean): Uint8Array[] =>
  readdirSync(dir)
    .filter(keep)
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(dir, f))));
/** Every private key we have: PKCS#8, SEC 1, PKCS#1 (PEM and DER), Edwards, RSA. */
export const privateKeySeeds: Uint8Array[] = [
  sample('HKD-sample-1.key'),
  ...fileSeeds(userKeys, (f) => !f.endsWith('.crt') && !f.startsWith('rsa-3072')),
  ...fileSeeds(vectorKeys, () => true),
];
/** P-521 private keys: PEM, DER, raw scalars. */
export const p521KeySeeds: Uint8Array[] = [
  sample('HKD-sample-1.key'),
  ...fileSeeds(userKeys, (f) => f.startsWith('ec-p521.') && !f.endsWith('.crt')),
  ...scalarSeeds,
];
export const PRIVATE_KEY_DICTIONARY = [
  '-----BEGIN PRIVATE KEY-----\n',
  '-----END PRIVATE KEY-----\n',
  '-----BEGIN EC PRIVATE KEY-----\n',
  '-----END EC PRIVATE KEY-----\n',
  '-----BEGIN RSA PRIVATE KEY-----\n',
  '-----BEGIN ENCRYPTED PRIVATE KEY-----\n',
  new Uint8Array([0x02, 0x01, 0x00]),
  new Uint8Array([0x02, 0x01, 0x01]),
  new Uint8Array([0x04, 0x42]),
  new Uint8Array([0xa1, 0x81, 0x89, 0x03, 0x81, 0x86, 0x00, 0x04]),
  new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]),
  new Uint8Array([0x06, 0x03, 0x2b, 0x65, 0x70]),
  new Uint8Array([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]),
];

// ── YAML inputs: CUID files, plans, batch files ──────────────────────────────────
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const CUID_HEX = `0x${'0123456789abcdef'.repeat(2)}`;
export const cuidSeeds: Uint8Array[] = [
  new Uint8Array(16).fill(0x42),
  utf8(`cuid: "${CUID_HEX}"\n`),
  utf8(`${CUID_HEX}\n`),
  utf8(`a:\n  b:\n    c:\n      d:\n        e:\n          f:\n            g:\n              cuid: '${CUID_HEX}'\n`),
  utf8(`{"x": {"cuid": "${CUID_HEX}"}}`),
];
export const YAML_DICTIONARY = [
  ': ',
  '- ',
  '\n',
  '\n  ',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  ',',
  '#',
  '&a ',
  '*a',
  '<<: *a',
  '!!map ',
  '!!str ',
  '!tag ',
  '? ',
  '|\n',
  '>-\n',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '\t',
  '0x',
  'cuid',
];
const planYaml = [
  'guest: seguest',
  'hdr: sample.hdr',
  'hostKeyDocuments: [HKD-sample-1.crt, HKD-sample-2.crt]',
  'noVerify: true',
  'queues:',
  `  - { apqn: 16.001e, mode: EP11, mkvp: ${'ab'.repeat(32)} }`,
  '  - apqn: 17.001e',
  '    mode: accel',
  '',
].join('\n');
export const planSeeds: Uint8Array[] = [
  utf8(planYaml),
  utf8(
    JSON.stringify({
      guest: 'g2',
      hdr: 'sample-se.img',
      hostKeyDocuments: ['HKD-sample-1.crt'],
      certificates: ['ibm-z-host-key-signing.crt', 'intermediate-ca.crt'],
      crls: ['ibm-z-host-key.crl'],
      rootCa: 'root-ca.crt',
      offline: true,
      queues: [{ apqn: '01.0002', mode: 'EP11', mkvp: 'cd'.repeat(16), serialnr: '93AABEF123456789' }],
    }),
  ),
];
export const PLAN_DICTIONARY = [...YAML_DICTIONARY, 'guest', 'hdr', 'queues', 'apqn', 'mode', 'EP11', 'accel', 'mkvp', 'noVerify', 'true', '16.001e'];
export const batchSeeds: Uint8Array[] = [
  utf8(
    [
      'defaults: { hostKeyDocuments: [HKD-sample-1.crt], noVerify: true, hdr: sample.hdr }',
      'requests:',
      '  - { output: out/meta.bin, secret: { type: meta }, flags: [disable-dump] }',
      '  - output: out/assoc.bin',
      '    secret: { type: association, name: g1, outputSecret: secrets/g1.bin }',
      `    cuid: "0x${'ab'.repeat(16)}"`,
      '',
    ].join('\n'),
  ),
  utf8(JSON.stringify([{ output: 'a.bin', hdr: 'sample.hdr', hostKeyDocuments: ['HKD-sample-1.crt'], noVerify: true, secret: { type: 'meta' } }])),
];
export const BATCH_DICTIONARY = [...YAML_DICTIONARY, 'requests', 'defaults', 'output', 'secret', 'type', 'meta', 'association', 'name', 'hdr', 'noVerify', 'cck'];

// ── requests beyond parsing: project vectors, signed user data ───────────────────
const vectorDir = join(import.meta.dirname, '..', 'vectors');
const vectorFiles = readdirSync(vectorDir).filter((f) => f.includes('_') && !f.includes('.'));
const vector = (f: string): Uint8Array => new Uint8Array(readFileSync(join(vectorDir, f)));
const userKey = (f: string): Uint8Array => new Uint8Array(readFileSync(join(userKeys, f)));
export const userCertificates = { ec: userKey('ec-p521.crt'), rsa: userKey('rsa-2048.crt') };
/** Requests whose user data is signed (EC and RSA), with the certificates that verify them. */
export const signedRequestSeeds: Uint8Array[] = [
  await createAddSecretRequest({ ...base, secret: { type: 'meta' }, hostKeys: [hkd1], userData: utf8('fuzz'), userSigningKey: userKey('ec-p521.pem') }),
  await createAddSecretRequest({ ...base, secret: { type: 'meta' }, hostKeys: [hkd1], userData: new Uint8Array(3), userSigningKey: userKey('rsa-2048.pem') }),
];
/** A handful of project vectors (meta, association, retrievable, user data, CCK) plus ours and upstream's. */
export const verifyRequestSeeds: Uint8Array[] = [
  ...['null+udata0_none_default_ncuid_one', 'assoc+udata5_none_default_ncuid_one', 'ec-p521_none_default_ncuid_one', 'cck_derived_dump_cuid_two']
    .filter((f) => vectorFiles.includes(f))
    .map(vector),
  ...requestSeeds,
];
/** Requests HKD-sample-1's private key opens (slot 0): ours and project vectors. */
export const hostKey1 = sample('HKD-sample-1.key');
export const decryptRequestSeeds: Uint8Array[] = [
  requestSeeds[0] as Uint8Array,
  requestSeeds[1] as Uint8Array,
  ...['null_none_default_ncuid_one', 'aes-256+usename_derived_default_cuid_two'].filter((f) => vectorFiles.includes(f)).map(vector),
];
