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
 * @module
 */
export * from './index.js';
