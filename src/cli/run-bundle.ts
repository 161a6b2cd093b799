/**
 * Runs the CLI bundle (dist/cli/cli.cjs) through a V8 code cache kept beside it, for
 * the executable (./bin.ts, dist/cli/main.js) and for the worker threads of `create
 * --batch` (./batch-worker-entry.ts, dist/cli/batch-worker.js). A run then
 * deserialises the bytecode of the functions it needs instead of parsing and compiling
 * them again: that was about a fifth of a `create` process (docs/performance.md, "CLI
 * start"). Node 22 has the same built in (`module.enableCompileCache`); this does it on
 * Node 20 as well, for the code of the CLI only.
 *
 * - One cache file per command (`cli.cjs.create.cache`, …; `create --batch` has its own,
 *   `cli.cjs.create-batch.cache`): V8 caches the functions a run compiled, so a cache
 *   made by `--help` would hold little that `create` needs, and one made by `create
 *   --batch` (YAML, threads) a third more than it needs, which every `create` would then
 *   read and deserialise (measured: about 5 ms of each run).
 * - A cache is written only by a run that succeeded (exit code 0): a failed run stopped
 *   early, before compiling most of what its command needs. Batch workers only read the
 *   batch's cache (their code is a part of what its main thread ran).
 * - A cache is used only for the exact bytes it was made from: it starts with the
 *   SHA-256 of cli.cjs (V8 itself checks only the source's length, its own version and
 *   its flags), and V8's rejection is honoured. Otherwise the run compiles as usual and
 *   writes a fresh cache when it ends (to a temporary file, then renamed).
 * - The cache lives beside the code it was compiled from, so whoever can write it could
 *   change that code anyway. Where dist/cli is read-only (a system-wide install) nothing
 *   is written and every run compiles. `NODE_DISABLE_COMPILE_CACHE=1` (Node's own
 *   switch) turns it off. Any failure of the cache is silent: the CLI runs regardless.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';

const HASH_SIZE = 32;

/**
 * Runs dist/cli/cli.cjs (beside the built entry that calls this; entries are CommonJS,
 * so `__dirname` is dist/cli) with the code cache of `variant`, written at exit when
 * `write` and the run succeeded; returns the bundle's exports.
 */
export function runBundle(variant: string, write: boolean): Record<string, unknown> {
  const dir = __dirname;
  const file = join(dir, 'cli.cjs');
  const source = readFileSync(file, 'utf8');
  const cacheFile = `${file}.${variant}.cache`;
  const useCache = process.env.NODE_DISABLE_COMPILE_CACHE === undefined;

  let hash: Buffer | undefined;
  let cached: Buffer | undefined;
  if (useCache) {
    hash = createHash('sha256').update(source).digest();
    try {
      const c = readFileSync(cacheFile);
      if (c.length > HASH_SIZE && c.subarray(0, HASH_SIZE).equals(hash)) cached = c.subarray(HASH_SIZE);
    } catch {
      // no cache yet
    }
  }

  // The same wrapper as Node's own CommonJS loader.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cached ? { cachedData: cached } : {}),
  });
  if (write && useCache && (cached === undefined || script.cachedDataRejected)) {
    process.once('exit', (code) => {
      if (code !== 0) return;
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, Buffer.concat([hash as Buffer, script.createCachedData()]));
        renameSync(tmp, cacheFile);
      } catch {
        rmSync(tmp, { force: true });
      }
    });
  }
  const module = { exports: {} as Record<string, unknown> };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dir);
  return module.exports;
}
