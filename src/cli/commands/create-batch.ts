/**
 * `se-secrets create --batch FILE [--strict-host-match]`: builds every request a batch
 * file lists (see src/node/batch-file.ts for the format), verifying each certificate
 * chain once, then writes them all — or, on any error, nothing.
 * `src/cli/main.ts` routes `create` here when `--batch` is given (spec.ts: its
 * `standalone` rule keeps the other options of create out).
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { nodeBackend } from '../../crypto/node.js';
import { readBatchFile } from '../../node/batch-file.js';
import { buildInThreads } from '../../node/batch-threads.js';
import { ensureDirectory, MODE_SECRET, type OutputFile, writeFilesAtomic } from '../../node/output.js';
import { getFlag, getString, type ParsedCommand } from '../args.js';
import { prepareAddSecretRequests } from '../../request/batch.js';
import { FileError, secretInfoYaml } from '../lib.js';
import { refuseOnGuest } from '../guest.js';
import type { Logger } from '../log.js';
import { progressBar } from '../progress.js';
import { parseVerifyTime, reportingOptions } from '../verification.js';
import { secretInfoPath } from '../yaml-path.js';

/**
 * The warnings of a batch with each repeated one said once: `batch entry 1 (a.bin): X`
 * and `batch entry 2 (b.bin): X` become `batch entries 1, 2: X`.
 */
export function onceEach(warnings: readonly string[]): string[] {
  const byText = new Map<string, { entries: string[]; first: string }>();
  for (const w of warnings) {
    const m = /^batch entry (\d+) \([^)]*\): (.*)$/s.exec(w);
    const text = m ? (m[2] as string) : w;
    const seen = byText.get(text);
    if (seen) seen.entries.push(m ? (m[1] as string) : '');
    else byText.set(text, { entries: [m ? (m[1] as string) : ''], first: w });
  }
  return [...byText].map(([text, { entries, first }]) => (entries.length > 1 ? `batch entries ${entries.join(', ')}: ${text}` : first));
}

/** Runs `se-secrets create --batch FILE`. */
export async function runCreateBatch(path: readonly ParsedCommand[], log: Logger): Promise<void> {
  const c = path[1] as ParsedCommand;
  let plan: Awaited<ReturnType<typeof readBatchFile>> | undefined;
  try {
    const time = getString(c, 'verifyTime');
    const reporting = reportingOptions(log, time === undefined ? undefined : parseVerifyTime(time, ['create']));
    await refuseOnGuest(getFlag(c, 'force'), log, 'add-secret requests');
    plan = await readBatchFile(resolve(getString(c, 'batch') as string), { strictHostMatch: getFlag(c, 'strictHostMatch') });
    // Without rootCa the Node entry's verifier uses the system's trusted roots.
    const items = plan.items.map((it) => (it.verify === false ? it : { ...it, verify: { ...it.verify, ...reporting } }));
    // Host keys are verified once, here (each chain once); then every core builds (src/node/batch-threads.ts).
    const { verifyHostKeyDocuments } = await import('../../node.js');
    const { prepared, warnings } = await prepareAddSecretRequests(verifyHostKeyDocuments, items);
    const bar = progressBar(log.streams.tty, { label: 'requests' });
    let requests: Uint8Array[];
    try {
      // The built CLI's workers run its own bundle (dist/cli/batch-worker.js); run from source, one thread builds.
      const workerFile = new URL('./batch-worker.js', import.meta.url);
      const threads = existsSync(workerFile) ? availableParallelism() : 1;
      requests = await buildInThreads(prepared, { threads, workerFile, backend: nodeBackend, onProgress: (d, t) => bar.update(d, t) });
    } finally {
      bar.finish();
    }
    for (const w of onceEach([...plan.warnings, ...warnings])) log.warn(w);
    const files: OutputFile[] = [];
    const yamls = new Map<string, string>();
    plan.outputs.forEach((o, i) => {
      files.push({ path: o.request, bytes: requests[i] as Uint8Array, label: 'add-secret request' });
      if (o.secret && o.secretValue) files.push({ path: o.secret, bytes: o.secretValue, mode: MODE_SECRET, label: 'association secret' });
      // NAME.yaml beside the request, as `create association` writes it.
      const secret = items[i]?.secret;
      if (secret?.type === 'association') {
        const text = secretInfoYaml({ type: 'association', name: secret.name, value: new Uint8Array(0), ...(secret.useName ? { useName: true } : {}) });
        const where = secretInfoPath(secret.name, o.request);
        if (yamls.get(where) === undefined) files.push({ path: where, bytes: new TextEncoder().encode(text), label: 'secret information' });
        else if (yamls.get(where) !== text) throw new FileError('ERR_OUTPUT_CLASH', `batch: two entries write different secret information to '${where}'`);
        yamls.set(where, text);
      }
    });
    for (const d of new Set(files.map((f) => dirname(f.path)))) await ensureDirectory(d);
    await writeFilesAtomic(files, { exitOnSignal: true });
    log.success(`Successfully generated ${requests.length} request(s)`);
    for (const f of files) log.info(`Wrote '${f.path}'`);
  } finally {
    for (const o of plan?.outputs ?? []) o.secretValue?.fill(0);
  }
}
