/**
 * The CLI, one process per request: `node dist/cli/main.js create --no-verify … meta`,
 * the way a shell loop over pvsecret would run it, beside a bare `node -e ''` (the floor
 * any one-process-per-request loop pays). Both are run in interleaved rounds (one of
 * each in turn), and the result is the median of the per-round ratios, so load from
 * other processes hits both alike. Peak memory (max RSS) comes from GNU time where it is
 * installed. Skipped (with a message) until a CLI with a working `create` is built.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { header, hkd1 } from './inputs.js';
import { type Check, fmt, load, QUICK, table } from './lib.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
const GNU_TIME = '/usr/bin/time';

/** Issue 12 §2: one CLI request at most 1.6x a bare Node start, and 1.5x its peak memory. */
export const CLI_TIME_TARGET = 1.6;
export const CLI_MEMORY_TARGET = 1.5;

export interface CliResult {
  /** ms per CLI run, or undefined when skipped. */
  msPerRequest?: number;
  skipped?: string;
  checks: Check[];
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Wall ms of one run of `node ARGS`. */
function timeRun(args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args);
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

/** Peak memory (KiB) of one run of `node ARGS`, from GNU time; undefined without it. */
function peakKiB(args: readonly string[]): number | undefined {
  if (!existsSync(GNU_TIME)) return undefined;
  const r = spawnSync(GNU_TIME, ['-f', '%M', process.execPath, ...args], { encoding: 'utf8' });
  const line = r.stderr.trim().split('\n').at(-1) ?? '';
  return r.status === 0 && /^\d+$/.test(line) ? Number(line) : undefined;
}

export async function benchCli(): Promise<CliResult> {
  console.log('## CLI, one process per request\n');
  const rounds = QUICK ? 5 : 15;
  const perRound = 4;
  const bare = ['-e', ''];
  if (!existsSync(CLI)) return skip(`skipped: CLI not built (${CLI} is missing; run npm run build)`);
  const dir = mkdtempSync(join(tmpdir(), 'se-secrets-bench-cli-'));
  try {
    writeFileSync(join(dir, 'hkd.crt'), hkd1);
    writeFileSync(join(dir, 'se.hdr'), header);
    const out = join(dir, 'req.bin');
    const args = [CLI, 'create', '-k', join(dir, 'hkd.crt'), '--hdr', join(dir, 'se.hdr'), '--no-verify', '-q', '-o', out, 'meta'];
    const probe = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (probe.status !== 0 || !existsSync(out) || statSync(out).size === 0) {
      const why = (probe.stderr || probe.stdout || '').trim().split('\n')[0] ?? '';
      return skip(`skipped: CLI not built with a working create (exit ${probe.status}: ${why})`);
    }
    const loadBefore = load();
    // warm the file cache
    for (let i = 0; i < 3; i++) {
      timeRun(bare);
      timeRun(args);
    }
    const nodeMs: number[] = [];
    const cliMs: number[] = [];
    const ratios: number[] = [];
    const nodeKiB: number[] = [];
    const cliKiB: number[] = [];
    const memRatios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let n = 0;
      let c = 0;
      for (let i = 0; i < perRound; i++) {
        n += timeRun(bare);
        c += timeRun(args);
      }
      nodeMs.push(n / perRound);
      cliMs.push(c / perRound);
      ratios.push(c / n);
      const nm = peakKiB(bare);
      const cm = peakKiB(args);
      if (nm !== undefined && cm !== undefined) {
        nodeKiB.push(nm);
        cliKiB.push(cm);
        memRatios.push(cm / nm);
      }
    }
    const ms = median(cliMs);
    const timeRatio = median(ratios);
    const memRatio = memRatios.length > 0 ? median(memRatios) : undefined;
    const mib = (k: number[]) => (k.length > 0 ? `${(median(k) / 1024).toFixed(1)} MiB` : 'n/a (no GNU time)');
    console.log(`${rounds} interleaved rounds of ${perRound} runs each; load ${loadBefore} before, ${load()} after\n`);
    table(
      ['what', 'ms per run', 'vs node -e', 'peak memory (max RSS)', 'vs node -e'],
      [
        ["node -e '' (process start alone)", fmt(median(nodeMs)), '1.00x', mib(nodeKiB), '1.00x'],
        [
          'se-secrets create --no-verify … meta (node dist/cli/main.js), one process per request',
          fmt(ms),
          `${timeRatio.toFixed(2)}x`,
          mib(cliKiB),
          memRatio === undefined ? 'n/a' : `${memRatio.toFixed(2)}x`,
        ],
      ],
    );
    return {
      msPerRequest: ms,
      checks: [
        {
          name: "one CLI request (create --no-verify, meta) / node -e '', time",
          value: `${timeRatio.toFixed(2)}x`,
          target: `≤ ${CLI_TIME_TARGET}x`,
          met: timeRatio <= CLI_TIME_TARGET,
        },
        {
          name: "one CLI request / node -e '', peak memory",
          value: memRatio === undefined ? 'n/a' : `${memRatio.toFixed(2)}x`,
          target: `≤ ${CLI_MEMORY_TARGET}x`,
          met: memRatio === undefined ? undefined : memRatio <= CLI_MEMORY_TARGET,
        },
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function skip(message: string): CliResult {
  console.log(`${message}\n`);
  return { skipped: message, checks: [] };
}
