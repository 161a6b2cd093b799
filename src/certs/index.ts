/**
 * Certificates, CRLs and host-key documents (`se-secrets/certs`).
 *
 * @module
 */
export { decodePem, encodePem, looksLikePem, type PemBlock } from '../internal/pem.js';
export { parseCertificates } from './inputs.js';
export type { CertInfo as Certificate } from './cert-info.js';
export { hostKeyFromCertificate, hostKeysFromDocuments, type HostKey } from './host-key.js';
export {
  verifyHostKeyDocuments,
  type VerifyHostKeyDocumentsOptions,
  type HostKeyVerificationOptions,
  type VerifiedHostKey,
  type FetchCrl,
} from './verify.js';
export { isVerifiedHostKey } from './verified-host-key.js';
export { CRL_FETCH_TIMEOUT_MS } from './crl-download.js';
