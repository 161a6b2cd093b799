/**
 * Verifying an attestation response, as `pvattest verify` 2.43 does: open the request
 * with the protection key, recompute the measurement over the SE header's tags and what
 * the guest returned, and compare in constant time.
 *
 * @module
 */
import type { CryptoBackend } from '../crypto/backend.js';
import { AES256_KEY_SIZE } from '../crypto/backend.js';
import { portableBackend } from '../crypto/portable.js';
import { AttestationError, InputError, isSeSecretsError } from '../errors.js';
import type { SeHeaderTags } from '../header/se-header.js';
import { equalBytes, zeroize } from '../internal/bytes.js';
import { ADDITIONAL_FIELDS, type AttestationFlags, MEASUREMENT_KEY_SIZE, NONCE_SIZE, parseAttestationRequest } from './arcb.js';
import { type AttestationExchange, isExchangeResponse, parseAttestationExchange } from './exchange.js';
import { attestationMeasurement } from './measurement.js';

/** Additional data split into the fields the request asked for (`additional.rs`). */
export interface AdditionalData {
  /** Hash of the host key that unpacked the SE image. */
  readonly imagePhkh?: Uint8Array;
  /** Hash of the host key that unpacked the attestation request. */
  readonly attestationPhkh?: Uint8Array;
  /** SHA-512 over the tags of the added secrets, then the lock byte. */
  readonly secretStoreHash?: Uint8Array;
  /** The firmware state (for IBM's firmware check). */
  readonly firmwareState?: Uint8Array;
  /** Bytes after the requested fields. */
  readonly unrecognized?: Uint8Array;
}

/** What an attestation response says (verified by {@link verifyAttestation}, or read unverified). */
export interface AttestationResult {
  /** True when the measurement was verified with the protection key. */
  readonly verified: boolean;
  /** The guest's configuration unique ID: what `create --cuid` binds a secret to. */
  readonly cuid: Uint8Array;
  readonly userData?: Uint8Array;
  /** The raw additional data. */
  readonly additionalData?: Uint8Array;
  /** The additional data, split by the request's flags. */
  readonly additional?: AdditionalData;
  /** The additional data the request asked for. */
  readonly requested: Required<AttestationFlags>;
  /** The Ultravisor's measurement. */
  readonly measurement: Uint8Array;
}

/** Options of {@link verifyAttestation}. */
export interface VerifyAttestationOptions {
  /** The exchange file `pvattest perform` wrote (bytes or parsed). */
  readonly exchange: Uint8Array | AttestationExchange;
  /** The 32-byte protection key `createAttestationRequest` returned (pvattest `--arpk`). */
  readonly protectionKey: Uint8Array;
  /** The attested guest's SE header or SE image bytes, or just its tags. */
  readonly seHeader: Uint8Array | SeHeaderTags;
  readonly backend?: CryptoBackend;
}

const FIELD_NAMES = { imagePhkh: 'imagePhkh', attestPhkh: 'attestationPhkh', secretStoreHash: 'secretStoreHash', firmwareState: 'firmwareState' } as const;

/**
 * Splits additional data by the request flags, in the Ultravisor's order.
 * @throws AttestationError `ERR_ATTESTATION_ADDITIONAL` when a requested field is missing
 */
export function decodeAdditionalData(data: Uint8Array, flags: bigint): AdditionalData {
  const out: Record<string, Uint8Array> = {};
  let pos = 0;
  for (const f of ADDITIONAL_FIELDS) {
    if (!(flags & f.bit)) continue;
    if (data.length - pos < f.size) {
      throw new AttestationError('ERR_ATTESTATION_ADDITIONAL', `additional data: ${f.yaml} missing (expected ${f.size} bytes at offset ${pos}, got ${Math.max(0, data.length - pos)})`);
    }
    out[FIELD_NAMES[f.flag]] = data.slice(pos, pos + f.size);
    pos += f.size;
  }
  if (pos < data.length) out.unrecognized = data.slice(pos);
  return out;
}

/**
 * An exchange response read without the protection key, as `pvattest check` reads it:
 * nothing in it is verified (`verified: false`). Verify first with {@link verifyAttestation}.
 *
 * @throws AttestationError `ERR_ATTESTATION_EXCHANGE`, `ERR_ATTESTATION_REQUEST`, `ERR_ATTESTATION_ADDITIONAL`
 */
