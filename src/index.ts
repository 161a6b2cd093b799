/**
 * se-secrets: build, inspect and verify IBM Secure Execution add-secret requests.
 *
 * The package root, the portable API: the same exports in every runtime. Under Node
 * the root resolves to `./index-node.ts` (the same API on node:crypto); the Node-only
 * helpers (files, CRL download, root store) are `se-secrets/node` (`./node.ts`).
 *
 * @module
 */
export {
  SeSecretsError,
  FormatError,
  HeaderError,
  RequestError,
  InputError,
  CryptoError,
  CertificateError,
  ChainOfTrustError,
  FileError,
  AttestationError,
  isSeSecretsError,
  type ErrorCode,
} from './errors.js';
export {
  parseSeHeader,
  locateSeHeader,
  type SeHeader,
  type SeHeaderTags,
  type ReadAt,
  type LocateOptions,
  readSeHeaderFromBlob,
  blobReadAt,
  type BlobReadStats,
} from './header/index.js';
export {
  createAddSecretRequest,
  parseAddSecretRequest,
  hasRequestMagic,
  parseCuidText,
  parseCuidFile,
  secretId,
  SecretType,
  secretTypeName,
  UserDataType,
  FLAG_DISABLE_DUMP,
  type CreateAddSecretRequestOptions,
  type AddSecretRequestInfo,
  type SecretSpec,
  type MetaSecret,
  type AssociationSecret,
  type ExtensionSecretOption,
  type DeterministicInputs,
  type RequestFlags,
  type HostKey,
  type HostKeyVerifier,
  type KeySlot,
  type SecretHeader,
  type SecretIdOptions,
  type RetrievableSecret,
  type RetrievableKind,
  type UpdateCckSecret,
  verifyAddSecretRequest,
  type VerifyAddSecretRequestOptions,
  type VerifiedAddSecretRequest,
  secretInfoYaml,
  secretInfoFileName,
  policyUserData,
  decodePolicyReference,
  tocPolicyLine,
  type PolicyUserData,
  type PolicyReference,
  MAX_PLAINTEXT_SIZE,
  maxUserDataSize,
} from './request/index.js';
export { hostKeysFromDocuments } from './request/host-key.js';
export {
  verifyHostKeyDocuments,
  type VerifyHostKeyDocumentsOptions,
  type HostKeyVerificationOptions,
  type VerifiedHostKey,
  type FetchCrl,
  type VerificationStep,
} from './certs/verify.js';
export { isVerifiedHostKey } from './certs/verified-host-key.js';
export { CRL_FETCH_TIMEOUT_MS } from './certs/crl-download.js';
export type { CryptoBackend, P521Agreement, P521KeyPair, SealingBackend } from './crypto/backend.js';
export { HostPointCache, type HostPointCacheConfig } from './crypto/host-point-cache.js';
/**
 * The portable crypto backends: `portableBackend` (the default) does P-521 ECDH in
 * WebCrypto where the runtime supports it and in @noble/curves otherwise;
 * `webCryptoBackend` and `nobleBackend` are its two halves, for callers and tests that
 * want one of them. All give identical bytes.
 */
export { portableBackend, nobleBackend, webCryptoBackend } from './crypto/portable.js';
export {
  planAssociations,
  parseAssociationPlan,
  validatePlan,
  parseApqn,
  pvapconfigYaml,
  guestSetupScript,
  MAX_PLAN_QUEUES,
  PLAN_FILES,
  PLAN_MANIFEST_FORMAT,
  type AssociationPlan,
  type PlanQueue,
  type PlanOptions,
  type PlanFile,
  type PlanResult,
  type PlanManifest,
  type ManifestQueue,
  type ManifestFile,
} from './plan/index.js';
export { createAddSecretRequests, type BatchItem, type BatchOptions, type BatchResult } from './request/batch.js';
export {
  decryptAddSecretRequest,
  type DecryptKey,
  type HostPrivateKeyInput,
  type CustomerPrivateKeyInput,
  type DecryptedAddSecretRequest,
} from './request/decrypt.js';
export { diffAddSecretRequests, type AddSecretRequestDiff, type FieldDiff } from './request/diff.js';
export { hostKeysNotInHeader, assertHostKeysInHeader, hostKeyMismatchMessage } from './request/host-match.js';
export type { HostKeyVerification } from './request/verified-host-keys.js';
export { parseP521PrivateKey } from './crypto/keys.js';
// Attestation (pvattest create / verify / check), issue 14.
export {
  createAttestationRequest,
  attestationMeasurement,
  parseAttestationExchange,
  encodeAttestationExchange,
  parseAttestationRequest,
  verifyAttestation,
  readAttestationResponse,
  checkAttestation,
  secretStoreHash,
  checkFirmware,
  firmwareCheckRequest,
  FIRMWARE_CHECK_ENDPOINT,
  attestationResultYaml,
  checkResultYaml,
  type AttestationFlags,
  type AttestationExchange,
  type ExchangeEntry,
  type AttestationRequestInfo,
  type CreateAttestationRequestOptions,
  type CreatedAttestationRequest,
  type AttestationDeterministicInputs,
  type AttestationMeasurementOptions,
  type VerifyAttestationOptions,
  type AttestationResult,
  type AdditionalData,
  type CheckAttestationOptions,
  type CheckAttestationResult,
  type HostKeyCheckPolicy,
  type FirmwareCheckOptions,
  type FirmwareCheckVersion,
  type FirmwareCheckHttpRequest,
  type FirmwareCheckHttpResponse,
  type FirmwareVerdict,
  type PostFirmwareCheck,
} from './attest/index.js';
export {
  requestReport,
  requestReportText,
  headerReport,
  headerReportText,
  type RequestReport,
  type HeaderReport,
  type ReportFlags,
} from './request/inspect-report.js';
