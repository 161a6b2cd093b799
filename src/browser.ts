/**
 * se-secrets in a browser: the entry of the self-contained bundle
 * `dist/browser/se-secrets.js` (the package's `browser` export condition; its types are
 * those of the default entry). Exactly the portable API of `./index.ts` — WebCrypto
 * plus @noble/curves, every dependency bundled, no `node:` module, no network access.
 *
 * Differences from the Node entry: `verifyHostKeyDocuments` has no default root store
 * (give `rootCa` or `trustedRoots`) and downloads no CRLs unless you give `fetchCrl`;
 * `planAssociations` needs a `readFile` option; `readSeHeaderFromBlob` reads an SE image
 * from a `File` one slice at a time.
 *
 * @module
 */
export * from './index.js';
