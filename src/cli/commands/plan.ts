/**
 * `se-secrets plan PLAN -o DIR [--output-secrets DIR2]`: plans the AP association of an
 * SE guest (see docs/plan.md).
 *
 * @module
 */
import { join } from 'node:path';
import { planAssociationsFromFile, writePlanFiles } from '../../node/plan.js';
import { type CliIo, parseOptions, reportError, resolvePath, UsageError, warnAll } from './common.js';

export const USAGE = 'se-secrets plan [OPTIONS] --output <DIR> <PLAN>';

export const HELP = `Plan the AP association of an IBM Secure Execution guest

Reads PLAN (YAML or JSON: the guest, its SE header or image, host-key documents with
their verification options, and up to 12 AP queues in EP11 or Accel mode) and writes
to DIR: one association request per EP11 queue (each with its own fresh random
secret), pvapconfig.yaml, guest-setup.sh and manifest.json. Copy DIR into the guest
and run guest-setup.sh there. Bad plans are refused before anything is written.

Usage: ${USAGE}

Arguments:
  <PLAN>  The plan file; paths in it are relative to it

Options:
  -o, --output <DIR>           Directory for the requests, pvapconfig.yaml,
                               guest-setup.sh and manifest.json (created if missing)
      --output-secrets <DIR2>  Also write each association secret's value (32 bytes,
                               mode 0600) to DIR2, which must differ from DIR.
                               Without it the values exist only inside the requests
  -v, --verbose                List the files written; show error causes
  -q, --quiet                  No warnings or success message
  -h, --help                   Print help
`;

/** Runs `se-secrets plan`. Returns the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let verbose = false;
  try {
    const { values, positionals } = parseOptions(args, {
      output: { type: 'string', short: 'o' },
      'output-secrets': { type: 'string' },
    });
    verbose = values.verbose === true;
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'the plan file is required' : `unexpected argument '${positionals[1]}'`);
    if (!values.output) throw new UsageError('the following required arguments were not provided: --output <DIR>');
    const dir = resolvePath(io, values.output);
    const secretsDir = values['output-secrets'] === undefined ? undefined : resolvePath(io, values['output-secrets']);
    if (secretsDir === dir)
      throw new UsageError('--output-secrets must name another directory than --output (DIR is copied to the guest; keep secret values apart)');

    const result = await planAssociationsFromFile(resolvePath(io, positionals[0] as string), { outputSecrets: secretsDir !== undefined });
    warnAll(io, result.warnings, values.quiet);
    const shown = result.files.map((f) => join((f.secret ? values['output-secrets'] : values.output) as string, f.path));
    try {
      await writePlanFiles(result, { dir, ...(secretsDir === undefined ? {} : { secretsDir }) }, { exitOnSignal: true });
    } finally {
      for (const f of result.files) if (f.secret) f.bytes.fill(0);
    }
    if (!values.quiet) {
      const ep11 = result.manifest.queues.filter((q) => q.mode === 'EP11').length;
      io.stderr.write(
        `Successfully planned ${result.manifest.queues.length} AP queue(s) for guest ${result.manifest.guest}: ${ep11} association request(s) in '${values.output}'\n`,
      );
      if (verbose) for (const f of shown) io.stderr.write(`Wrote '${f}'\n`);
    }
    return 0;
  } catch (e) {
    return reportError(io, e, { verbose, usage: USAGE });
  }
}
