/**
 * Smoke tests of the shipped binary (dist/cli/main.js) as a subprocess: the entry
 * point, exit codes, stdout/stderr and stdin as a shell sees them. Everything else
 * runs in-process through `main(argv, streams)` (see helpers.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { cliProcess, createArgs, listDir, openRequest, tempDir } from './helpers.js';

describe.concurrent('the built binary', () => {
  it('prints its version and help; no arguments is a usage error (exit 1)', async ({ expect }) => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const v = await cliProcess(['--version']);
    expect(v.code).toBe(0);
    expect(v.out).toBe(`se-secrets version ${pkg.version}\n`);
    const none = await cliProcess([]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^Usage: se-secrets/m);
  });

  it('create writes a request that opens; a usage error exits 1 with one error line', async ({ expect }) => {
    const d = tempDir();
    const r = await cliProcess(createArgs(join(d, 'req.bin'), 'meta'));
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^Successfully generated the request$/m);
    expect(openRequest(readFileSync(join(d, 'req.bin'))).secretType).toBe(0x01);
    const bad = await cliProcess(createArgs(join(d, 'x'), '--no-such-option', 'meta'));
    expect(bad.code).toBe(1);
    expect(bad.out).toBe('');
    expect(bad.err.split('\n').filter((l) => l.startsWith('se-secrets: error: '))).toHaveLength(1);
    expect(listDir(d)).toEqual(['req.bin']);
  });

  it('verify reads the request from stdin (-) and writes the user data to stdout', async ({ expect }) => {
    const d = tempDir();
    expect((await cliProcess(createArgs(join(d, 'req'), '-q', 'meta'))).code).toBe(0);
    const r = await cliProcess(['verify', '-'], { input: readFileSync(join(d, 'req')) });
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(0);
  });
});
