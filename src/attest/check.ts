/**
 * Policy checks on an attestation result, as `pvattest check` 2.43 makes them: which
 * host key booted the image and which opened the attestation request, the user data,
 * the state of the guest's secret store, and (with a verdict of `checkFirmware`) the
 * firmware.
 *
 * Source: s390-tools `rust/pvattest/src/cmd/check.rs` and `cmd/check/{host_key,secret_store,firmware}.rs`.
 *
 * @module
 */
import { sha512 } from '../crypto/hash.js';
import { InputError } from '../errors.js';
import { equalBytes } from '../internal/bytes.js';
import { parseAddSecretRequest } from '../request/asrcb.js';
import { hostKeysFromDocuments } from '../request/host-key.js';
import type { AttestationExchange } from './exchange.js';
import type { FirmwareVerdict } from './firmware.js';
import { type AttestationResult, readAttestationResponse } from './verify.js';

/** pvattest's `--host-key-check` policies: fail when the named hash is absent or unmatched. */
export type HostKeyCheckPolicy = 'att-key-hash' | 'boot-key-hash';

/** Options of {@link checkAttestation}; every check is made only when its option is given. */
export interface CheckAttestationOptions {
  /**
   * Host-key documents (PEM or DER): a host-key hash in the response must match exactly
   * one of them (the first certificate of each document counts, not verified).
   */
  readonly hostKeyDocuments?: readonly Uint8Array[];
  /** Also fail when the response lacks the hash (needs `hostKeyDocuments`). */
  readonly hostKeyCheck?: readonly HostKeyCheckPolicy[];
  /** The user data the guest must have returned. */
  readonly userData?: Uint8Array;
  /** The add-secret requests the guest accepted, in the order it accepted them (needs `secretStoreLocked`). */
  readonly secrets?: readonly Uint8Array[];
  /** Whether the guest's secret store must be locked; turns the secret-store check on. */
  readonly secretStoreLocked?: boolean;
  /** What the firmware verification service said ({@link checkFirmware}); not valid is an issue. */
  readonly firmware?: FirmwareVerdict;
}

/** The result of one host-key check. `match` is the index of the matching document. */
export interface HostKeyCheckResult {
  readonly checkEnforced: boolean;
  readonly match?: number;
}

/** The outcome of {@link checkAttestation}: `successful` unless some `issues`. */
export interface CheckAttestationResult {
  readonly successful: boolean;
  /** One line per failed check. */
  readonly issues: readonly string[];
  readonly imageHostKey: HostKeyCheckResult;
  readonly attestHostKey: HostKeyCheckResult;
  /** The user data that matched, when checked. */
  readonly userData?: Uint8Array;
  /** The secret store that matched, when checked. */
  readonly secretStore?: { readonly requests: number; readonly locked: boolean };
  /** Whether the firmware is in a valid state, when checked. */
  readonly validFirmware?: boolean;
}

/**
 * The secret-store hash the Ultravisor reports: SHA-512 over the 16-byte tag of every
 * add-secret request the guest accepted, in that order, then one byte 1 (locked) or 0.
 *
 * @throws RequestError / FormatError when an entry is not a well-formed add-secret request
 */
export function secretStoreHash(requests: readonly Uint8Array[], locked: boolean): Uint8Array {
  const data = new Uint8Array(requests.length * 16 + 1);
  for (const [i, r] of requests.entries()) data.set(parseAddSecretRequest(r).requestTag, i * 16);
  data[data.length - 1] = locked ? 1 : 0;
  return sha512(data);
}

const KIND = { image: 'image public host-key hash', attest: 'attestation public host-key hash' } as const;

function hostKeyCheck(kind: 'image' | 'attest', hashes: readonly Uint8Array[] | undefined, enforced: boolean, phkh: Uint8Array | undefined, issues: string[]): HostKeyCheckResult {
  if (!hashes) return { checkEnforced: false };
  if (!phkh) {
    if (enforced) issues.push(`the attestation response holds no ${KIND[kind]}, but --host-key-check asks to check it`);
    return { checkEnforced: enforced };
  }
  const matches = hashes.flatMap((h, i) => (equalBytes(h, phkh) ? [i] : []));
  if (matches.length === 0) issues.push(`no given host-key document matches the ${KIND[kind]}`);
  if (matches.length > 1) issues.push(`more than one given host-key document matches the ${KIND[kind]}`);
  return matches.length === 1 ? { checkEnforced: enforced, match: matches[0] as number } : { checkEnforced: enforced };
}

