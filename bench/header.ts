/**
 * Header lookup in a 4 GiB sparse SE image (created in the temp directory and deleted
 * afterwards): time, bytes read, reads, and memory growth over many lookups beside the
 * same lookups in a 1 MiB image (constant memory means the two match).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ReadStats, readSeHeader } from '../src/node.js';
import { writeSparseSeImage } from '../test/fixtures/se-image.js';
import { header } from './inputs.js';
import { type Check, fmt, measure, QUICK, table } from './lib.js';

function sparseImage(path: string, size: number): void {
  writeSparseSeImage(path, header, { size });
}

async function memoryGrowth(path: string, lookups: number): Promise<number> {
  globalThis.gc?.();
  const before = process.memoryUsage();
  for (let i = 0; i < lookups; i++) await readSeHeader(path);
  globalThis.gc?.();
  const after = process.memoryUsage();
  return after.rss - before.rss;
}

export async function benchHeader(): Promise<Check[]> {
  const dir = mkdtempSync(join(tmpdir(), 'se-secrets-bench-hdr-'));
  try {
    const big = join(dir, 'big.img');
    const small = join(dir, 'small.img');
    sparseImage(big, 4 * 1024 ** 3);
    sparseImage(small, 1024 * 1024);
    const stats: ReadStats = { bytesRead: 0, reads: 0 };
    await readSeHeader(big, { stats });
    const t = await measure(() => readSeHeader(big), { minRoundMs: QUICK ? 100 : 300 });
    const lookups = QUICK ? 200 : 1000;
    const growBig = await memoryGrowth(big, lookups);
    const growSmall = await memoryGrowth(small, lookups);
    const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
    console.log('## SE header lookup in a 4 GiB sparse image\n');
    table(
      ['what', 'value'],
      [
        ['time per lookup (open, read, decode, close)', `${fmt(t.ms)} ms`],
        ['bytes read per lookup', `${stats.bytesRead} B`],
        ['reads per lookup', String(stats.reads)],
        ['largest single read (largest buffer)', `${stats.largestRead} B`],
        [`RSS growth over ${lookups} lookups, 4 GiB image`, mib(growBig)],
        [`RSS growth over ${lookups} lookups, 1 MiB image`, mib(growSmall)],
      ],
    );
    return [{ name: 'header lookup in a 4 GiB image: bytes read', value: `${stats.bytesRead} B`, target: '< 1 MiB', met: stats.bytesRead < 1024 * 1024 }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
