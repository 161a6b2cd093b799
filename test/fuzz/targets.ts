/**
 * Every parser of untrusted input, as fuzz targets. To fuzz a new parser, add one entry:
 *
 * ```ts
 * { name: 'parseCrl', parse: (b) => parseCrl(b), seeds: [sample('ibm-z-host-key.crl')], dictionary: PEM_DICTIONARY },
 * // text formats: decode inside parse, give text seeds and the format's keywords
 * { name: 'parseCuidYaml', parse: (b) => parseCuidYaml(new TextDecoder().decode(b)), seeds: [utf8('cuid: 0x…\n')], dictionary: ['cuid', ':', '- ', '\n', '0x'] },
 * ```
 *
 * `parse` may return anything (or a promise) and may only throw `SeSecretsError` (or a class
 * listed in `typedErrors`, for CLI readers); give costly parsers `maxTruncations`;
 * `test/fuzz/parsers.test.ts` runs the four properties of `harness.ts` on each entry.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCertInfo } from '../../src/certs/cert-info.js';
import { parseCrlInfo } from '../../src/certs/crl-info.js';
import { readCrlFile, readCrlsLeniently, readDownloadedCrls, readHostKeyDocument, readRootCa } from '../../src/certs/inputs.js';
import { decodePem } from '../../src/internal/pem.js';
import { verifyHostKeyDocuments } from '../../src/certs/verify.js';
import { CliError } from '../../src/cli/errors.js';
import { cuidFromFile } from '../../src/cli/values.js';
import { parseP521PrivateKey } from '../../src/crypto/keys.js';
import { nodeBackend } from '../../src/crypto/node.js';
import { parsePrivateKey } from '../../src/crypto/private-key.js';
import { readSeHeaderFromBlob } from '../../src/header/read-blob.js';
import { readBatchFile } from '../../src/node/batch-file.js';
import { parseAssociationPlan, parseTextData } from '../../src/plan/parse.js';
import { validatePlan } from '../../src/plan/validate.js';
import { decryptAddSecretRequest } from '../../src/request/decrypt.js';
import { diffAddSecretRequests } from '../../src/request/diff.js';
import { decodePolicyReference } from '../../src/request/policy.js';
import { verifyAddSecretRequest } from '../../src/request/verify.js';
import { parseCertificates } from '../../src/certs/index.js';
import { normalizeP521PrivateKey, wireToPoint } from '../../src/crypto/p521.js';
import { bytesReader, locateSeHeader, parseSeHeader } from '../../src/header/locate.js';
import { decodeSeHeader } from '../../src/header/se-header.js';
import { parseAddSecretRequest } from '../../src/request/asrcb.js';
import { hostKeysFromDocuments } from '../../src/request/host-key.js';
import { SeSecretsError } from '../../src/errors.js';
import type { FuzzTarget } from './harness.js';
import {
  BATCH_DICTIONARY,
  batchSeeds,
  certificateDerSeeds,
  crlDerSeeds,
  crlFileSeeds,
  cuidSeeds,
  decryptRequestSeeds,
  hostKey1,
  p521KeySeeds,
  PLAN_DICTIONARY,
  PRIVATE_KEY_DICTIONARY,
  pki,
  planSeeds,
  privateKeySeeds,
  rootCaSeeds,
  sample,
  signedRequestSeeds,
  userCertificates,
  verifyRequestSeeds,
  YAML_DICTIONARY,
  certificateSeeds,
  DER_DICTIONARY,
  headerSeeds,
  hostKeyDocumentSeeds,
  imageSeeds,
  PEM_DICTIONARY,
  pemSeeds,
  requestSeeds,
  scalarSeeds,
  wireSeeds,
} from './seeds.js';

/** A verifier call reads and checks the whole chain (milliseconds): fewer cuts in short runs. */
const VERIFY_TRUNCATIONS = 150;
const CERT_DICTIONARY = [...PEM_DICTIONARY, ...DER_DICTIONARY];

/** The sample chain, offline, at a fixed time inside its validity (2025–2045). */
const chain = {
  hostKeyDocuments: [pki.hkd],
  certificates: [pki.signing, pki.intermediate],
  crls: [pki.hostKeyCrl, pki.intermediateCrl, pki.rootCrl],
  rootCa: pki.root,
  offline: true,
  now: new Date('2026-06-01T00:00:00Z'),
};

