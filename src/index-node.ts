/**
 * The package root under Node (its `node` export condition): exactly the API of
 * `./index.ts`, with node:crypto as the default crypto backend — faster, and the bytes
 * are identical. Nothing Node-only is added here (that is `se-secrets/node`,
 * `./node.ts`), so the root's one set of types, dist/index.d.ts, is true under every
 * condition and every `moduleResolution`.
 *
 * @module
 */
import { nodeBackend } from './crypto/node.js';
import { type PlanOptions, type PlanResult, planAssociationsWith } from './plan/plan.js';
import type { AssociationPlan } from './plan/validate.js';
import { type BatchItem, type BatchOptions, type BatchResult, createAddSecretRequestsWith } from './request/batch.js';
import { type CreateAddSecretRequestOptions, createAddSecretRequest as createPortable } from './request/create.js';
import { type DecryptKey, type DecryptedAddSecretRequest, decryptAddSecretRequest as decryptPortable } from './request/decrypt.js';
import { type VerifiedAddSecretRequest, type VerifyAddSecretRequestOptions, verifyAddSecretRequest as verifyRequestPortable } from './request/verify.js';
import { verifyHostKeyDocuments } from './certs/verify.js';
import { type CreateAttestationRequestOptions, type CreatedAttestationRequest, createAttestationRequest as createAttestationPortable } from './attest/create.js';
import { type AttestationResult, type VerifyAttestationOptions, verifyAttestation as verifyAttestationPortable } from './attest/verify.js';

export * from './index.js';

/**
 * Builds an add-secret request (node:crypto unless `backend` is given; `verify: { … }`
 * runs `verifyHostKeyDocuments` unless `verifier` is given). See the portable one.
 */
export function createAddSecretRequest(options: CreateAddSecretRequestOptions): Promise<Uint8Array> {
  return createPortable({ backend: nodeBackend, verifier: verifyHostKeyDocuments, ...options });
}

/** Verifies an add-secret request like `pvsecret verify` (node:crypto unless `backend` is given). */
export function verifyAddSecretRequest(bytes: Uint8Array, options: VerifyAddSecretRequestOptions = {}): Promise<VerifiedAddSecretRequest> {
  return verifyRequestPortable(bytes, { backend: nodeBackend, ...options });
}

/** Plans an SE guest's AP association (node:crypto unless `backend` is given). See the portable one. */
export function planAssociations(plan: AssociationPlan, options: PlanOptions = {}): Promise<PlanResult> {
  return planAssociationsWith(verifyHostKeyDocuments, plan, { backend: nodeBackend, ...options });
}

/** Builds many requests (node:crypto unless `backend` is given). See the portable one. */
export function createAddSecretRequests(batch: readonly BatchItem[], options: BatchOptions = {}): Promise<BatchResult> {
  return createAddSecretRequestsWith(verifyHostKeyDocuments, batch, { backend: nodeBackend, ...options });
}

/** Decrypts a request (node:crypto unless `backend` is given). See the portable one. */
export function decryptAddSecretRequest(bytes: Uint8Array, key: DecryptKey): Promise<DecryptedAddSecretRequest> {
  return decryptPortable(bytes, { backend: nodeBackend, ...key });
}

/** Builds an attestation request (node:crypto unless `backend` is given). See the portable one. */
export function createAttestationRequest(options: CreateAttestationRequestOptions): Promise<CreatedAttestationRequest> {
  return createAttestationPortable({ backend: nodeBackend, ...options });
}

/** Verifies an attestation response (node:crypto unless `backend` is given). See the portable one. */
export function verifyAttestation(options: VerifyAttestationOptions): Promise<AttestationResult> {
  return verifyAttestationPortable({ backend: nodeBackend, ...options });
}
