/**
 * The manual page se-secrets(1), in roff (man macros), generated from the one command
 * tree (spec.ts) — every command's usage, description and options, as its `--help`
 * shows them — plus a little prose: exit status, environment, files, see also. The
 * build writes it to dist/man/se-secrets.1 (package.json `man`).
 *
 * @module
 */
import type { CommandSpec, OptionSpec } from './args.js';
import { visibleOptions } from './help.js';
import { PROGRAM } from './log.js';
import { ROOT } from './spec.js';

/** Text for roff: backslashes escaped, hyphens as `\-`, a leading `.` or `'` made literal. */
function roff(text: string): string {
  return text.replaceAll('\\', '\\e').replaceAll('-', '\\-').replace(/^[.']/, '\\&$&');
}

const bold = (s: string) => `\\fB${roff(s)}\\fR`;
const italic = (s: string) => `\\fI${roff(s)}\\fR`;

/** Paragraphs of a description; lines starting with a blank are kept as they are (tables). */
function paragraphs(text: string): string[] {
  const out: string[] = [];
  for (const block of text.split('\n\n')) {
    const lines = block.split('\n');
    const plain = lines.filter((l) => !/^\s/.test(l));
    const kept = lines.filter((l) => /^\s/.test(l));
    if (plain.length) out.push('.PP', ...plain.map(roff));
    if (kept.length) out.push('.PP', '.nf', ...kept.map((l) => roff(l)), '.fi');
  }
  return out;
}

function optionHead(o: OptionSpec): string {
  const value = o.value ? ` ${italic(o.value)}` : '';
  return [...(o.short ? [`${bold(`-${o.short}`)}, `] : []), bold(`--${o.long}`), value].join('');
}

function command(path: readonly CommandSpec[]): string[] {
  const spec = path[path.length - 1] as CommandSpec;
  const words = path.slice(1).map((c) => c.name).join(' ');
  const out = [`.SS "${roff(`${PROGRAM} ${words}`)}"`];
  if (spec.aliases?.length) out.push('.PP', `Alias: ${spec.aliases.map(bold).join(', ')}.`);
  out.push('.PP', '.nf', ...(spec.usage ?? `${PROGRAM} ${words} [OPTIONS]`).split('\n').map((l) => roff(l.trimStart())), '.fi');
  out.push(...paragraphs(spec.description ?? spec.summary));
  const pos = spec.positionals ?? [];
  for (const p of pos) out.push('.TP', italic(p.name), roff(p.help));
  for (const o of visibleOptions(path)) {
    out.push('.TP', optionHead(o), roff(o.help));
    if (o.choices) out.push('.br', `Possible values: ${o.choices.map(bold).join(', ')}.`);
  }
  return out;
}

function commands(path: readonly CommandSpec[], out: string[]): void {
  for (const s of (path[path.length - 1] as CommandSpec).subcommands ?? []) {
    if (s.hidden) continue;
    out.push(...command([...path, s]));
    commands([...path, s], out);
  }
}

/** se-secrets(1) in roff, for version `version` of the package. */
export function manPage(version: string, root: CommandSpec = ROOT): string {
  const top = (root.subcommands ?? []).filter((s) => !s.hidden);
  const out = [
    `.\\" se-secrets(1), generated from the command tree of se-secrets ${version} (src/cli/man-page.ts); do not edit.`,
    `.TH SE\\-SECRETS 1 "" "se-secrets ${roff(version)}" "User Commands"`,
    '.SH NAME',
    `${PROGRAM} \\- ${roff(root.summary.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase()))}`,
    '.SH SYNOPSIS',
    ...top.flatMap((s) => ['.PP', '.nf', ...(s.usage ?? `${PROGRAM} ${s.name} [OPTIONS]`).split('\n').map((l) => roff(l.trimStart())), '.fi']),
    '.SH DESCRIPTION',
    ...paragraphs(root.description ?? root.summary),
    '.PP',
    'Commands:',
    ...top.flatMap((s) => ['.TP', bold(s.name), roff(s.summary)]),
    '.PP',
    `Global options: ${visibleOptions([root]).map((o) => bold(`--${o.long}`)).join(', ')}; ${bold('-v')}, ${bold('-q')} and ${bold('-h')} go anywhere on the command line.`,
    '.SH COMMANDS',
  ];
  commands([root], out);
  out.push(
    '.SH "EXIT STATUS"',
    '.PP',
    roff('0 on success, 1 on every failure, usage errors included (as pvsecret). --help, help and --version exit 0; a command given no argument prints its help on stderr and exits 1.'),
    '.PP',
    roff('Exceptions: diff exits 0 when only random-by-design fields differ, 1 for a real difference, 2 for every failure (as diff(1)); attest verify exits 2 when the measurement does not match, attest check 2 when a policy fails (as pvattest).'),
    '.SH ENVIRONMENT',
    '.TP',
    bold('SSL_CERT_FILE'),
    roff("A CA bundle added to Node's bundled roots as the system's trusted roots, used when no root CA is given (--root-ca, rootCa)."),
    '.TP',
    bold('SE_SECRETS_PROT_VIRT_GUEST_PATH'),
    roff('Replaces the path of the SE-guest indicator, for tests only.'),
    '.SH FILES',
    '.TP',
    bold('/sys/firmware/uv/prot_virt_guest'),
    roff('On an IBM Secure Execution guest its first byte is 1: create then refuses to run unless --force.'),
    '.SH "SEE ALSO"',
    '.PP',
    `${bold('pvsecret')}(1), ${bold('pvattest')}(1), ${bold('genprotimg')}(1).`,
    roff('The package documentation: docs/cli.md, docs/plan.md, docs/attestation.md, docs/errors.md.'),
  );
  return `${out.join('\n')}\n`;
}
