/**
 * Add-secret requests (`se-secrets/request`).
 *
 * @module
 */
export * from './asrcb.js';
export * from './cuid.js';
export * from './create.js';
export * from './ext-secret.js';
export * from './guest-secret.js';
export * from './host-key.js';
export * from './keyslot.js';
export * from './secret.js';
export * from './secret-id.js';
export * from './resolve-host-keys.js';
export * from './retrievable.js';
export * from './user-data.js';
export * from './policy.js';
export * from './verify.js';
export * from './secret-info.js';
export { createAddSecretRequests, type BatchItem, type BatchOptions, type BatchResult } from './batch.js';
export { decryptAddSecretRequest, type DecryptKey, type HostPrivateKeyInput, type CustomerPrivateKeyInput, type DecryptedAddSecretRequest } from './decrypt.js';
export { diffAddSecretRequests, type AddSecretRequestDiff, type FieldDiff } from './diff.js';
export { hostKeysNotInHeader, assertHostKeysInHeader, hostKeyMismatchMessage, describeHostKey } from './host-match.js';
export type { HostKeyVerification } from './verified-host-keys.js';