/** Runs several readers on one input; only their untyped errors escape (typed ones are outcomes). */
async function each(input: Uint8Array, readers: readonly ((b: Uint8Array) => unknown)[]): Promise<void> {
  let typed: unknown;
  for (const read of readers) {
    try {
      await read(input);
    } catch (e) {
      if (!(e instanceof SeSecretsError)) throw e;
      typed ??= e;
    }
  }
  if (typed) throw typed;
}

/** Batch files are read from disk (they name files relative to themselves): a directory with the samples they name. */
const batchDir = mkdtempSync(join(tmpdir(), 'se-secrets-fuzz-batch-'));
for (const f of ['sample.hdr', 'HKD-sample-1.crt']) writeFileSync(join(batchDir, f), sample(f));
process.once('exit', () => rmSync(batchDir, { recursive: true, force: true }));
let batchCount = 0;
async function readBatchText(bytes: Uint8Array): Promise<unknown> {
  const path = join(batchDir, `batch-${batchCount++ % 4}.yaml`);
  writeFileSync(path, bytes);
  return readBatchFile(path);
}

const SE_DICTIONARY = ['IBMSecEx', 'SeImgLnx', new Uint8Array([0, 0, 1, 0])];
const REQUEST_DICTIONARY = ['asrcbM', new Uint8Array([0, 0, 1, 0]), new Uint8Array([0, 1]), new Uint8Array([0, 2])];

