/**
 * `se-secrets create --batch FILE [--strict-host-match]`: builds every request a batch
 * file lists (see src/node/batch-file.ts for the format), verifying each certificate
 * chain once, then writes them all — or, on any error, nothing.
 * `src/cli/main.ts` routes `create` here when `--batch` is given (spec.ts: its
 * `standalone` rule keeps the other options of create out).
 *
 * @module
 */
import { dirname, resolve } from 'node:path';
import { nodeBackend } from '../../crypto/node.js';
import { readBatchFile } from '../../node/batch-file.js';
import { ensureDirectory, MODE_SECRET, type OutputFile, writeFilesAtomic } from '../../node/output.js';
import { createAddSecretRequests } from '../../request/batch.js';
import { progressBar } from '../progress.js';
import { getFlag, getString, type ParsedCommand } from '../args.js';
import type { Logger } from '../log.js';

/** Runs `se-secrets create --batch FILE`. */
export async function runCreateBatch(path: readonly ParsedCommand[], log: Logger): Promise<void> {
  const c = path[1] as ParsedCommand;
  let plan: Awaited<ReturnType<typeof readBatchFile>> | undefined;
  try {
    plan = await readBatchFile(resolve(getString(c, 'batch') as string), { strictHostMatch: getFlag(c, 'strictHostMatch') });
    const bar = progressBar(log.streams.tty, { label: 'requests' });
    let result: Awaited<ReturnType<typeof createAddSecretRequests>>;
    try {
      result = await createAddSecretRequests(plan.items, { backend: nodeBackend, onProgress: (d, t) => bar.update(d, t) });
    } finally {
      bar.finish();
    }
    for (const w of result.warnings) log.warn(w);
    const files: OutputFile[] = [];
    plan.outputs.forEach((o, i) => {
      files.push({ path: o.request, bytes: result.requests[i] as Uint8Array, label: 'add-secret request' });
      if (o.secret && o.secretValue) files.push({ path: o.secret, bytes: o.secretValue, mode: MODE_SECRET, label: 'association secret' });
    });
    for (const d of new Set(files.map((f) => dirname(f.path)))) await ensureDirectory(d);
    await writeFilesAtomic(files, { exitOnSignal: true });
    log.success(`Successfully generated ${result.requests.length} request(s)`);
    for (const f of files) log.info(`Wrote '${f.path}'`);
  } finally {
    for (const o of plan?.outputs ?? []) o.secretValue?.fill(0);
  }
}
