/**
 * The CLI's only door into the library. Everything the commands need from
 * se-secrets goes through here.
 *
 * @module
 */
import * as node from '../node.js';
import { decodePem, hostKeyFromCertificate, looksLikePem, parseCertificates } from '../certs/index.js';
import type { HostKey } from '../request/host-key.js';

export {
  FLAG_DISABLE_DUMP,
  FileError,
  headerReport,
  headerReportText,
  SecretType,
  UserDataType,
  isSeSecretsError,
  nodeBackend,
  parseAddSecretRequest,
  readSeHeader,
  requestReport,
  requestReportText,
  secretId,
  secretTypeName,
  type AddSecretRequestInfo,
  type SeHeader,
  createAddSecretRequests,
  fetchCrlOverHttp,
  type FetchCrl,
  type VerificationStep,
} from '../node.js';
export type { HostKey } from '../request/host-key.js';
export { hasRequestMagic, REQUEST_MAGIC } from '../request/asrcb.js';

// ---- the secrets the CLI builds (issue 4's shapes) -----------------------------------

export type RetrievableKind = 'plain' | 'aes' | 'aes-xts' | 'hmac-sha' | 'ec';

/** A secret as the CLI hands it to `createAddSecretRequest`. */
export type CliSecret =
  | { readonly type: 'meta' }
  | { readonly type: 'association'; readonly name: string; readonly value: Uint8Array; readonly useName?: boolean }
  | { readonly type: 'retrievable'; readonly kind: RetrievableKind; readonly name: string; readonly value: Uint8Array; readonly useName?: boolean }
  | { readonly type: 'update-cck'; readonly value: Uint8Array };

/** Host-key verification inputs (issue 3's shape); all file contents as bytes. */
export interface VerificationInputs {
  readonly certificates: readonly Uint8Array[];
  readonly crls?: readonly Uint8Array[];
  readonly rootCa?: Uint8Array;
  readonly offline?: boolean;
  /** `--verify-time`. */
  readonly now?: Date;
  /** Reports each step (`-v`). */
  readonly onStep?: (step: node.VerificationStep) => void;
  /** Downloads CRLs (the CLI's wraps the HTTP fetcher to report each URL). */
  readonly fetchCrl?: node.FetchCrl;
}

export interface CreateInputs {
  readonly secret: CliSecret;
  readonly seHeader: node.SeHeader;
  /** Verified by the library (`verify` set) or already read without verification (`verify: false`). */
  readonly hostKeys: readonly (Uint8Array | HostKey)[];
  readonly verify: false | VerificationInputs;
  readonly flags: bigint;
  readonly cuid?: Uint8Array;
  readonly extensionSecret?: { value: Uint8Array } | { cck: Uint8Array };
  readonly userData?: Uint8Array;
  readonly userSigningKey?: Uint8Array;
}

/** A host key with what `verify-hkd` prints. */
export interface VerifiedHostKeyLike {
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
  return o.verify === false
    ? node.createAddSecretRequest({ ...common, verify: false })
    : node.createAddSecretRequest({ ...common, verify: { ...o.verify } });
}

/** Verifies host-key documents against the chain of trust. */
export function verifyHostKeyDocuments(o: VerificationInputs & { hostKeyDocuments: readonly Uint8Array[] }): Promise<readonly VerifiedHostKeyLike[]> {
  return node.verifyHostKeyDocuments({ ...o, hostKeyDocuments: [...o.hostKeyDocuments] });
}

/** Checks a request and returns its user data, as `pvsecret verify` writes it. */
export async function verifyAddSecretRequest(bytes: Uint8Array, userCertificate?: Uint8Array): Promise<{ userData?: Uint8Array }> {
  return node.verifyAddSecretRequest(bytes, userCertificate ? { userCertificate } : {});
}

/** The policy hash and the user data that references the policy (`--policy`). */
export function policyReference(policy: Uint8Array, pathAsTyped: string): { hash: Uint8Array; reference: Uint8Array } {
  const r = node.policyUserData(policy, pathAsTyped);
  return { hash: r.hash, reference: r.userData };
}

/** The text of `NAME.yaml`, exactly as pvsecret writes it. */
export function secretInfoYaml(secret: CliSecret): string {
  return node.secretInfoYaml(secret);
}

// ---- host-key documents --------------------------------------------------------------

const CERT_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE'];

/**
 * The first certificate of a host-key document file (pvsecret uses the first and
 * warns about the others), as DER, with the number of certificates found.
 *
 * @throws CertificateError `ERR_CERT_PARSE` naming `source`
 */
export function firstCertificate(bytes: Uint8Array, source: string): { der: Uint8Array; count: number; hostKey: HostKey } {
  const certs = parseCertificates(bytes, source);
  const der = looksLikePem(bytes) ? (decodePem(bytes, CERT_LABELS)?.[0]?.der ?? bytes) : bytes;
  return { der, count: certs.length, hostKey: hostKeyFromCertificate(certs[0] as Parameters<typeof hostKeyFromCertificate>[0], source) };
}
