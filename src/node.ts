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
import { type PlanOptions, type PlanResult, planAssociations as planPortable } from './plan/plan.js';
import type { AssociationPlan } from './plan/validate.js';
import { type BatchItem, type BatchOptions, type BatchResult, createAddSecretRequests as batchPortable } from './request/batch.js';
import { type DecryptKey, type DecryptedAddSecretRequest, decryptAddSecretRequest as decryptPortable } from './request/decrypt.js';
import { nodePlanOptions } from './node/plan.js';

export * from './index.js';
export { readSeHeader, type ReadStats } from './node/read-se-header.js';
export { nodeBackend } from './crypto/node.js';
export { planAssociationsFromFile, nodePlanOptions } from './node/plan.js';
export { readBatchFile, type BatchPlan } from './node/batch-file.js';
export { readFileBytes, writeFileAtomic, writeFilesAtomic, ensureDirectory, SECRET_FILE_MODE, type OutputFile } from './node/files.js';

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

/**
 * Plans an SE guest's AP association (node:crypto; files read from disk relative to
 * `baseDir` unless `readFile` is given). See the portable `planAssociations`.
 *
 * @example
 * ```ts
 * const { files } = await planAssociations(parseAssociationPlan(text), { baseDir: 'plans/' });
 * ```
 */
export function planAssociations(plan: AssociationPlan, options: PlanOptions = {}): Promise<PlanResult> {
  // A caller's own reader also reads the SE header, unless it gives a header reader too.
  const defaults = options.readFile ? { backend: nodePlanOptions.backend } : nodePlanOptions;
  return planPortable(plan, { ...defaults, ...options });
}

/** Builds many requests (node:crypto backend unless `backend` is given). See the portable one. */
export function createAddSecretRequests(batch: readonly BatchItem[], options: BatchOptions = {}): Promise<BatchResult> {
  return batchPortable(batch, { backend: nodeBackend, ...options });
}

/** Decrypts a request (node:crypto backend unless `backend` is given). See the portable one. */
export function decryptAddSecretRequest(bytes: Uint8Array, key: DecryptKey): Promise<DecryptedAddSecretRequest> {
  return decryptPortable(bytes, { backend: nodeBackend, ...key });
}
