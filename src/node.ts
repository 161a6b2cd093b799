/**
 * se-secrets under Node: the portable API with node:crypto as the crypto backend,
 * plus the Node-only helpers (files, HTTP CRL download, root store).
 *
 * @module
 */
import { type HostKeyVerificationOptions, type VerifiedHostKey, type VerifyHostKeyDocumentsOptions, verifyHostKeyDocuments as verifyPortable } from './certs/verify.js';
import { nodeBackend } from './crypto/node.js';
import { fetchCrlOverHttp } from './node/fetch-crl.js';
import { platformRootCertificates } from './node/root-store.js';
import { type CreateAddSecretRequestOptions, createAddSecretRequest as createPortable } from './request/create.js';

export * from './index.js';
export { readSeHeader, type ReadStats } from './node/read-se-header.js';
export { nodeBackend } from './crypto/node.js';
export { createHttpCrlFetcher, fetchCrlOverHttp, type HttpCrlFetcherOptions } from './node/fetch-crl.js';
export { platformRootCertificates } from './node/root-store.js';

/** Verification options with the Node defaults filled in: platform roots, HTTP CRL download. */
function withNodeDefaults<T extends HostKeyVerificationOptions>(options: T): T {
  if (typeof options !== 'object' || options === null) return options;
  return {
    ...options,
    ...(options.rootCa === undefined && options.trustedRoots === undefined ? { trustedRoots: platformRootCertificates() } : {}),
    ...(options.fetchCrl === undefined ? { fetchCrl: fetchCrlOverHttp } : {}),
  };
}

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
  return createPortable({ backend: nodeBackend, ...options, ...(verify ? { verify: withNodeDefaults(verify) } : {}) });
}
