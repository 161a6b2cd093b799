/**
 * Building an attestation request, as `pvattest create` 2.43 does.
 *
 * @module
 */
import { p521KeyAgreement } from '../crypto/agreement.js';
import type { CryptoBackend, P521Agreement } from '../crypto/backend.js';
import { AES256_KEY_SIZE, GCM_IV_SIZE } from '../crypto/backend.js';
import { pointToWire } from '../crypto/p521.js';
import { portableBackend } from '../crypto/portable.js';
import { InputError } from '../errors.js';
import { zeroize } from '../internal/bytes.js';
import { type HostKeyVerificationOptions, verifyHostKeyDocuments } from '../certs/verify.js';
import type { HostKey } from '../request/host-key.js';
import { sealKeySlot } from '../request/keyslot.js';
import { resolveHostKeys } from '../request/resolve-host-keys.js';
import {
  type AttestationFlags,
  MEASUREMENT_KEY_SIZE,
  MEASUREMENT_SIZE,
  NONCE_SIZE,
  attestationFlagsWord,
  encodeArcbAad,
  expectedAdditionalSize,
} from './arcb.js';
import { encodeAttestationExchange } from './exchange.js';

/**
 * Fixed randomness, **for known-answer tests only**: a request built with it is as
 * predictable as its inputs (the reference's `mk_arcb` test fixes the same five).
 */
export interface AttestationDeterministicInputs {
  /** 12-byte request IV. */
  readonly iv: Uint8Array;
  /** Raw P-521 private scalar of the customer key, any left-padding. */
  readonly customerPrivateKey: Uint8Array;
  /** 32-byte attestation request protection key (ARPK). */
  readonly protectionKey: Uint8Array;
  /** 16-byte nonce. */
  readonly nonce: Uint8Array;
  /** 64-byte HMAC-SHA-512 measurement key. */
  readonly measurementKey: Uint8Array;
}

/** Options of {@link createAttestationRequest}. */
export interface CreateAttestationRequestOptions {
  /** Host-key documents (PEM or DER) or host keys, exactly as for add-secret requests. */
  readonly hostKeys: readonly (Uint8Array | HostKey)[];
  /**
   * Host-key verification, exactly as for add-secret requests: `{ certificates, … }`
   * verifies (pvattest `-C … --crl …`), `false` builds on unverified keys (`--no-verify`).
   */
  readonly verify?: false | HostKeyVerificationOptions;
  /** The additional data to request (pvattest `--add-data`). */
  readonly flags?: AttestationFlags;
  /** For known-answer tests only. */
  readonly deterministic?: AttestationDeterministicInputs;
  /** The crypto backend; the package entry point chooses the fastest for the runtime. */
  readonly backend?: CryptoBackend;
}

/** What `pvattest create` writes. */
export interface CreatedAttestationRequest {
  /** The attestation request control block. */
  readonly request: Uint8Array;
  /** The exchange file `pvattest create -o` writes: the request and the expected sizes. */
  readonly exchange: Uint8Array;
  /**
   * The attestation request protection key (`--arpk`), 32 bytes. Confidential: whoever
   * holds it can forge a measurement. Keep it on the trusted workstation, write it with
   * mode 0600, never print it, zero it after `verifyAttestation`.
   */
  readonly protectionKey: Uint8Array;
}

function fixed(v: unknown, size: number, name: string): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length !== size) {
    throw new InputError('ERR_INVALID_OPTION', `${name} must be ${size} bytes (got ${v instanceof Uint8Array ? `${v.length} bytes` : typeof v})`);
  }
  return v;
}

/**
 * Builds an attestation request, byte-compatible with `pvattest create` 2.43: a fresh
 * measurement key and nonce encrypted under a fresh protection key, which is wrapped
 * for every host key in a key slot like an add-secret request's.
 *
 * @example
 * ```ts
 * const { exchange, protectionKey } = await createAttestationRequest({
 *   hostKeys: [hkd],
 *   verify: { certificates: [signingKey, intermediateCa], crls },
 *   flags: { attestPhkh: true },
 * });
 * ```
 * @throws InputError `ERR_VERIFY_REQUIRED`, `ERR_INVALID_OPTION`, `ERR_HOST_KEY_COUNT`,
 *   `ERR_FLAGS`; CertificateError `ERR_CERT_PARSE`, `ERR_HOST_KEY_NOT_P521`; CryptoError
 *   `ERR_INVALID_PRIVATE_KEY`; and, with `verify: { … }`, every code of `verifyHostKeyDocuments`
 */
export async function createAttestationRequest(options: CreateAttestationRequestOptions): Promise<CreatedAttestationRequest> {
  if (typeof options !== 'object' || options === null) throw new InputError('ERR_INVALID_OPTION', 'options: expected an object');
  const backend = options.backend ?? portableBackend;
  const flags = attestationFlagsWord(options.flags);
  const det = options.deterministic;
  const iv = det ? fixed(det.iv, GCM_IV_SIZE, 'deterministic.iv') : backend.randomBytes(GCM_IV_SIZE);
  let confidential: Uint8Array | undefined;
  let protectionKey: Uint8Array | undefined;
  let agreement: P521Agreement | undefined;
  try {
    confidential = new Uint8Array(MEASUREMENT_KEY_SIZE + NONCE_SIZE);
    if (det) {
      confidential.set(fixed(det.measurementKey, MEASUREMENT_KEY_SIZE, 'deterministic.measurementKey'), 0);
      confidential.set(fixed(det.nonce, NONCE_SIZE, 'deterministic.nonce'), MEASUREMENT_KEY_SIZE);
    } else {
      confidential.set(backend.randomBytes(confidential.length));
    }
    const hostKeys = await resolveHostKeys({ verifier: verifyHostKeyDocuments, ...options });
    protectionKey = det ? fixed(det.protectionKey, AES256_KEY_SIZE, 'deterministic.protectionKey').slice() : backend.randomBytes(AES256_KEY_SIZE);
    agreement = await p521KeyAgreement(backend, det ? det.customerPrivateKey : undefined, hostKeys.map((hk) => hk.publicKey));
    const keySlots: Uint8Array[] = [];
    for (const [i, hk] of hostKeys.entries()) {
      keySlots.push(await sealKeySlot(backend, agreement.shared[i] as Uint8Array, hk.hash, protectionKey));
    }
    const { request, aadLength } = encodeArcbAad({ iv, flags, customerPublicKey: pointToWire(agreement.publicKey), keySlots });
    request.set(await backend.aesGcmEncrypt(protectionKey, iv, confidential, request.subarray(0, aadLength)), aadLength);
    const exchange = encodeAttestationExchange({ request, measurement: MEASUREMENT_SIZE, additionalData: expectedAdditionalSize(flags) || undefined });
    const result = { request, exchange, protectionKey };
    protectionKey = undefined; // handed to the caller
    return result;
  } finally {
    zeroize(confidential, protectionKey, agreement?.privateKey, ...(agreement?.shared ?? []));
  }
}
