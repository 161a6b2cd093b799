/**
 * `se-secrets/node`: the package root's API with the Node defaults, plus the Node-only
 * helpers — reading files (`readSeHeader` reads only the pages of an image it needs),
 * downloading CRLs over HTTP(S), the platform's root store, atomic output files.
 * `verifyHostKeyDocuments`, `createAddSecretRequest`, `planAssociations` and
 * `createAddSecretRequests` here verify against the platform's trusted roots when no
 * `rootCa`/`trustedRoots` is given and download CRLs unless `offline`; `planAssociations`
 * reads the plan's files from disk. Crypto is node:crypto, as at the root under Node.
 *
 * @module
 */
import { type VerifiedHostKey, type VerifyHostKeyDocumentsOptions, verifyHostKeyDocuments as verifyPortable } from './certs/verify.js';
import { nodeBackend } from './crypto/node.js';
import { createAddSecretRequest as createRoot, createAttestationRequest as createAttestationRoot } from './index-node.js';
import type { CreateAttestationRequestOptions, CreatedAttestationRequest } from './attest/create.js';
import { nodePlanOptions } from './node/plan.js';
import { withNodeDefaults } from './node/verify-defaults.js';
import { type PlanOptions, type PlanResult, planAssociationsWith } from './plan/plan.js';
import type { AssociationPlan } from './plan/validate.js';
import { type BatchItem, type BatchOptions, type BatchResult, createAddSecretRequestsWith } from './request/batch.js';
import type { CreateAddSecretRequestOptions } from './request/create.js';

export * from './index-node.js';
export { readSeHeader, type ReadStats } from './node/read-se-header.js';
export { nodeBackend } from './crypto/node.js';
export { planAssociationsFromFile, nodePlanOptions } from './node/plan.js';
export { readBatchFile, type BatchPlan } from './node/batch-file.js';
export { readFileBytes, writeFileAtomic, writeFilesAtomic, ensureDirectory, SECRET_FILE_MODE, type OutputFile } from './node/files.js';
export { createHttpCrlFetcher, fetchCrlOverHttp, type HttpCrlFetcherOptions } from './node/fetch-crl.js';
export { platformRootCertificates } from './node/root-store.js';
export { postFirmwareCheck } from './node/firmware-check.js';

/**
 * Verifies host-key documents (see the portable `verifyHostKeyDocuments`). Under Node,
 * without `rootCa` the platform's trusted roots are used (Node's bundled roots and the
 * system store), and CRLs are downloaded over HTTP(S) unless `offline`.
 */
export function verifyHostKeyDocuments(options: VerifyHostKeyDocumentsOptions): Promise<VerifiedHostKey[]> {
  return verifyPortable(withNodeDefaults(options));
}

/**
 * Builds an add-secret request (node:crypto backend unless `backend` is given; with
 * `verify: { … }` the Node verification defaults apply). See the portable
 * `createAddSecretRequest` for the options.
 */
export function createAddSecretRequest(options: CreateAddSecretRequestOptions): Promise<Uint8Array> {
  const verify = options?.verify;
  return createRoot({ ...options, ...(verify ? { verify: withNodeDefaults(verify) } : {}) });
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
  return planAssociationsWith(verifyHostKeyDocuments, plan, { ...defaults, ...options });
}

/** Builds many requests (node:crypto backend unless `backend` is given). See the portable one. */
export function createAddSecretRequests(batch: readonly BatchItem[], options: BatchOptions = {}): Promise<BatchResult> {
  return createAddSecretRequestsWith(verifyHostKeyDocuments, batch, { backend: nodeBackend, ...options });
}

/** Builds an attestation request (node:crypto unless `backend` is given; Node verification defaults). See the portable one. */
export function createAttestationRequest(options: CreateAttestationRequestOptions): Promise<CreatedAttestationRequest> {
  const verify = options?.verify;
  return createAttestationRoot({ ...options, ...(verify ? { verify: withNodeDefaults(verify) } : {}) });
}
