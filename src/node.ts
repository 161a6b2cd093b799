/**
 * se-secrets under Node: the portable API with node:crypto as the crypto backend,
 * plus the Node-only helpers (files, HTTP CRL download, root store).
 *
 * @module
 */
import { nodeBackend } from './crypto/node.js';
import { type CreateAddSecretRequestOptions, createAddSecretRequest as createPortable } from './request/create.js';
import {
  type VerifiedAddSecretRequest,
  type VerifyAddSecretRequestOptions,
  verifyAddSecretRequest as verifyPortable,
} from './request/verify.js';

export * from './index.js';
export { readSeHeader, type ReadStats } from './node/read-se-header.js';
export { nodeBackend } from './crypto/node.js';

/**
 * Builds an add-secret request (node:crypto backend unless `backend` is given).
 * See the portable `createAddSecretRequest` for the options.
 */
export function createAddSecretRequest(options: CreateAddSecretRequestOptions): Promise<Uint8Array> {
  return createPortable({ backend: nodeBackend, ...options });
}

/**
 * Verifies an add-secret request like `pvsecret verify` (node:crypto backend unless
 * `backend` is given). See the portable `verifyAddSecretRequest`.
 */
export function verifyAddSecretRequest(bytes: Uint8Array, options: VerifyAddSecretRequestOptions = {}): Promise<VerifiedAddSecretRequest> {
  return verifyPortable(bytes, { backend: nodeBackend, ...options });
}
