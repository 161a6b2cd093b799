/**
 * Small timing helpers for the benchmarks: warm up, then time rounds of the operation
 * and report the median per-operation time, so one slow round (GC, another process)
 * does not decide the result.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface Timing {
  /** Median milliseconds per operation over the rounds. */
  ms: number;
  /** Operations timed in total (warm-up excluded). */
  ops: number;
}

export interface MeasureOptions {
  /** Rounds to take the median of (default 5). */
  rounds?: number;
  /** Each round runs at least this long (default 300 ms) … */
  minRoundMs?: number;
  /** … and at least this many operations (default 3). */
  minRoundOps?: number;
  /** Warm-up operations (default 5). */
  warmup?: number;
}

export const QUICK = process.env.BENCH_QUICK === '1';

/** Median time per call of `fn` (awaited), in milliseconds. */
export async function measure(fn: () => unknown, o: MeasureOptions = {}): Promise<Timing> {
  const rounds = o.rounds ?? (QUICK ? 3 : 5);
  const minRoundMs = o.minRoundMs ?? (QUICK ? 100 : 300);
  const minRoundOps = o.minRoundOps ?? 3;
  for (let i = 0; i < (o.warmup ?? 5); i++) await fn();
  const perOp: number[] = [];
  let ops = 0;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    while (n < minRoundOps || elapsed < minRoundMs) {
      await fn();
      n++;
      elapsed = performance.now() - start;
    }
    perOp.push(elapsed / n);
    ops += n;
  }
  perOp.sort((a, b) => a - b);
  return { ms: perOp[Math.floor(perOp.length / 2)] as number, ops };
}

/**
 * Times several operations in interleaved rounds (a round of each in turn, repeated),
 * so that load from other processes hits them alike. Returns each operation's median
 * ms per call and, for each, the median over rounds of its time divided by the first
 * operation's time in the same round (the baseline ratio).
 */
export async function compare(fns: readonly (() => unknown)[], o: MeasureOptions = {}): Promise<{ ms: number[]; ratio: number[] }> {
  const rounds = o.rounds ?? (QUICK ? 3 : 7);
  const minRoundMs = o.minRoundMs ?? (QUICK ? 100 : 250);
  const minRoundOps = o.minRoundOps ?? 3;
  for (const fn of fns) for (let i = 0; i < (o.warmup ?? 5); i++) await fn();
  const per: number[][] = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, fn] of fns.entries()) {
      let n = 0;
      const start = performance.now();
      let elapsed = 0;
      while (n < minRoundOps || elapsed < minRoundMs) {
        await fn();
        n++;
        elapsed = performance.now() - start;
      }
      (per[i] as number[]).push(elapsed / n);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const base = per[0] as number[];
  return {
    ms: per.map(median),
    ratio: per.map((xs) => median(xs.map((x, r) => x / (base[r] as number)))),
  };
}

/** The 1-minute load average (other processes competing for the cores), where known. */
export function load(): string {
  const l = loadavg()[0] ?? 0;
  return l.toFixed(2);
}

/** The facts that make numbers from different machines comparable. */
export function machine(): Record<string, string> {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m?.[1]) model = m[1];
  } catch {
    // not Linux
  }
  return {
    cpu: model,
    cores: String(availableParallelism()),
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    openssl: process.versions.openssl ?? 'none',
    platform: `${process.platform} ${process.arch}`,
    'load average at start (1 min)': load(),
  };
}

export const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
export const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

/** Prints a Markdown table (so the output pastes into docs/performance.md). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  console.log(line(header));
  console.log(line(header.map(() => '---')));
  for (const r of rows) console.log(line(r));
  console.log();
}

/** A section result for the summary at the end of `bench/run.ts`. */
export interface Check {
  readonly name: string;
  readonly value: string;
  readonly target: string;
  /** undefined when skipped. */
  readonly met: boolean | undefined;
}
