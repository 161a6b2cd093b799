/**
 * The property-based fuzz harness: every parser of untrusted input gets the same four
 * properties, each of which may only end in a returned value or one of our typed errors
 * (`instanceof SeSecretsError`), within a per-call budget.
 *
 * 1. random bytes (bounded length);
 * 2. every truncation of every seed (all prefix lengths, deterministic; see
 *    {@link truncationLengths} for large seeds in short runs);
 * 3. bit flips of the seeds;
 * 4. structural mutations of the seeds: overwrite / insert / delete byte runs, splice in
 *    dictionary words (magics, PEM markers, …) and "interesting" integers (0, 0xff…,
 *    lengths just over a boundary), and token soup (random sequences of dictionary
 *    words and short random runs) for text formats.
 *
 * Run counts come from `FUZZ_RUNS` (default {@link DEFAULT_RUNS}, kept small for CI;
 * `npm run fuzz` raises it). `FUZZ_SEED` replays a fast-check seed printed on failure.
 * A sync parser cannot be interrupted, so a hang shows up as a call over the budget
 * (`FUZZ_CALL_BUDGET_MS`, generous: it catches quadratic blow-ups, not slow machines)
 * or, at worst, as the test's own timeout.
 */
import fc from 'fast-check';
import { SeSecretsError } from '../../src/errors.js';

/** One parser under fuzz. Adding a parser is adding one of these to `targets.ts`. */
export interface FuzzTarget {
  /** Unique name, shown in the test titles (usually the function name). */
  readonly name: string;
  /**
   * Parses untrusted bytes (convert to text inside when the parser takes a string).
   * May return anything, or a promise; may only throw `SeSecretsError`.
   */
  readonly parse: (bytes: Uint8Array) => unknown;
  /** Real, valid inputs: mutated by truncation, bit flips and splices. At least one. */
  readonly seeds: readonly Uint8Array[];
  /** Words that matter to the format (magics, keywords, PEM markers). */
  readonly dictionary?: readonly (string | Uint8Array)[];
  /** Largest random input in bytes (default 4096). */
  readonly maxLength?: number;
  /**
   * Other typed errors the parser may end in, besides `SeSecretsError`: the CLI's own
   * `CliError` for CLI-only readers. They too must carry an `ERR_` code and a message.
   */
  readonly typedErrors?: readonly (abstract new (...args: never[]) => Error)[];
  /**
   * For parsers that are costly per call (the whole chain verifier): in short runs, at
   * most this many prefixes per seed (see {@link truncationLengths}); long runs cut at
   * every length.
   */
  readonly maxTruncations?: number;
}

/** Default runs per property and target: small, so the CI suite stays in seconds. */
export const DEFAULT_RUNS = 60;

