/**
 * Test-only entry to the subcommands built on the `plan` branch: runs their run()
 * in-process with captured stdout/stderr (until the lead wires them into src/cli/main.ts).
 */
import * as createBatch from '../../src/cli/commands/create-batch.js';
import * as decrypt from '../../src/cli/commands/decrypt.js';
import * as diff from '../../src/cli/commands/diff.js';
import * as plan from '../../src/cli/commands/plan.js';

export const COMMANDS = { plan, decrypt, diff, 'create-batch': createBatch } as const;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return {
    out: { isTTY, write: (c: string | Uint8Array) => chunks.push(typeof c === 'string' ? c : Buffer.from(c).toString()) },
    text: () => chunks.join(''),
  };
}

/** Runs `se-secrets <command> ...args` in `cwd`. */
export async function runCli(command: keyof typeof COMMANDS, args: string[], o: { cwd: string; tty?: boolean }): Promise<CliRun> {
  const stdout = sink(false);
  const stderr = sink(o.tty === true);
  const code = await COMMANDS[command].run(args, { stdout: stdout.out, stderr: stderr.out, cwd: o.cwd });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
