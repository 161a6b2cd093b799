/**
 * The host-key match check for `se-secrets create` (issue 5's command): a warning by
 * default, an error with `--strict-host-match`.
 *
 * @module
 */
import { CertificateError } from '../../errors.js';
import type { SeHeader } from '../../header/se-header.js';
import type { HostKey } from '../../request/host-key.js';
import { hostKeyMismatchMessage, hostKeysNotInHeader } from '../../request/host-match.js';

/**
 * Warns (through `warn`) or, with `strict`, throws when a host key is not among the SE
 * header's key slots. Returns the host keys that are missing.
 *
 * @throws CertificateError `ERR_HOST_KEY_MISMATCH` (strict only)
 */
export function checkHostKeyMatch(
  header: SeHeader,
  hostKeys: readonly (Uint8Array | HostKey)[],
  o: { strict: boolean; warn: (message: string) => void },
): HostKey[] {
  const missing = hostKeysNotInHeader(header, hostKeys);
  if (missing.length === 0) return missing;
  const message = hostKeyMismatchMessage(missing, header);
  if (o.strict) throw new CertificateError('ERR_HOST_KEY_MISMATCH', message);
  o.warn(message);
  return missing;
}