function envInt(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number.parseInt(v, 10);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative integer (got ${JSON.stringify(v)})`);
  return n;
}

export const FUZZ_RUNS = envInt('FUZZ_RUNS') ?? DEFAULT_RUNS;
export const FUZZ_SEED = envInt('FUZZ_SEED');
/** Upper bound for one parser call; far above any honest parse of a bounded input. */
export const CALL_BUDGET_MS = envInt('FUZZ_CALL_BUDGET_MS') ?? 2000;

const utf8 = new TextEncoder();
const asBytes = (w: string | Uint8Array): Uint8Array => (typeof w === 'string' ? utf8.encode(w) : w);

/** Big-endian encodings of integers that sit on boundaries (sizes, counts, versions). */
export const INTERESTING_INTEGERS: readonly Uint8Array[] = (() => {
  const out: Uint8Array[] = [];
  const values = [0n, 1n, 0x7fn, 0x80n, 0xffn, 0x100n, 0x1a0n, 0x4b8n, 0x7fffn, 0xffffn, 0x10000n, 0x100000n, 0x7fffffffn, 0xffffffffn, 0xffffffffffffffffn];
  for (const v of values) {
    for (const size of [1, 2, 4, 8]) {
      if (v >> BigInt(8 * size) !== 0n) continue;
      const b = new Uint8Array(size);
      for (let i = 0; i < size; i++) b[size - 1 - i] = Number((v >> BigInt(8 * i)) & 0xffn);
      out.push(b);
    }
  }
  return out;
})();

/**
 * Why an outcome is not acceptable, or undefined when it is: a value, or a typed error
 * with a string code and a message.
 */
export function badOutcome(error: unknown, typedErrors: FuzzTarget['typedErrors'] = []): string | undefined {
  if (error instanceof SeSecretsError || typedErrors.some((c) => error instanceof c)) {
    const typed = error as { code?: unknown; message?: unknown };
    if (typeof typed.code !== 'string' || !typed.code.startsWith('ERR_')) return `typed error without a code: ${String(error)}`;
    if (typeof typed.message !== 'string' || typed.message.length === 0) return `typed error ${typed.code} without a message`;
    return undefined;
  }
  const e = error as { name?: string; message?: string; stack?: string };
  return `untyped ${e?.name ?? typeof error}: ${e?.message ?? String(error)}\n${e?.stack ?? ''}`;
}

/** Runs the parser once; throws (failing the property) on an untyped error or a call over budget. */
export async function runOnce(target: FuzzTarget, input: Uint8Array, budgetMs = CALL_BUDGET_MS): Promise<'ok' | string> {
  const start = performance.now();
  let outcome: 'ok' | string = 'ok';
  try {
    const r = target.parse(input);
    if (r instanceof Promise) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const budget = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${target.name}: no answer within ${budgetMs} ms (hang?)`)), budgetMs);
      });
      try {
        await Promise.race([r, budget]);
      } finally {
        clearTimeout(timer);
      }
    }
  } catch (e) {
    const bad = badOutcome(e, target.typedErrors);
    if (bad) throw new Error(`${target.name} on ${input.length} bytes: ${bad}`);
    outcome = (e as { code: string }).code;
  }
  const ms = performance.now() - start;
  if (ms > budgetMs) throw new Error(`${target.name}: ${ms.toFixed(0)} ms for ${input.length} bytes (budget ${budgetMs} ms; hang or super-linear work?)`);
  return outcome;
}

function params(): fc.Parameters<unknown> {
  return { numRuns: FUZZ_RUNS, includeErrorInReport: true, ...(FUZZ_SEED === undefined ? {} : { seed: FUZZ_SEED }) };
}

/** Property 1: random bytes. */
export async function fuzzRandomBytes(target: FuzzTarget): Promise<void> {
  const maxLength = target.maxLength ?? 4096;
  await fc.assert(
    // fast-check favours short arrays; mix in lengths spread up to maxLength
    fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength }), fc.uint8Array({ maxLength, size: 'max' })), async (bytes) => {
      await runOnce(target, bytes);
    }),
    params(),
  );
}

/** Seeds up to this size are cut at every length in every run. */
export const ALL_CUTS_UP_TO = 16 * 1024;

/**
 * The prefix lengths tried for a seed: all of them for seeds up to {@link ALL_CUTS_UP_TO}
 * and in long runs (`FUZZ_RUNS` ≥ 1000, as `npm run fuzz`). For larger seeds in short
 * runs (an SE image is ~80 KiB, mostly zeros): every length in the first and last 8 KiB
 * and within 16 bytes of each 4 KiB page boundary (where images keep their structures),
 * and every 61st length in between.
 */
export function truncationLengths(size: number, maxTruncations?: number): number[] {
  const long = FUZZ_RUNS >= 1000;
  if (maxTruncations !== undefined && !long && size + 1 > maxTruncations) return sparseLengths(size, maxTruncations);
  const all = size <= ALL_CUTS_UP_TO || long;
  const out: number[] = [];
  for (let n = 0; n <= size; n++) {
    const page = n % 4096;
    if (all || n <= 8192 || n >= size - 8192 || page <= 16 || page >= 4096 - 16 || n % 61 === 0) out.push(n);
  }
  return out;
}

