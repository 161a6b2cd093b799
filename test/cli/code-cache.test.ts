/**
 * The V8 code cache of the executable (src/cli/bin.ts), on a copy of dist/cli in a
 * temporary directory (so the shared build is left alone): one cache per command, with
 * `create --batch` apart from `create`; written only by a run that succeeded; keyed by
 * the SHA-256 of the bundle; none with NODE_DISABLE_COMPILE_CACHE.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createArgs, ROOT, tempDir } from './helpers.js';

function copyOfCli(): string {
  const dir = join(tempDir(), 'cli');
  mkdirSync(dir);
  for (const f of ['cli.cjs', 'main.js', 'package.json']) copyFileSync(join(ROOT, 'dist', 'cli', f), join(dir, f));
  return dir;
}

function run(dir: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [join(dir, 'main.js'), ...args], { encoding: 'utf8', env });
}

const caches = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.cache')).sort();

describe('the code cache of dist/cli/main.js', () => {
  beforeAll(assertBuilt);

  it('one per command, create --batch apart; only a run that succeeded writes one; keyed by the bundle', () => {
    const dir = copyOfCli();
    const out = join(tempDir(), 'req.bin');
    const failed = run(dir, createArgs(out, '--no-such-option', 'meta'));
    expect(failed.status).toBe(1);
    expect(caches(dir)).toEqual([]);
    expect(run(dir, createArgs(out, '-q', 'meta')).status).toBe(0);
    expect(caches(dir)).toEqual(['cli.cjs.create.cache']);
    const cache = readFileSync(join(dir, 'cli.cjs.create.cache'));
    expect(cache.subarray(0, 32)).toEqual(createHash('sha256').update(readFileSync(join(dir, 'cli.cjs'))).digest());
    // a second run uses it, and leaves it as it is
    expect(run(dir, createArgs(out, '-q', 'meta')).status).toBe(0);
    expect(readFileSync(join(dir, 'cli.cjs.create.cache'))).toEqual(cache);
    expect(run(dir, ['create', '--batch', '--help']).status).toBe(0);
    expect(run(dir, ['--help']).status).toBe(0);
    expect(caches(dir)).toEqual(['cli.cjs.create-batch.cache', 'cli.cjs.create.cache', 'cli.cjs.other.cache']);
  });

  it('NODE_DISABLE_COMPILE_CACHE: none is read or written', () => {
    const dir = copyOfCli();
    const r = run(dir, createArgs(join(tempDir(), 'req.bin'), '-q', 'meta'), { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(r.status).toBe(0);
    expect(caches(dir)).toEqual([]);
  });
});
