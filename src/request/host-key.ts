/**
 * Host keys live with the certificates they come from (`src/certs/host-key.ts`); the
 * request modules import them from here.
 *
 * @module
 */
export { type HostKey, hostKeyFromCertificate, hostKeysFromDocuments } from '../certs/host-key.js';
