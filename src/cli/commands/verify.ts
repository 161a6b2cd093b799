/**
 * `se-secrets verify`: pvsecret verify. Checks a request, verifies a signed one with
 * `--user-cert`, and writes the user data to OUTPUT (default stdout).
 *
 * @module
 */
import { type ParsedCommand, getString } from '../args.js';
import { readInput, readInputOrStdin } from '../files.js';
import { isSeSecretsError, verifyAddSecretRequest } from '../lib.js';
import type { Logger } from '../log.js';
import { Outputs } from '../output.js';

export async function runVerify(path: readonly ParsedCommand[], log: Logger): Promise<void> {
  const c = path[1] as ParsedCommand;
  const input = (getString(c, 'input') ?? getString(c, 'inputPos')) as string;
  const output = getString(c, 'output') ?? getString(c, 'outputPos') ?? '-';
  const userCert = getString(c, 'userCert');
  const request = await readInputOrStdin(input, 'add-secret request');
  const cert = userCert !== undefined ? await readInput(userCert, 'user certificate') : undefined;
  let userData: Uint8Array | undefined;
  try {
    ({ userData } = await verifyAddSecretRequest(request, cert));
  } catch (e) {
    if (isSeSecretsError(e)) e.message = `${input === '-' ? 'request on stdin' : `'${input}'`} could not be verified: ${e.message}`;
    throw e;
  }
  if (userData !== undefined) {
    const outputs = new Outputs();
    try {
      await outputs.file(output, userData, 'user data');
      await outputs.commit((chunk) => log.streams.out(chunk));
    } catch (e) {
      await outputs.abort();
      throw e;
    }
  }
  log.success('Successfully verified the request.');
}
