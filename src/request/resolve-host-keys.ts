/**
 * Which host keys a request is built for, and whether they were verified.
 *
 * - `verify: false`: every entry is used as is (pvsecret `--no-verify`);
 * - `verify: { certificates, … }`: document bytes are verified (all in one run) and
 *   host keys from `verifyHostKeyDocuments` are accepted; unverified key objects are not;
 * - `verify` absent: only host keys from `verifyHostKeyDocuments` are accepted.
 *
 * The verifier comes in as a value (`verifier`), never by an import of this module, so
 * that a bundle of `createAddSecretRequest` holds the certificate-chain code only when
 * its caller imports `verifyHostKeyDocuments` (issue 12 §3: a browser bundle of
 * `createAddSecretRequest` at most 160 kB). The Node entries and `se-secrets/browser`
 * pass it by default.
 *
 * @module
 */
import type { HostKeyVerificationOptions, VerifiedHostKey, VerifyHostKeyDocumentsOptions } from '../certs/verify.js';
import { isVerifiedHostKey, verifiedKeyMaterial } from '../certs/verified-host-key.js';
import { InputError } from '../errors.js';
import { MAX_KEY_SLOTS } from './asrcb.js';
import { type HostKey, hostKeysFromDocuments } from './host-key.js';

/** Verifies host-key documents: `verifyHostKeyDocuments` or a wrapper of it. */
export type HostKeyVerifier = (options: VerifyHostKeyDocumentsOptions) => Promise<readonly VerifiedHostKey[]>;

/** The part of the request options that decides the host keys. */
export interface HostKeyOptions {
  readonly hostKeys: readonly (Uint8Array | HostKey)[];
  readonly verify?: false | HostKeyVerificationOptions;
  /** What `verify: { … }` runs on the documents (see {@link HostKeyVerifier}). */
  readonly verifier?: HostKeyVerifier;
}

function isHostKeyObject(k: unknown): k is HostKey {
  return typeof k === 'object' && k !== null && (k as HostKey).publicKey instanceof Uint8Array && (k as HostKey).hash instanceof Uint8Array;
}

function verifyRequired(what: string): InputError {
  return new InputError(
    'ERR_VERIFY_REQUIRED',
    `options.verify: ${what}; give verify: { certificates, … } to verify, host keys from verifyHostKeyDocuments, or verify: false to build on unverified host keys`,
  );
}

/**
 * Host keys from documents and key objects, in the order given.
 *
 * @throws InputError `ERR_VERIFY_REQUIRED`, `ERR_INVALID_OPTION`, `ERR_HOST_KEY_COUNT`;
 *   CertificateError `ERR_CERT_PARSE`, `ERR_HOST_KEY_NOT_P521` and, when verifying,
 *   every code of `verifyHostKeyDocuments`
 */
export async function resolveHostKeys(options: HostKeyOptions): Promise<HostKey[]> {
  const { hostKeys, verify, verifier } = options;
  if (!Array.isArray(hostKeys)) throw new InputError('ERR_INVALID_OPTION', 'options.hostKeys: expected an array of host-key documents');
  if (verify !== undefined && verify !== false && (typeof verify !== 'object' || verify === null)) {
    throw new InputError('ERR_INVALID_OPTION', 'options.verify: expected false or { certificates, crls?, rootCa?, offline?, now?, fetchCrl? }');
  }
  if (verifier !== undefined && typeof verifier !== 'function') {
    throw new InputError('ERR_INVALID_OPTION', 'options.verifier: expected a function such as verifyHostKeyDocuments');
  }
  for (const k of hostKeys) {
    if (!(k instanceof Uint8Array) && !isHostKeyObject(k)) {
      throw new InputError('ERR_INVALID_OPTION', 'options.hostKeys: each entry must be host-key document bytes or a host key');
    }
  }
  let out: HostKey[];
  if (verify === false) {
    out = hostKeys.flatMap((k) => (k instanceof Uint8Array ? hostKeysFromDocuments([k]) : isVerifiedHostKey(k) ? [verifiedKeyMaterial(k)] : [k]));
  } else {
    const documents = hostKeys.filter((k): k is Uint8Array => k instanceof Uint8Array);
    if (verify === undefined && documents.length > 0) throw verifyRequired('host-key documents given without verification options');
    const unverified = hostKeys.findIndex((k) => !(k instanceof Uint8Array) && !isVerifiedHostKey(k));
    if (unverified >= 0) throw verifyRequired(`host key #${unverified + 1} is not from verifyHostKeyDocuments`);
    let verified: readonly VerifiedHostKey[] = [];
    if (documents.length > 0 && verify) {
      // The portable root has no default (see the module comment); the Node entries do.
      if (!verifier) throw new InputError('ERR_INVALID_OPTION', 'options.verifier: verify: { … } needs verifier: verifyHostKeyDocuments here');
      verified = await verifier({ ...verify, hostKeyDocuments: documents });
    }
    out = [];
    hostKeys.forEach((k) => {
      if (k instanceof Uint8Array) {
        const index = documents.indexOf(k);
        out.push(...verified.filter((v) => v.documentIndex === index).map(verifiedKeyMaterial));
      } else if (isVerifiedHostKey(k)) {
        out.push(verifiedKeyMaterial(k));
      }
    });
  }
  if (out.length < 1 || out.length > MAX_KEY_SLOTS) {
    throw new InputError('ERR_HOST_KEY_COUNT', `request: needs 1 to ${MAX_KEY_SLOTS} host keys (got ${out.length})`);
  }
  return out;
}