export const targets: FuzzTarget[] = [
  { name: 'parseSeHeader', parse: (b) => parseSeHeader(b), seeds: imageSeeds, dictionary: SE_DICTIONARY },
  { name: 'decodeSeHeader', parse: (b) => decodeSeHeader(b), seeds: headerSeeds, dictionary: SE_DICTIONARY },
  {
    name: 'locateSeHeader (bytes reader)',
    parse: (b) => locateSeHeader(async (offset, length) => bytesReader(b)(offset, length)),
    seeds: imageSeeds,
    dictionary: SE_DICTIONARY,
  },
  { name: 'parseAddSecretRequest', parse: (b) => parseAddSecretRequest(b), seeds: requestSeeds, dictionary: REQUEST_DICTIONARY },
  { name: 'parseCertificates', parse: (b) => parseCertificates(b), seeds: certificateSeeds, dictionary: [...PEM_DICTIONARY, ...DER_DICTIONARY] },
  { name: 'decodePem', parse: (b) => decodePem(b), seeds: pemSeeds, dictionary: PEM_DICTIONARY },
  {
    name: 'hostKeysFromDocuments',
    parse: (b) => hostKeysFromDocuments([b]),
    seeds: hostKeyDocumentSeeds,
    dictionary: [...PEM_DICTIONARY, ...DER_DICTIONARY],
  },
  { name: 'wireToPoint', parse: (b) => wireToPoint(b), seeds: wireSeeds, maxLength: 400 },
  { name: 'normalizeP521PrivateKey', parse: (b) => normalizeP521PrivateKey(b), seeds: scalarSeeds, maxLength: 200 },

  // ── certificates and CRLs, as the verifier reads them ──────────────────────────
  { name: 'parseCertInfo', parse: (b) => parseCertInfo(b, 'fuzz'), seeds: certificateDerSeeds, dictionary: DER_DICTIONARY },
  { name: 'parseCrlInfo', parse: (b) => parseCrlInfo(b, 'fuzz'), seeds: crlDerSeeds, dictionary: DER_DICTIONARY },
  // readHostKeyDocument is readCertificates plus "at least one"; parseCertificates above already cuts these seeds at every length
  { name: 'readHostKeyDocument (readCertificates)', parse: (b) => readHostKeyDocument(b, 'fuzz'), seeds: certificateSeeds, dictionary: CERT_DICTIONARY, maxTruncations: 400 },
  {
    name: 'readCrlFile / readCrlsLeniently / readDownloadedCrls',
    parse: (b) => each(b, [(x) => readCrlFile(x, 'fuzz'), (x) => readCrlsLeniently(x, 'fuzz'), (x) => readDownloadedCrls(x, 'fuzz')]),
    seeds: crlFileSeeds,
    dictionary: CERT_DICTIONARY,
  },
  { name: 'readRootCa', parse: (b) => readRootCa(b, 'fuzz'), seeds: rootCaSeeds, dictionary: CERT_DICTIONARY },
  { name: 'verifyHostKeyDocuments (host-key document)', parse: (b) => verifyHostKeyDocuments({ ...chain, hostKeyDocuments: [b] }), seeds: [pki.hkd], dictionary: CERT_DICTIONARY , maxTruncations: VERIFY_TRUNCATIONS },
  {
    name: 'verifyHostKeyDocuments (host-key CRL)',
    parse: (b) => verifyHostKeyDocuments({ ...chain, crls: [b, pki.intermediateCrl, pki.rootCrl] }),
    seeds: [pki.hostKeyCrl],
    dictionary: CERT_DICTIONARY,
    maxTruncations: VERIFY_TRUNCATIONS,
  },
  {
    name: 'verifyHostKeyDocuments (signing-key certificate)',
    parse: (b) => verifyHostKeyDocuments({ ...chain, certificates: [b, pki.intermediate] }),
    seeds: [pki.signing],
    dictionary: CERT_DICTIONARY,
    maxTruncations: VERIFY_TRUNCATIONS,
  },

  // ── private keys ───────────────────────────────────────────────────────────────
  { name: 'parsePrivateKey', parse: (b) => parsePrivateKey(b), seeds: privateKeySeeds, dictionary: [...PRIVATE_KEY_DICTIONARY, ...DER_DICTIONARY] },
  { name: 'parseP521PrivateKey', parse: (b) => parseP521PrivateKey(b), seeds: p521KeySeeds, dictionary: [...PRIVATE_KEY_DICTIONARY, ...DER_DICTIONARY] },

  // ── YAML / JSON: CUID files, plans, batch files ────────────────────────────────
  // a CLI reader: its refusals are the CLI's typed CliError (ERR_VALUE)
  { name: 'cuidFromFile', parse: (b) => cuidFromFile(b, 'fuzz.yaml'), seeds: cuidSeeds, dictionary: YAML_DICTIONARY, maxLength: 1024, typedErrors: [CliError] },
  { name: 'parseAssociationPlan + validatePlan', parse: (b) => validatePlan(parseAssociationPlan(b)), seeds: planSeeds, dictionary: PLAN_DICTIONARY, maxLength: 2048 },
  { name: 'parseTextData (batch)', parse: (b) => parseTextData(b, 'batch', 'ERR_BATCH'), seeds: batchSeeds, dictionary: BATCH_DICTIONARY, maxLength: 2048 },
  { name: 'readBatchFile', parse: (b) => readBatchText(b), seeds: batchSeeds, dictionary: BATCH_DICTIONARY, maxLength: 2048 },

  // ── requests beyond parsing ────────────────────────────────────────────────────
  { name: 'verifyAddSecretRequest', parse: (b) => verifyAddSecretRequest(b, { backend: nodeBackend }), seeds: verifyRequestSeeds, dictionary: REQUEST_DICTIONARY },
  {
    name: 'verifyAddSecretRequest (signed, EC certificate)',
    parse: (b) => verifyAddSecretRequest(b, { userCertificate: userCertificates.ec, backend: nodeBackend }),
    seeds: [signedRequestSeeds[0] as Uint8Array],
    dictionary: REQUEST_DICTIONARY,
    maxTruncations: 300,
  },
  {
    name: 'verifyAddSecretRequest (signed, fuzzed certificate)',
    parse: (b) => verifyAddSecretRequest(signedRequestSeeds[1] as Uint8Array, { userCertificate: b, backend: nodeBackend }),
    seeds: [userCertificates.rsa, userCertificates.ec],
    dictionary: CERT_DICTIONARY,
  },
  {
    name: 'decryptAddSecretRequest (host key)',
    parse: (b) => decryptAddSecretRequest(b, { hostPrivateKey: hostKey1, backend: nodeBackend }),
    seeds: decryptRequestSeeds,
    dictionary: REQUEST_DICTIONARY,
  },
  { name: 'decodePolicyReference', parse: (b) => decodePolicyReference(b), seeds: [new Uint8Array(512).fill(0x61, 32, 40)], maxLength: 1024 },
  { name: 'diffAddSecretRequests', parse: (b) => diffAddSecretRequests(requestSeeds[0] as Uint8Array, b), seeds: requestSeeds, dictionary: REQUEST_DICTIONARY },
  { name: 'readSeHeaderFromBlob', parse: (b) => readSeHeaderFromBlob(new Blob([b.slice()])), seeds: imageSeeds, dictionary: SE_DICTIONARY, maxTruncations: 600 },
];