export function readAttestationResponse(exchange: Uint8Array | AttestationExchange): AttestationResult {
  const x = exchange instanceof Uint8Array ? parseAttestationExchange(exchange) : exchange;
  if (typeof x !== 'object' || x === null || !(x.request instanceof Uint8Array)) {
    throw new AttestationError('ERR_ATTESTATION_EXCHANGE', 'exchange file: contains no attestation request');
  }
  if (!isExchangeResponse(x)) {
    const missing = x.measurement instanceof Uint8Array ? 'CUID' : 'measurement';
    throw new AttestationError('ERR_ATTESTATION_EXCHANGE', `exchange file: contains no attestation response (${missing} missing; run pvattest perform on the guest first)`);
  }
  const info = parseAttestationRequest(x.request);
  const add = x.additionalData instanceof Uint8Array ? x.additionalData : undefined;
  return {
    verified: false,
    cuid: x.cuid as Uint8Array,
    ...(x.userData instanceof Uint8Array ? { userData: x.userData } : {}),
    ...(add ? { additionalData: add, additional: decodeAdditionalData(add, info.flags) } : {}),
    requested: info.requested,
    measurement: x.measurement as Uint8Array,
  };
}

/**
 * Verifies an attestation response (`pvattest verify`). Only the measurement is
 * checked; policies on its content are {@link checkAttestation}'s job.
 *
 * @example
 * ```ts
 * const result = await verifyAttestation({ exchange: response, protectionKey: arpk, seHeader: hdr });
 * const request = await createAddSecretRequest({ …, cuid: result.cuid });
 * ```
 * @throws AttestationError `ERR_ATTESTATION_MISMATCH` when the measurement differs (the
 *   guest is not the one expected, or something was changed), `ERR_ATTESTATION_AUTH` when
 *   the protection key does not open the request, `ERR_ATTESTATION_EXCHANGE`,
 *   `ERR_ATTESTATION_REQUEST`, `ERR_ATTESTATION_ADDITIONAL`; InputError `ERR_INVALID_OPTION`;
 *   HeaderError `ERR_HEADER_*`
 */
export async function verifyAttestation(options: VerifyAttestationOptions): Promise<AttestationResult> {
  if (typeof options !== 'object' || options === null) throw new InputError('ERR_INVALID_OPTION', 'options: expected an object');
  const backend = options.backend ?? portableBackend;
  const pk = options.protectionKey;
  if (!(pk instanceof Uint8Array) || pk.length !== AES256_KEY_SIZE) {
    throw new InputError('ERR_INVALID_OPTION', `options.protectionKey must be ${AES256_KEY_SIZE} bytes (got ${pk instanceof Uint8Array ? `${pk.length} bytes` : typeof pk})`);
  }
  const x = options.exchange instanceof Uint8Array ? parseAttestationExchange(options.exchange) : options.exchange;
  const read = readAttestationResponse(x);
  const info = parseAttestationRequest(x.request as Uint8Array);
  const request = x.request as Uint8Array;
  let confidential: Uint8Array;
  try {
    confidential = await backend.aesGcmDecrypt(pk, info.iv, request.subarray(info.aadLength), request.subarray(0, info.aadLength));
  } catch (cause) {
    if (!isSeSecretsError(cause, 'ERR_CRYPTO')) throw cause;
    throw new AttestationError('ERR_ATTESTATION_AUTH', 'attestation request: does not open with this protection key (wrong --arpk, or the request was changed)', { cause });
  }
  let expected: Uint8Array | undefined;
  try {
    expected = attestationMeasurement({
      seHeader: options.seHeader,
      cuid: read.cuid,
      ...(read.userData ? { userData: read.userData } : {}),
      ...(confidential.length === MEASUREMENT_KEY_SIZE + NONCE_SIZE ? { nonce: confidential.subarray(MEASUREMENT_KEY_SIZE) } : {}),
      ...(read.additionalData ? { additionalData: read.additionalData } : {}),
      measurementKey: confidential.subarray(0, MEASUREMENT_KEY_SIZE),
    });
    if (!equalBytes(expected, read.measurement)) {
      throw new AttestationError('ERR_ATTESTATION_MISMATCH', 'attestation: measurement verification failed; the calculated and the received measurement differ');
    }
  } finally {
    zeroize(confidential, expected);
  }
  return { ...read, verified: true };
}