/**
 * About `count` prefix lengths of a `size`-byte seed: the first and last 16 (empty input,
 * the first header bytes, the final bytes), the rest evenly spaced in between.
 */
function sparseLengths(size: number, count: number): number[] {
  const edge = Math.min(16, Math.floor(count / 4));
  const set = new Set<number>();
  for (let n = 0; n < edge; n++) {
    set.add(n);
    set.add(size - n);
  }
  const inner = Math.max(1, count - 2 * edge);
  for (let i = 0; i < inner; i++) set.add(edge + Math.floor(((size - 2 * edge) * i) / inner));
  return [...set].filter((n) => n >= 0 && n <= size).sort((a, b) => a - b);
}

/**
 * Property 2: every prefix of every seed (deterministic). Returns the outcome counts
 * (`ok` or error code) so a test can check the truncations reached the checks.
 */
export async function fuzzTruncations(target: FuzzTarget): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const seed of target.seeds) {
    for (const n of truncationLengths(seed.length, target.maxTruncations)) {
      const outcome = await runOnce(target, seed.subarray(0, n));
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    }
  }
  return counts;
}

/** Property 3: flip 1 to 16 bits of a seed. */
export async function fuzzBitFlips(target: FuzzTarget): Promise<void> {
  const seeds = target.seeds;
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: seeds.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 7 })), { minLength: 1, maxLength: 16 }),
      async (which, flips) => {
        const input = (seeds[which] as Uint8Array).slice();
        if (input.length === 0) return;
        for (const [pos, bit] of flips) input[pos % input.length] = (input[pos % input.length] as number) ^ (1 << bit);
        await runOnce(target, input);
      },
    ),
    params(),
  );
}

type Op =
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'duplicate'; at: number; count: number };

function applyOps(seed: Uint8Array, ops: readonly Op[]): Uint8Array {
  let b = seed.slice();
  for (const op of ops) {
    const at = b.length === 0 ? 0 : op.at % (b.length + 1);
    switch (op.kind) {
      case 'overwrite': {
        const c = b.slice();
        c.set(op.bytes.subarray(0, Math.max(0, c.length - at)), at);
        b = c;
        break;
      }
      case 'insert': {
        const c = new Uint8Array(b.length + op.bytes.length);
        c.set(b.subarray(0, at), 0);
        c.set(op.bytes, at);
        c.set(b.subarray(at), at + op.bytes.length);
        b = c;
        break;
      }
      case 'delete': {
        const end = Math.min(b.length, at + op.count);
        const c = new Uint8Array(b.length - (end - at));
        c.set(b.subarray(0, at), 0);
        c.set(b.subarray(end), at);
        b = c;
        break;
      }
      case 'duplicate': {
        const run = b.slice(at, at + op.count);
        const c = new Uint8Array(b.length + run.length);
        c.set(b.subarray(0, at + run.length), 0);
        c.set(run, at + run.length);
        c.set(b.subarray(at + run.length), at + 2 * run.length);
        b = c;
        break;
      }
    }
  }
  return b;
}

/** Property 4: structural mutations of the seeds, and token soup from the dictionary. */
export async function fuzzMutations(target: FuzzTarget): Promise<void> {
  const words = [...(target.dictionary ?? []).map(asBytes), ...INTERESTING_INTEGERS];
  const piece = fc.oneof(fc.constantFrom(...words), fc.uint8Array({ minLength: 1, maxLength: 16 }));
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(), bytes: piece }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: piece }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 256 }) }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 256 }) }),
  );
  const mutated = fc
    .tuple(fc.nat({ max: target.seeds.length - 1 }), fc.array(op, { minLength: 1, maxLength: 8 }))
    .map(([i, ops]) => applyOps(target.seeds[i] as Uint8Array, ops));
  const soup = fc.array(piece, { maxLength: 64 }).map((parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  });
  await fc.assert(
    fc.asyncProperty(fc.oneof({ arbitrary: mutated, weight: 3 }, { arbitrary: soup, weight: 1 }), async (input) => {
      await runOnce(target, input);
    }),
    params(),
  );
}
