/**
 * The CLI's only door into the library. Everything the commands need from
 * se-secrets goes through here, so that wiring the CLI to new library features is a
 * change to this file only.
 *
 * Some functions are not in the library yet (host-key verification, more secret
 * kinds, user data, request verification, policies). They are looked up by name on
 * the library's Node entry; when one is missing, the option or command that needs it
 * fails with a `CliError` `ERR_NOT_AVAILABLE` that names it — nothing pretends to
 * work. MERGE NOTE: once those exports exist, replace the look-ups below with plain
 * imports and delete {@link optionalExport}.
 *
 * @module
 */
import * as node from '../node.js';
import { decodePem, hostKeyFromCertificate, looksLikePem, parseCertificates } from '../certs/index.js';
import type { HostKey } from '../request/host-key.js';
import { CliError } from './errors.js';
import { yamlMappingLines } from './yaml-scalar.js';

export {
  FLAG_DISABLE_DUMP,
  FileError,
  SecretType,
  UserDataType,
  isSeSecretsError,
  nodeBackend,
  parseAddSecretRequest,
  readSeHeader,
  secretId,
  secretTypeName,
  type AddSecretRequestInfo,
  type SeHeader,
} from '../node.js';
export type { HostKey } from '../request/host-key.js';

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

// ---- look-ups of exports that are not there yet --------------------------------------

/** A function exported by the library's Node entry, or undefined (MERGE NOTE: remove). */
function optionalExport<F>(name: string): F | undefined {
  const v = (node as Record<string, unknown>)[name];
  return typeof v === 'function' ? (v as F) : undefined;
}

type VerifyHostKeyDocumentsFn = (o: VerificationInputs & { hostKeyDocuments: readonly Uint8Array[] }) => Promise<readonly VerifiedHostKeyLike[]> | readonly VerifiedHostKeyLike[];
type VerifyAddSecretRequestFn = (bytes: Uint8Array, o: { userCertificate?: Uint8Array }) => Promise<{ userData?: Uint8Array }> | { userData?: Uint8Array };
type SecretInfoYamlFn = (secret: CliSecret) => string;
/** Issue 4's policy helper: SHA-256 of the policy and the 512-byte reference (hash ‖ path). */
type PolicyReferenceFn = (policy: Uint8Array, pathAsTyped: string) => { hash: Uint8Array; reference: Uint8Array };

const lib = {
  verifyHostKeyDocuments: optionalExport<VerifyHostKeyDocumentsFn>('verifyHostKeyDocuments'),
  verifyAddSecretRequest: optionalExport<VerifyAddSecretRequestFn>('verifyAddSecretRequest'),
  secretInfoYaml: optionalExport<SecretInfoYamlFn>('secretInfoYaml'),
  policyReference: optionalExport<PolicyReferenceFn>('policyReference'),
};

function notAvailable(what: string, fn: string): CliError {
  return new CliError('ERR_NOT_AVAILABLE', `${what} is not available in this build of se-secrets yet (missing library support: ${fn})`);
}

/**
 * What this build can do. Host-key verification comes with issue 3; the retrievable
 * and update-CCK secrets, user data and signing keys come with issue 4 (its
 * `secretInfoYaml` export is taken as the sign that they are there).
 */
export const features = {
  hostKeyVerification: lib.verifyHostKeyDocuments !== undefined,
  secretKinds: lib.secretInfoYaml !== undefined,
  userData: lib.secretInfoYaml !== undefined,
  requestVerification: lib.verifyAddSecretRequest !== undefined,
  policy: lib.policyReference !== undefined,
};

/** Fails with `ERR_NOT_AVAILABLE` unless `feature` is in this build. */
export function requireFeature(feature: keyof typeof features, what: string): void {
  if (features[feature]) return;
  const fn = {
    hostKeyVerification: 'verifyHostKeyDocuments',
    secretKinds: 'retrievable and update-CCK secrets',
    userData: 'user data and signing keys',
    requestVerification: 'verifyAddSecretRequest',
    policy: 'policyReference',
  }[feature];
  throw notAvailable(what, fn);
}

// ---- the calls ---------------------------------------------------------------------

/** Builds the request (node:crypto backend). */
export function createRequest(o: CreateInputs): Promise<Uint8Array> {
  const create = node.createAddSecretRequest as unknown as (options: object) => Promise<Uint8Array>;
  return create({
    secret: o.secret,
    seHeader: { pld: o.seHeader.pld, ald: o.seHeader.ald, tld: o.seHeader.tld, tag: o.seHeader.tag },
    hostKeys: o.hostKeys,
    verify: o.verify,
    flags: o.flags,
    ...(o.cuid ? { cuid: o.cuid } : {}),
    ...(o.extensionSecret ? { extensionSecret: o.extensionSecret } : {}),
    ...(o.userData ? { userData: o.userData } : {}),
    ...(o.userSigningKey ? { userSigningKey: o.userSigningKey } : {}),
  });
}

/** Verifies host-key documents against the chain of trust (issue 3). */
export async function verifyHostKeyDocuments(o: VerificationInputs & { hostKeyDocuments: readonly Uint8Array[] }): Promise<readonly VerifiedHostKeyLike[]> {
  if (!lib.verifyHostKeyDocuments) throw notAvailable('host-key document verification (--cert)', 'verifyHostKeyDocuments');
  return lib.verifyHostKeyDocuments(o);
}

/** Checks a request and returns its user data (issue 4). */
export async function verifyAddSecretRequest(bytes: Uint8Array, userCertificate?: Uint8Array): Promise<{ userData?: Uint8Array }> {
  if (!lib.verifyAddSecretRequest) throw notAvailable('request verification', 'verifyAddSecretRequest');
  return lib.verifyAddSecretRequest(bytes, userCertificate ? { userCertificate } : {});
}

/** The policy hash and reference for `--policy` (issue 4). */
export function policyReference(policy: Uint8Array, pathAsTyped: string): { hash: Uint8Array; reference: Uint8Array } {
  if (!lib.policyReference) throw notAvailable('--policy', 'policyReference');
  return lib.policyReference(policy, pathAsTyped);
}

/**
 * The text of `NAME.yaml`, exactly as pvsecret writes it. Issue 4's export when the
 * library has it; until then written here for association secrets (MERGE NOTE:
 * replace with the library's export and delete the local version).
 */
export function secretInfoYaml(secret: CliSecret): string {
  if (lib.secretInfoYaml) return lib.secretInfoYaml(secret);
  if (secret.type !== 'association') throw notAvailable(`secret information for ${secret.type} secrets`, 'secretInfoYaml');
  const id = node.secretId(secret.name, { useName: secret.useName === true });
  let hex = '';
  for (const b of id) hex += b.toString(16).padStart(2, '0');
  return `!Association\n${yamlMappingLines([['name', secret.name], ['id', `0x${hex}`]])}`;
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
