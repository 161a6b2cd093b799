/**
 * The CLI, one process per request: `node dist/cli/main.js create … meta`, the way a
 * shell loop over pvsecret would run it. Skipped (with a message) until a CLI with a
 * working `create` is built (`npm run build`); a bare `node -e ''` start is measured
 * beside it as the floor any one-process-per-request loop pays.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { header, hkd1 } from './inputs.js';
import { fmt, QUICK, table } from './lib.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');

export interface CliResult {
  /** ms per CLI run, or undefined when skipped. */
  msPerRequest?: number;
  skipped?: string;
}

export async function benchCli(): Promise<CliResult> {
  console.log('## CLI, one process per request\n');
  const runs = QUICK ? 10 : 40;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) spawnSync(process.execPath, ['-e', '']);
  const nodeStart = (performance.now() - t0) / runs;
  if (!existsSync(CLI)) return skip(`skipped: CLI not built (${CLI} is missing; run npm run build)`, nodeStart);
  const dir = mkdtempSync(join(tmpdir(), 'se-secrets-bench-cli-'));
  try {
    writeFileSync(join(dir, 'hkd.crt'), hkd1);
    writeFileSync(join(dir, 'se.hdr'), header);
    const out = join(dir, 'req.bin');
    const args = [CLI, 'create', '-k', join(dir, 'hkd.crt'), '--hdr', join(dir, 'se.hdr'), '--no-verify', '-o', out, 'meta'];
    const probe = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (probe.status !== 0 || !existsSync(out) || statSync(out).size === 0) {
      const why = (probe.stderr || probe.stdout || '').trim().split('\n')[0] ?? '';
      return skip(`skipped: CLI not built with a working create (exit ${probe.status}: ${why})`, nodeStart);
    }
    const start = performance.now();
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, args);
      if (r.status !== 0) throw new Error(`se-secrets create failed on run ${i}: ${r.stderr}`);
    }
    const ms = (performance.now() - start) / runs;
    table(
      ['what', 'ms per request'],
      [
        ['se-secrets create (node dist/cli/main.js), one process per request', fmt(ms)],
        ["node -e '' (process start alone)", fmt(nodeStart)],
      ],
    );
    return { msPerRequest: ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function skip(message: string, nodeStart: number): CliResult {
  console.log(message);
  console.log(`(for reference: node -e '' starts in ${fmt(nodeStart)} ms here)\n`);
  return { skipped: message };
}
