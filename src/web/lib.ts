/**
 * The page's one way into the library. scripts/build-web.mjs resolves this module's
 * import to the built bundle `dist/browser/se-secrets.js`, so the page runs exactly the
 * published browser bundle (and its checks forbid reaching library sources any other way).
 *
 * @module
 */
export * from '../browser.js';
