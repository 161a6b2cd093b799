/**
 * `se-secrets diff A B`: compares two add-secret requests field by field, separating
 * fields that are random by design from real differences.
 *
 * Exit codes follow diff(1): 0 when only random-by-design fields differ, 1 when a real
 * difference was found, 2 on errors (unreadable or malformed input, usage).
 *
 * @module
 */

import { readFileBytes } from '../../node/files.js';
import { type AddSecretRequestDiff, diffAddSecretRequests, type FieldDiff } from '../../request/diff.js';
import { type CliIo, parseOptions, reportError, resolvePath, UsageError } from './common.js';

export const USAGE = 'se-secrets diff [OPTIONS] <A> <B>';

export const HELP = `Compare two add-secret requests field by field

Every request has its own random customer key, protection key and IV, so two
requests built from the same inputs (by se-secrets and by pvsecret create, say)
differ in the customer public key, each key slot's wrapped key and tag, the IV,
the ciphertext and the request tag. diff reports those as random by design and
everything else (sizes, flags, SE-header binding, CUID, user data, host-key
hashes, secret type, length and id) as a real difference.

Exit status: 0 if only random-by-design fields differ, 1 if there are real
differences, 2 on errors.

Usage: ${USAGE}

Arguments:
  <A>  First request
  <B>  Second request

Options:
  -v, --verbose  List equal fields too; show error causes
  -q, --quiet    Print nothing; only the exit status tells
  -h, --help     Print help
`;

const MAX_SHOWN = 64;

function short(v: string): string {
  return v.length > MAX_SHOWN ? `${v.slice(0, MAX_SHOWN)}… (${v.length / 2} bytes)` : v;
}

/** The printed report (stdout). */
export function formatDiff(d: AddSecretRequestDiff, all: boolean): string {
  const width = Math.max(...d.fields.map((f) => f.field.length));
  const line = (tag: string, f: FieldDiff, rest: string) => `${tag.padEnd(7)} ${f.field.padEnd(width)}  ${rest}\n`;
  let out = '';
  for (const f of d.fields) {
    if (!f.equal && !f.random) out += `${line('DIFF', f, `a: ${short(f.a)}`)}${' '.repeat(8 + width)}  b: ${short(f.b)}\n`;
    else if (!f.equal) out += line('random', f, 'differs (random by design)');
    else if (all) out += line('same', f, short(f.a));
  }
  const randoms = d.randomDifferences.length;
  if (d.equivalent) {
    out += `\nequivalent: only fields that are random by design differ (${randoms} of ${d.fields.length} fields)\n`;
  } else {
    out += `\nDIFFERENT: ${d.differences.length} field(s) differ that are not random by design: ${d.differences.map((f) => f.field).join(', ')}\n`;
  }
  return out;
}

/** Runs `se-secrets diff`. Returns the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let verbose = false;
  try {
    const { values, positionals } = parseOptions(args, {});
    verbose = values.verbose === true;
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (positionals.length !== 2) throw new UsageError(`expected two request files (got ${positionals.length})`);
    const [a, b] = positionals as [string, string];
    const d = diffAddSecretRequests(await readFileBytes(resolvePath(io, a)), await readFileBytes(resolvePath(io, b)));
    if (!values.quiet) io.stdout.write(formatDiff(d, verbose));
    return d.equivalent ? 0 : 1;
  } catch (e) {
    return reportError(io, e, { verbose, usage: USAGE, code: 2 });
  }
}
