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

/**
 * Node reads every certificate of `NODE_EXTRA_CA_CERTS` at start (about 80 ms for a
 * system bundle on the machine of docs/performance.md), so where it is set, bare Node's
 * start is much slower, and the ratio much lower, than on a machine without it. The
 * section then measures both ways.
 */
const EXTRA_CA = 'NODE_EXTRA_CA_CERTS';

/** Wall ms of one run of `node ARGS`. */
function timeRun(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

/** Peak memory (KiB) of one run of `node ARGS`, from GNU time; undefined without it. */
function peakKiB(args: readonly string[], env: NodeJS.ProcessEnv): number | undefined {
  if (!existsSync(GNU_TIME)) return undefined;
  const r = spawnSync(GNU_TIME, ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', env });
  const line = r.stderr.trim().split('\n').at(-1) ?? '';
  return r.status === 0 && /^\d+$/.test(line) ? Number(line) : undefined;
}

export async function benchCli(): Promise<CliResult> {
  console.log('## CLI, one process per request\n');
  const rounds = QUICK ? 5 : 15;
  const perRound = 4;
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
    const environments: [string, NodeJS.ProcessEnv][] = [[process.env[EXTRA_CA] === undefined ? `${EXTRA_CA} unset` : `${EXTRA_CA} set`, process.env]];
    if (process.env[EXTRA_CA] !== undefined) {
      const { [EXTRA_CA]: _, ...without } = process.env;
      environments.push([`${EXTRA_CA} unset`, without]);
    }
    const rows: string[][] = [];
    const checks: Check[] = [];
    let msPerRequest: number | undefined;
    for (const [label, env] of environments) {
      const m = measureCli(args, env, rounds, perRound);
      msPerRequest ??= m.ms;
      console.log(`${label}: ${rounds} interleaved rounds of ${perRound} runs each; load ${m.loadBefore} before, ${m.loadAfter} after`);
      const mib = (k: number | undefined) => (k !== undefined ? `${(k / 1024).toFixed(1)} MiB` : 'n/a (no GNU time)');
      rows.push([`node -e '' (process start alone), ${label}`, fmt(m.nodeMs), '1.00x', mib(m.nodeKiB), '1.00x']);
      rows.push([
        `se-secrets create --no-verify … meta (node dist/cli/main.js), ${label}`,
        fmt(m.ms),
        `${m.timeRatio.toFixed(2)}x`,
        mib(m.cliKiB),
        m.memRatio === undefined ? 'n/a' : `${m.memRatio.toFixed(2)}x`,
      ]);
      checks.push(
        {
          name: `one CLI request (create --no-verify, meta) / node -e '', time, ${label}`,
          value: `${m.timeRatio.toFixed(2)}x`,
          target: `≤ ${CLI_TIME_TARGET}x`,
          met: m.timeRatio <= CLI_TIME_TARGET,
        },
        {
          name: `one CLI request / node -e '', peak memory, ${label}`,
          value: m.memRatio === undefined ? 'n/a' : `${m.memRatio.toFixed(2)}x`,
          target: `≤ ${CLI_MEMORY_TARGET}x`,
          met: m.memRatio === undefined ? undefined : m.memRatio <= CLI_MEMORY_TARGET,
        },
      );
    }
    console.log();
    table(['what', 'ms per run', 'vs node -e', 'peak memory (max RSS)', 'vs node -e'], rows);
    return { ...(msPerRequest === undefined ? {} : { msPerRequest }), checks };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface CliMeasurement {
  nodeMs: number;
  ms: number;
  timeRatio: number;
  nodeKiB?: number;
  cliKiB?: number;
  memRatio?: number;
  loadBefore: string;
  loadAfter: string;
}

/** Bare Node and the CLI in interleaved rounds, in environment `env`. */
function measureCli(args: readonly string[], env: NodeJS.ProcessEnv, rounds: number, perRound: number): CliMeasurement {
  const bare = ['-e', ''];
  const loadBefore = load();
  // warm the file cache
  for (let i = 0; i < 3; i++) {
    timeRun(bare, env);
    timeRun(args, env);
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
      n += timeRun(bare, env);
      c += timeRun(args, env);
    }
    nodeMs.push(n / perRound);
    cliMs.push(c / perRound);
    ratios.push(c / n);
    const nm = peakKiB(bare, env);
    const cm = peakKiB(args, env);
    if (nm !== undefined && cm !== undefined) {
      nodeKiB.push(nm);
      cliKiB.push(cm);
      memRatios.push(cm / nm);
    }
  }
  return {
    nodeMs: median(nodeMs),
    ms: median(cliMs),
    timeRatio: median(ratios),
    ...(memRatios.length > 0 ? { nodeKiB: median(nodeKiB), cliKiB: median(cliKiB), memRatio: median(memRatios) } : {}),
    loadBefore,
    loadAfter: load(),
  };
}

function skip(message: string): CliResult {
  console.log(`${message}\n`);
  return { skipped: message, checks: [] };
}
