/**
 * The CLI's only door into the library. Everything the commands need from
 * se-secrets goes through here.
 *
 * @module
 */
import type { CertInfo as Certificate } from '../certs/cert-info.js';
import { nodeBackend } from '../crypto/node.js';
import type { FetchCrl, HostKeyVerificationOptions } from '../certs/verify.js';
import type { SeHeader } from '../header/se-header.js';
import { createAddSecretRequest } from '../request/create.js';
import { type HostKey, hostKeyFromCertificate } from '../request/host-key.js';
import { policyUserData } from '../request/policy.js';
import { secretInfoYaml as secretInfoText } from '../request/secret-info.js';

// Only what a request without verification needs is imported here; the Node entry (the
// verifier, its root store and CRL download) is loaded when a command verifies.
export { FileError, isSeSecretsError } from '../errors.js';
export { nodeBackend } from '../crypto/node.js';
export { FLAG_DISABLE_DUMP, parseAddSecretRequest, type AddSecretRequestInfo } from '../request/asrcb.js';
export { SecretType, secretTypeLabel, secretTypeName } from '../request/secret.js';
export { UserDataType, signedDataSize, userDataTypeName } from '../request/user-data.js';
export { secretId } from '../request/secret-id.js';
export { readSeHeader } from '../node/read-se-header.js';
export { headerReport, headerReportText, requestReport, requestReportText } from '../request/inspect-report.js';
export type { SeHeader } from '../header/se-header.js';
/** The HTTP CRL fetcher, loaded on the first download (a request without verification never loads node:http). */
export const fetchCrlOverHttp: FetchCrl = async (url, options) => (await import('../node/fetch-crl.js')).fetchCrlOverHttp(url, options);
export type { FetchCrl, VerificationStep } from '../certs/verify.js';

export type { HostKey } from '../request/host-key.js';
export type { Certificate };
// Attestation (`attest`, issue 14).
export { checkAttestation, type HostKeyCheckPolicy } from '../attest/check.js';
export { checkFirmware, type FirmwareCheckVersion } from '../attest/firmware.js';
export { readAttestationResponse } from '../attest/verify.js';
export type { AttestationResult } from '../attest/verify.js';
/** The Node entry's `createAttestationRequest` (Node verification defaults), loaded when first used. */
export async function createAttestationRequest(
  ...args: Parameters<typeof import('../node.js').createAttestationRequest>
): ReturnType<typeof import('../node.js').createAttestationRequest> {
  return (await import('../node.js')).createAttestationRequest(...args);
}
/** `verifyAttestation` with node:crypto. */
export async function verifyAttestation(
  options: Parameters<typeof import('../attest/verify.js').verifyAttestation>[0],
): ReturnType<typeof import('../attest/verify.js').verifyAttestation> {
  return (await import('../attest/verify.js')).verifyAttestation({ backend: nodeBackend, ...options });
}
export { attestationResultYaml, checkResultYaml } from '../attest/yaml.js';
export { attestationExchangeReport, attestationReportText, attestationRequestReport } from '../attest/report.js';
export { looksLikeAttestationRequest } from '../attest/arcb.js';
export { isAttestationExchange } from '../attest/exchange.js';
export { hasRequestMagic, REQUEST_MAGIC } from '../request/asrcb.js';
export { toHex } from '../internal/bytes.js';

// ---- the secrets the CLI builds (issue 4's shapes) -----------------------------------

export type RetrievableKind = 'plain' | 'aes' | 'aes-xts' | 'hmac-sha' | 'ec';

/** A secret as the CLI hands it to `createAddSecretRequest`. */
export type CliSecret =
  | { readonly type: 'meta' }
  | { readonly type: 'association'; readonly name: string; readonly value: Uint8Array; readonly useName?: boolean }
  | { readonly type: 'retrievable'; readonly kind: RetrievableKind; readonly name: string; readonly value: Uint8Array; readonly useName?: boolean }
  | { readonly type: 'update-cck'; readonly value: Uint8Array };

/**
 * Host-key verification inputs, all file contents as bytes: the library's options less
 * `trustedRoots` (the Node entry fills those in). `now` is `--verify-time`, `onStep`
 * reports each step (`-v`), `fetchCrl` wraps the HTTP fetcher to report each URL.
 */
export type VerificationInputs = Omit<HostKeyVerificationOptions, 'trustedRoots'>;

export interface CreateInputs {
  readonly secret: CliSecret;
  readonly seHeader: SeHeader;
  /** Host keys from {@link verifyHostKeyDocuments} (`verify` absent) or read without verification (`verify: false`). */
  readonly hostKeys: readonly HostKey[];
  readonly verify?: false;
  readonly flags: bigint;
  readonly cuid?: Uint8Array;
  readonly extensionSecret?: { value: Uint8Array } | { cck: Uint8Array };
  readonly userData?: Uint8Array;
  readonly userSigningKey?: Uint8Array;
}

/** A host key with what `verify-hkd` prints. */
export interface VerifiedHostKeyLike extends HostKey {
  readonly hash: Uint8Array;
  readonly subject?: string;
}

// ---- the calls ---------------------------------------------------------------------

/** Builds the request (node:crypto backend; Node verification defaults). */
export function createRequest(o: CreateInputs): Promise<Uint8Array> {
  const seHeader = { pld: o.seHeader.pld, ald: o.seHeader.ald, tld: o.seHeader.tld, tag: o.seHeader.tag };
  const common = {
    secret: o.secret,
    seHeader,
    hostKeys: o.hostKeys,
    flags: o.flags,
    ...(o.cuid ? { cuid: o.cuid } : {}),
    ...(o.extensionSecret ? { extensionSecret: o.extensionSecret } : {}),
    ...(o.userData ? { userData: o.userData } : {}),
    ...(o.userSigningKey ? { userSigningKey: o.userSigningKey } : {}),
  };
  if (o.verify === false) return createAddSecretRequest({ ...common, verify: false, backend: nodeBackend });
  return import('../node.js').then((node) => node.createAddSecretRequest(common));
}

/** Verifies host-key documents against the chain of trust. */
export async function verifyHostKeyDocuments(o: VerificationInputs & { hostKeyDocuments: readonly Certificate[] }): Promise<readonly VerifiedHostKeyLike[]> {
  const node = await import('../node.js');
  return node.verifyHostKeyDocuments({ ...o, hostKeyDocuments: [...o.hostKeyDocuments] });
}

/** Checks a request and returns its user data, as `pvsecret verify` writes it. */
export async function verifyAddSecretRequest(bytes: Uint8Array, userCertificate?: Uint8Array): Promise<{ userData?: Uint8Array }> {
  const node = await import('../node.js');
  return node.verifyAddSecretRequest(bytes, userCertificate ? { userCertificate } : {});
}

/** The policy hash and the user data that references the policy (`--policy`). */
export function policyReference(policy: Uint8Array, pathAsTyped: string): { hash: Uint8Array; reference: Uint8Array } {
  const r = policyUserData(policy, pathAsTyped);
  return { hash: r.hash, reference: r.userData };
}

/** The text of `NAME.yaml`, exactly as pvsecret writes it. */
export function secretInfoYaml(secret: CliSecret): string {
  return secretInfoText(secret);
}

// ---- host-key documents --------------------------------------------------------------

export { firstHostKeyCertificate } from '../certs/inputs.js';

/** The host key of a certificate, unverified (`--no-verify`). @throws CertificateError `ERR_HOST_KEY_NOT_P521` */
export function unverifiedHostKey(certificate: Certificate, source: string): HostKey {
  return hostKeyFromCertificate(certificate, source);
}
