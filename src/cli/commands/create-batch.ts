/**
 * `se-secrets create --batch FILE [--strict-host-match]`: builds every request a batch
 * file lists (see src/node/batch-file.ts for the format), verifying each certificate
 * chain once, then writes them all — or, on any error, nothing.
 * `src/cli/main.ts` routes `create` here when its arguments contain `--batch`.
 *
 * @module
 */
import { dirname } from 'node:path';
import { nodeBackend } from '../../crypto/node.js';
import { readBatchFile } from '../../node/batch-file.js';
import { ensureDirectory, MODE_SECRET, type OutputFile, writeFilesAtomic } from '../../node/output.js';
import { createAddSecretRequests } from '../../request/batch.js';
import { progressBar } from '../progress.js';
import { type CliIo, parseOptions, reportError, resolvePath, UsageError, warnAll } from './common.js';

export const USAGE = 'se-secrets create [OPTIONS] --batch <FILE>';

export const HELP = `Create many add-secret requests from a batch file

FILE (YAML or JSON) lists the requests to build, for one or more guests: each with
its output file, SE header or image, host-key documents and their verification
options (or noVerify: true), the secret (meta, or association with an optional
inputSecret/outputSecret file), flags, cuid and extension secret or CCK; a
'defaults' mapping applies to all. Paths are relative to FILE. Each certificate
chain is verified once for the whole batch. Nothing is written unless every
request was built. A progress bar appears on a terminal when it takes a while.

Usage: ${USAGE}

Options:
      --batch <FILE>         The batch file
      --strict-host-match    Refuse host keys an SE header was not built for
                             (default: warn)
  -v, --verbose              List the files written; show error causes
  -q, --quiet                No warnings or success message
  -h, --help                 Print help
`;

/** Runs `se-secrets create --batch`. Returns the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let verbose = false;
  let plan: Awaited<ReturnType<typeof readBatchFile>> | undefined;
  try {
    const { values, positionals } = parseOptions(args, {
      batch: { type: 'string' },
      'strict-host-match': { type: 'boolean' },
    });
    verbose = values.verbose === true;
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (a batch file lists everything)`);
    if (!values.batch) throw new UsageError('the following required arguments were not provided: --batch <FILE>');

    plan = await readBatchFile(resolvePath(io, values.batch), { strictHostMatch: values['strict-host-match'] === true });
    const bar = progressBar(io.stderr, { label: 'requests' });
    let result: Awaited<ReturnType<typeof createAddSecretRequests>>;
    try {
      result = await createAddSecretRequests(plan.items, { backend: nodeBackend, onProgress: (d, t) => bar.update(d, t) });
    } finally {
      bar.finish();
    }
    warnAll(io, result.warnings, values.quiet);
    const files: OutputFile[] = [];
    const outputs = plan.outputs;
    outputs.forEach((o, i) => {
      files.push({ path: o.request, bytes: result.requests[i] as Uint8Array, label: 'add-secret request' });
      if (o.secret && o.secretValue) files.push({ path: o.secret, bytes: o.secretValue, mode: MODE_SECRET, label: 'association secret' });
    });
    for (const d of new Set(files.map((f) => dirname(f.path)))) await ensureDirectory(d);
    await writeFilesAtomic(files, { exitOnSignal: true });
    if (!values.quiet) {
      io.stderr.write(`Successfully generated ${result.requests.length} request(s)\n`);
      if (verbose) for (const f of files) io.stderr.write(`Wrote '${f.path}'\n`);
    }
    return 0;
  } catch (e) {
    return reportError(io, e, { verbose, usage: USAGE });
  } finally {
    for (const o of plan?.outputs ?? []) o.secretValue?.fill(0);
  }
}
