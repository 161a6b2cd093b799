/**
 * Host-key match: does the SE image run on the hosts a request is encrypted for?
 *
 * An SE header carries one key slot per host key the image was built for, each
 * starting with that host key's hash — the same hash a request's key slot starts with.
 * A request encrypted for a host that is not among them can be built, but the guest can
 * never boot on that host, so the secret could never be added. `pvsecret create` does
 * not check this; se-secrets warns (`create`), or refuses (`create --strict-host-match`,
 * `plan`).
 *
 * @module
 */
import { CertificateError } from '../errors.js';
import { parseSeHeader } from '../header/locate.js';
import type { SeHeader } from '../header/se-header.js';
import { equalBytes, toHex } from '../internal/bytes.js';
import { type HostKey, hostKeysFromDocuments } from './host-key.js';

function headerOf(header: SeHeader | Uint8Array): SeHeader {
  return header instanceof Uint8Array ? parseSeHeader(header) : header;
}

function keysOf(hostKeys: readonly (Uint8Array | HostKey)[]): HostKey[] {
  return hostKeys.flatMap((k) => (k instanceof Uint8Array ? hostKeysFromDocuments([k]) : [k]));
}

/**
 * The host keys (in the order given) whose hash is not among the SE header's key slots.
 * An empty result means the image can run on every one of them.
 *
 * @example
 * ```ts
 * const missing = hostKeysNotInHeader(await readSeHeader('guest.img'), [hkd]);
 * if (missing.length) console.warn(hostKeyMismatchMessage(missing, header));
 * ```
 * @throws HeaderError `ERR_HEADER_*` (header bytes); CertificateError `ERR_CERT_PARSE`,
 *   `ERR_HOST_KEY_NOT_P521` (host-key documents)
 */
export function hostKeysNotInHeader(header: SeHeader | Uint8Array, hostKeys: readonly (Uint8Array | HostKey)[]): HostKey[] {
  const h = headerOf(header);
  return keysOf(hostKeys).filter((k) => !h.hostKeyHashes.some((x) => equalBytes(x, k.hash)));
}

/** A one-line description of a host key for messages: its subject, or its hash. */
export function describeHostKey(k: HostKey): string {
  return k.subject ? `${k.subject} (hash ${toHex(k.hash)})` : `hash ${toHex(k.hash)}`;
}

/** The message for host keys missing from the header (lowercase, no secrets). */
export function hostKeyMismatchMessage(missing: readonly HostKey[], header: SeHeader): string {
  const which = missing.map(describeHostKey).join('; ');
  const n = header.hostKeyHashes.length;
  return `host-key match: ${missing.length === 1 ? 'host key' : 'host keys'} ${which} ${missing.length === 1 ? 'is' : 'are'} not among the ${n} host key(s) the SE header was built for; the guest can never run on ${missing.length === 1 ? 'that host' : 'those hosts'}`;
}

/**
 * Throws when any host key is not among the SE header's key slots.
 *
 * @throws CertificateError `ERR_HOST_KEY_MISMATCH`
 */
export function assertHostKeysInHeader(header: SeHeader | Uint8Array, hostKeys: readonly (Uint8Array | HostKey)[]): void {
  const h = headerOf(header);
  const missing = hostKeysNotInHeader(h, hostKeys);
  if (missing.length > 0) throw new CertificateError('ERR_HOST_KEY_MISMATCH', hostKeyMismatchMessage(missing, h));
}
