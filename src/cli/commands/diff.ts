/**
 * `se-secrets diff A B`: compares two add-secret requests field by field, separating
 * fields that are random by design from real differences.
 *
 * Exit codes follow diff(1): 0 when only random-by-design fields differ, 1 when a real
 * difference was found, 2 on errors (unreadable or malformed input, usage: the
 * spec's `errorExitCode`).
 *
 * @module
 */

import { readFileBytes } from '../../node/files.js';
import { type AddSecretRequestDiff, diffAddSecretRequests, type FieldDiff } from '../../request/diff.js';
import { getString, type ParsedCommand } from '../args.js';
import { Level, type Logger } from '../log.js';

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

/** Runs `se-secrets diff`; resolves to 0 (equivalent) or 1 (a real difference). */
export async function runDiff(path: readonly ParsedCommand[], log: Logger): Promise<number> {
  const c = path[1] as ParsedCommand;
  const d = diffAddSecretRequests(await readFileBytes(getString(c, 'a') as string), await readFileBytes(getString(c, 'b') as string));
  if (log.level >= Level.Warn) await log.streams.out(formatDiff(d, log.verbose));
  return d.equivalent ? 0 : 1;
}
