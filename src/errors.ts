/**
 * Typed errors. Every error se-secrets throws on purpose is a {@link SeSecretsError}
 * with a stable string `code`; callers `switch (err.code)`. Messages follow
 * `"<area>: <problem> (expected N, got M)"` and never contain secret bytes.
 *
 * @module
 */

/** Every error code se-secrets can produce. Stable across releases. */
export type ErrorCode =
  // input bytes (codec level)
  | 'ERR_TRUNCATED'
  // SE header / image
  | 'ERR_HEADER_NOT_FOUND'
  | 'ERR_HEADER_TRUNCATED'
  | 'ERR_HEADER_VERSION'
  | 'ERR_HEADER_SIZE'
  // add-secret request
  | 'ERR_REQUEST_MAGIC'
  | 'ERR_REQUEST_VERSION'
  | 'ERR_REQUEST_LENGTH'
  | 'ERR_REQUEST_RESERVED'
  | 'ERR_REQUEST_KEY_SLOTS'
  | 'ERR_REQUEST_USER_DATA_TYPE'
  | 'ERR_REQUEST_SECRET_TYPE'
  | 'ERR_REQUEST_AUTH'
  | 'ERR_REQUEST_SIGNATURE'
  | 'ERR_REQUEST_NO_SIGNATURE'
  | 'ERR_REQUEST_SIGNATURE_KEY_TYPE'
  | 'ERR_REQUEST_NO_KEY_SLOT'
  | 'ERR_REQUEST_CUSTOMER_KEY'
  // options / user input
  | 'ERR_INVALID_OPTION'
  | 'ERR_VERIFY_REQUIRED'
  | 'ERR_HOST_KEY_COUNT'
  | 'ERR_SECRET_SIZE'
  | 'ERR_SECRET_NAME'
  | 'ERR_SECRET_KEY_TYPE'
  | 'ERR_USER_DATA_SIZE'
  | 'ERR_USER_KEY_TYPE'
  | 'ERR_USER_CERT_REQUIRED'
  | 'ERR_CUID'
  | 'ERR_FLAGS'
  | 'ERR_KEY_PARSE'
  // crypto
  | 'ERR_CRYPTO'
  | 'ERR_HOST_KEY_NOT_P521'
  | 'ERR_INVALID_PUBLIC_KEY'
  | 'ERR_INVALID_PRIVATE_KEY'
  // certificates and host-key verification
  | 'ERR_CERT_PARSE'
  | 'ERR_CRL_PARSE'
  | 'ERR_NO_SIGNING_KEY'
  | 'ERR_MANY_SIGNING_KEYS'
  | 'ERR_SIGNING_KEY_UNTRUSTED'
  | 'ERR_NO_VALID_CRL'
  | 'ERR_HKD_REVOKED'
  | 'ERR_HKD_EXPIRED'
  | 'ERR_HKD_NOT_YET_VALID'
  | 'ERR_HKD_AKID_MISMATCH'
  | 'ERR_HKD_SIGNATURE'
  | 'ERR_HKD_ISSUER_MISMATCH'
  | 'ERR_HKD_WEAK_KEY'
  | 'ERR_HOST_KEY_MISMATCH'
  // attestation (pvattest)
  | 'ERR_ATTESTATION_REQUEST'
  | 'ERR_ATTESTATION_EXCHANGE'
  | 'ERR_ATTESTATION_AUTH'
  | 'ERR_ATTESTATION_MISMATCH'
  | 'ERR_ATTESTATION_ADDITIONAL'
  | 'ERR_FIRMWARE_CHECK'
  // files (Node-only modules)
  | 'ERR_FILE'
  | 'ERR_INPUT_TOO_LARGE'
  | 'ERR_OUTPUT_CLASH'
  | 'ERR_PLAN'
  | 'ERR_BATCH';

/** Base class of every error se-secrets throws on purpose. */
export class SeSecretsError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A structure could not be decoded: too short, bad magic, bad reserved bytes. */
export class FormatError extends SeSecretsError {}
/** An SE header or image could not be read. */
export class HeaderError extends SeSecretsError {}
/** An add-secret request could not be parsed, built or verified. */
export class RequestError extends SeSecretsError {}
/** A caller-supplied option or value is not acceptable. */
export class InputError extends SeSecretsError {}
/** A cryptographic operation failed (bad key, failed authentication). */
export class CryptoError extends SeSecretsError {}
/** A certificate, CRL or host-key document failed parsing or verification. */
export class CertificateError extends SeSecretsError {}
/**
 * The IBM Z signing key does not chain to a trusted root (code `ERR_SIGNING_KEY_UNTRUSTED`).
 * `depth` is the failing certificate's place in the chain (0 = the signing key,
 * 1 = the intermediate CA, …), as pvsecret's "Error occurred at level N"; `reason`
 * names the failed check (e.g. `crl-missing`, `revoked`, `expired`, `issuer-not-found`).
 */
export class ChainOfTrustError extends CertificateError {
  readonly depth: number;
  readonly reason: string;
  constructor(depth: number, reason: string, message: string, options?: { cause?: unknown }) {
    super('ERR_SIGNING_KEY_UNTRUSTED', message, options);
    this.depth = depth;
    this.reason = reason;
  }
}
/** An attestation request, exchange file or measurement was refused. */
export class AttestationError extends SeSecretsError {}
/** A file could not be read or written (Node-only modules). */
export class FileError extends SeSecretsError {}

/** True when `e` is one of our typed errors (optionally with the given code). */
export function isSeSecretsError(e: unknown, code?: ErrorCode): e is SeSecretsError {
  return e instanceof SeSecretsError && (code === undefined || e.code === code);
}
