/**
 * Add-secret requests (`se-secrets/request`).
 *
 * @module
 */
export * from './asrcb.js';
export * from './create.js';
export * from './ext-secret.js';
export * from './guest-secret.js';
export * from './host-key.js';
export * from './keyslot.js';
export * from './secret.js';
export * from './secret-id.js';
export * from './resolve-host-keys.js';
export * from './retrievable.js';
export * from './user-data.js';
export * from './policy.js';
export * from './verify.js';
export * from './secret-info.js';
