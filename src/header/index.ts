/**
 * SE header and image parsing (`se-secrets/header`).
 *
 * @module
 */
export * from './se-header.js';
export * from './locate.js';
export * from './read-blob.js';
