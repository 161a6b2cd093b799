/**
 * Running the CLI in-process: `main(argv, streams)` with captured stdout/stderr, in a
 * given working directory and environment. The one runner every CLI test uses (the
 * built binary is run as a subprocess only by test/cli/binary.test.ts).
 */
import type { Streams } from '../../src/cli/log.js';
import { main } from '../../src/cli/main.js';

/** Which file says "this is an SE guest": none, unless a test sets it. */
export const GUEST_ENV = { SE_SECRETS_PROT_VIRT_GUEST_PATH: '/nonexistent/prot_virt_guest' };

export interface CliRun {
  code: number;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

/**
 * In-process runs share the process's working directory and environment, so they
 * run one at a time (each is CPU-bound on this thread anyway).
 */
let queue: Promise<unknown> = Promise.resolve();

async function inProcess(argv: readonly string[], o: { cwd: string; env?: Record<string, string>; tty?: boolean }): Promise<CliRun> {
  const out: Buffer[] = [];
  let err = '';
  const streams: Streams = {
    out: async (chunk) => {
      out.push(Buffer.from(chunk));
    },
    err: (line) => {
      err += `${line}\n`;
    },
    ...(o.tty
      ? {
          tty: {
            write: (chunk: string) => {
              err += chunk;
            },
          },
        }
      : {}),
  };
  const cwd = process.cwd();
  const env = { ...GUEST_ENV, ...o.env };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  process.chdir(o.cwd);
  Object.assign(process.env, env);
  try {
    const code = await main(argv, streams);
    const stdoutBytes = Buffer.concat(out);
    return { code, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: err };
  } finally {
    process.chdir(cwd);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Runs `se-secrets ...argv` in-process in `cwd`; `tty` makes stderr a terminal (progress bars). */
export function runMain(argv: readonly string[], o: { cwd: string; env?: Record<string, string>; tty?: boolean }): Promise<CliRun> {
  const run = queue.then(() => inProcess(argv, o));
  queue = run.catch(() => undefined);
  return run;
}

/** Runs `se-secrets <command> ...args` in `cwd` (`create-batch` is `create --batch …`). */
export function runCli(command: 'plan' | 'decrypt' | 'diff' | 'create-batch', args: string[], o: { cwd: string; tty?: boolean }): Promise<CliRun> {
  return runMain([command === 'create-batch' ? 'create' : command, ...args], o);
}
