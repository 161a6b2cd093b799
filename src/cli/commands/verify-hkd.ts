/**
 * `se-secrets verify-hkd`: what pvverify does. Verifies host-key documents with the
 * certificate options of `create` (read and verified as `create` does) and prints, for
 * each, its subject and host-key hash (stdout). With `--no-verify` the documents are
 * only read.
 *
 * @module
 */
import type { ParsedCommand } from '../args.js';
import { toHex as hex } from '../lib.js';
import type { Logger } from '../log.js';
import { certificateArgs, readHostKeys } from './create-inputs.js';

export async function runVerifyHkd(path: readonly ParsedCommand[], log: Logger): Promise<void> {
  const a = certificateArgs(path[1] as ParsedCommand, 'verify-hkd');
  const { hostKeys } = await readHostKeys(a, log, 'host-key document verification is disabled (--no-verify): the documents are only read, not verified');
  const lines: string[] = [];
  hostKeys.forEach((k, i) => {
    lines.push(a.hostKeyDocuments[i] ?? `host-key document #${i + 1}`);
    lines.push(`  subject:       ${k.subject ?? '(unknown)'}`);
    lines.push(`  host-key hash: 0x${hex(k.hash)}`);
  });
  await log.streams.out(`${lines.join('\n')}\n`);
  log.success(a.noVerify ? 'Host-key documents read (not verified).' : 'Host-key documents verified.');
}
