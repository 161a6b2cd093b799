/**
 * Which host keys a request is built for, and whether they were verified.
 *
 * @module
 */
import { InputError } from '../errors.js';
import { MAX_KEY_SLOTS } from './asrcb.js';
import { type HostKey, hostKeysFromDocuments } from './host-key.js';

/** The part of the request options that decides the host keys. */
export interface HostKeyOptions {
  readonly hostKeys: readonly (Uint8Array | HostKey)[];
  readonly verify: false;
}

/**
 * Host keys from documents and key objects, in the order given.
 *
 * @throws InputError `ERR_VERIFY_REQUIRED`, `ERR_INVALID_OPTION`, `ERR_HOST_KEY_COUNT`;
 *   CertificateError `ERR_CERT_PARSE`, `ERR_HOST_KEY_NOT_P521`
 */
export async function resolveHostKeys(options: HostKeyOptions): Promise<HostKey[]> {
  if (options.verify !== false) {
    throw new InputError(
      'ERR_VERIFY_REQUIRED',
      'options.verify: host-key verification must be chosen explicitly (verify: false builds on unverified host keys)',
    );
  }
  const { hostKeys } = options;
  if (!Array.isArray(hostKeys)) throw new InputError('ERR_INVALID_OPTION', 'options.hostKeys: expected an array of host-key documents');
  const out: HostKey[] = [];
  for (const k of hostKeys) {
    if (k instanceof Uint8Array) out.push(...hostKeysFromDocuments([k]));
    else if (k && typeof k === 'object' && k.publicKey instanceof Uint8Array && k.hash instanceof Uint8Array) out.push(k);
    else throw new InputError('ERR_INVALID_OPTION', 'options.hostKeys: each entry must be host-key document bytes or a host key');
  }
  if (out.length < 1 || out.length > MAX_KEY_SLOTS) {
    throw new InputError('ERR_HOST_KEY_COUNT', `request: needs 1 to ${MAX_KEY_SLOTS} host keys (got ${out.length})`);
  }
  return out;
}
