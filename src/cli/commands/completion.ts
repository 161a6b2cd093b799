/**
 * `se-secrets completion bash|zsh|fish`: prints a completion script generated from the
 * command tree (src/cli/completion-scripts.ts).
 *
 * @module
 */
import type { ParsedCommand } from '../args.js';
import { getString } from '../args.js';
import { COMPLETION_SHELLS, type CompletionShell, completionScript } from '../completion-scripts.js';
import { UsageError } from '../errors.js';
import type { Logger } from '../log.js';

export async function runCompletion(path: readonly ParsedCommand[], log: Logger): Promise<void> {
  const shell = getString(path[1] as ParsedCommand, 'shell') as string;
  if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`unsupported shell '${shell}' (supported: ${COMPLETION_SHELLS.join(', ')})`, ['completion']);
  }
  await log.streams.out(completionScript(shell as CompletionShell));
}