/**
 * Checks an attestation result against policies (`pvattest check`). Give it the result
 * of `verifyAttestation`, or an exchange response (then it is read unverified, as
 * pvattest check reads it: verify it first).
 *
 * @example
 * ```ts
 * const r = checkAttestation(result, { hostKeyDocuments: [hkd], hostKeyCheck: ['att-key-hash'], secrets: [req], secretStoreLocked: true });
 * if (!r.successful) console.error(r.issues.join('\n'));
 * ```
 * @throws InputError `ERR_INVALID_OPTION`; CertificateError `ERR_CERT_PARSE`,
 *   `ERR_HOST_KEY_NOT_P521`; AttestationError `ERR_ATTESTATION_*` for an exchange; the
 *   request parser's codes for a malformed entry of `secrets`
 */
export function checkAttestation(result: AttestationResult | Uint8Array | AttestationExchange, options: CheckAttestationOptions = {}): CheckAttestationResult {
  const res: AttestationResult = result instanceof Uint8Array || !('requested' in (result as object)) ? readAttestationResponse(result as Uint8Array | AttestationExchange) : (result as AttestationResult);
  if (typeof options !== 'object' || options === null) throw new InputError('ERR_INVALID_OPTION', 'options: expected an object');
  const policies = options.hostKeyCheck ?? [];
  for (const p of policies) {
    if (p !== 'att-key-hash' && p !== 'boot-key-hash') throw new InputError('ERR_INVALID_OPTION', `options.hostKeyCheck: unknown policy ${JSON.stringify(p)} (known: att-key-hash, boot-key-hash)`);
  }
  const docs = options.hostKeyDocuments && options.hostKeyDocuments.length > 0 ? options.hostKeyDocuments : undefined;
  if (policies.length > 0 && !docs) throw new InputError('ERR_INVALID_OPTION', 'options.hostKeyCheck needs at least one host-key document');
  if (options.secrets && options.secrets.length > 0 && options.secretStoreLocked === undefined) {
    throw new InputError('ERR_INVALID_OPTION', 'options.secrets needs options.secretStoreLocked (the lock state is part of the hash)');
  }
  // The first certificate of each document counts, as in pvattest.
  const hashes = docs?.map((d) => (hostKeysFromDocuments([d])[0] as { hash: Uint8Array }).hash);
  const issues: string[] = [];
  const imageHostKey = hostKeyCheck('image', hashes, policies.includes('boot-key-hash'), res.additional?.imagePhkh, issues);
  const attestHostKey = hostKeyCheck('attest', hashes, policies.includes('att-key-hash'), res.additional?.attestationPhkh, issues);
  let userData: Uint8Array | undefined;
  if (options.userData !== undefined) {
    if (res.userData && equalBytes(options.userData, res.userData)) userData = res.userData;
    else issues.push('the given user data does not match the user data of the attestation response');
  }
  let secretStore: CheckAttestationResult['secretStore'];
  if (options.secretStoreLocked !== undefined) {
    const locked = options.secretStoreLocked === true;
    const reported = res.additional?.secretStoreHash;
    if (!reported) issues.push('the attestation response holds no secret-store hash, but the secret store was to be checked');
    else if (!equalBytes(secretStoreHash(options.secrets ?? [], locked), reported)) {
      issues.push('the secret-store hash of the given add-secret requests and lock state differs from the reported one');
    } else secretStore = { requests: options.secrets?.length ?? 0, locked };
  }
  if (options.firmware && !options.firmware.valid) issues.push(options.firmware.message);
  return {
    successful: issues.length === 0,
    issues,
    imageHostKey,
    attestHostKey,
    ...(userData ? { userData } : {}),
    ...(secretStore ? { secretStore } : {}),
    ...(options.firmware ? { validFirmware: options.firmware.valid } : {}),
  };
}
