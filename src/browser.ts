/**
 * se-secrets in a browser: the entry of the self-contained, minified bundle
 * `dist/browser/se-secrets.js` (`se-secrets/browser`; scripts/build-web.mjs builds it;
 * its types are the root's). Exactly the portable API of `./index.ts` — WebCrypto plus
 * @noble/curves, every dependency bundled, no `node:` module, no network access.
 *
 * Differences from `se-secrets/node`: `verifyHostKeyDocuments` has no default root store
 * (give `rootCa` or `trustedRoots`) and downloads no CRLs unless you give `fetchCrl`;
 * `planAssociations` needs a `readFile` option; `readSeHeaderFromBlob` reads an SE image
 * from a `File` one slice at a time.
 *
 * This bundle holds the whole API anyway, so `createAddSecretRequest` here runs
 * `verifyHostKeyDocuments` for `verify: { … }` by default, as under Node (the
 * tree-shakable root wants `verifier` for that, see its `verifier` option).
 *
 * @module
 */
import { verifyHostKeyDocuments } from './certs/verify.js';
import { type CreateAddSecretRequestOptions, createAddSecretRequest as createPortable } from './request/create.js';

export * from './index.js';

/** Builds an add-secret request; `verify: { … }` runs `verifyHostKeyDocuments` unless `verifier` is given. */
export function createAddSecretRequest(options: CreateAddSecretRequestOptions): Promise<Uint8Array> {
  return createPortable({ verifier: verifyHostKeyDocuments, ...options });
}
