/**
 * Are we running inside an IBM Secure Execution guest? Then the secret would be
 * built where it is meant to be used, which defeats its protection: `create`, `create
 * --batch` and `plan` refuse unless `--force`. Same test as pvsecret: the first byte of
 * `/sys/firmware/uv/prot_virt_guest` is the digit 1 (a missing file means no).
 *
 * TEST HOOK: the environment variable `SE_SECRETS_PROT_VIRT_GUEST_PATH` replaces the
 * path, so tests can exercise the refusal on any machine. It only changes which file
 * is read; documented in docs/cli.md.
 *
 * @module
 */
import { readInputFile } from '../node/input.js';
import { CliError } from './errors.js';
import type { Logger } from './log.js';

export const PROT_VIRT_GUEST_PATH = '/sys/firmware/uv/prot_virt_guest';
export const PROT_VIRT_GUEST_ENV = 'SE_SECRETS_PROT_VIRT_GUEST_PATH';

export async function isSecureExecutionGuest(): Promise<boolean> {
  const path = process.env[PROT_VIRT_GUEST_ENV] || PROT_VIRT_GUEST_PATH;
  try {
    const bytes = await readInputFile(path, { maxSize: 4096 });
    return bytes[0] === 0x31;
  } catch {
    return false;
  }
}

/**
 * Refuses to build `what` on an SE guest unless `force` (`-f`), with pvsecret's warning.
 *
 * @throws CliError `ERR_SE_GUEST`
 */
export async function refuseOnGuest(force: boolean, log: Logger, what = 'an add-secret request'): Promise<void> {
  if (!(await isSecureExecutionGuest())) return;
  log.warn('this system seems to be an IBM Secure Execution guest');
  if (!force) {
    throw new CliError('ERR_SE_GUEST', `refusing to create ${what} on an IBM Secure Execution guest: build it on another, trusted machine (override with --force)`);
  }
  log.warn(`--force: creating ${what} on an IBM Secure Execution guest anyway`);
}
