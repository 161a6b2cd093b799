/**
 * The Node defaults of host-key verification, in one place: the platform's trusted roots
 * when no `rootCa` is given, and CRL download over HTTP(S) unless `offline`. Used by the
 * Node entry point and by the CLI's `plan` and `create --batch`.
 *
 * @module
 */
import { type HostKeyVerificationOptions, verifyHostKeyDocuments } from '../certs/verify.js';
import type { VerifyHostKeyDocumentsFn } from '../request/verified-host-keys.js';
import { fetchCrlOverHttp } from './fetch-crl.js';
import { platformRootCertificates } from './root-store.js';

/** Verification options with the Node defaults filled in: platform roots, HTTP CRL download. */
export function withNodeDefaults<T extends HostKeyVerificationOptions>(options: T): T {
  if (typeof options !== 'object' || options === null) return options;
  return {
    ...options,
    ...(options.rootCa === undefined && options.trustedRoots === undefined ? { trustedRoots: platformRootCertificates() } : {}),
    ...(options.fetchCrl === undefined ? { fetchCrl: fetchCrlOverHttp } : {}),
  };
}

/** Host-key verification with the Node defaults (for `planAssociationsWith`, `createAddSecretRequestsWith`). */
export const nodeVerifyHostKeyDocuments: VerifyHostKeyDocumentsFn = (options) => verifyHostKeyDocuments(withNodeDefaults(options));
