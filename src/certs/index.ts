/**
 * Certificates, CRLs and host-key documents (`se-secrets/certs`).
 *
 * @module
 */
export { decodePem, encodePem, looksLikePem, type PemBlock } from './pem.js';
export { parseCertificates } from './x509.js';
export { hostKeyFromCertificate, hostKeysFromDocuments, type HostKey } from '../request/host-key.js';
