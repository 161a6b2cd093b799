/**
 * se-secrets: build, inspect and verify IBM Secure Execution add-secret requests.
 *
 * This is the portable entry point (browsers and other runtimes). Under Node the
 * package root resolves to `./node.ts` instead, which adds file and network helpers
 * and uses node:crypto.
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
  FileError,
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
} from './header/index.js';
export {
  createAddSecretRequest,
  parseAddSecretRequest,
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
  type KeySlot,
  type SecretHeader,
  type SecretIdOptions,
} from './request/index.js';
export { hostKeysFromDocuments } from './request/host-key.js';
export type { CryptoBackend, P521Agreement, P521KeyPair } from './crypto/backend.js';
export { portableBackend } from './crypto/portable.js';
