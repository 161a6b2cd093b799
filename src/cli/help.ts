/**
 * Help text, rendered from the command tree.
 *
 * @module
 */
import type { CommandSpec, OptionSpec } from './args.js';

const WIDTH = 100;

/** Words wrapped to `width` columns; lines that start with a blank are kept as they are. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    if (para === '' || /^\s/.test(para)) {
      out.push(para);
      continue;
    }
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(line);
  }
  return out;
}

function optionHead(o: OptionSpec): string {
  const short = o.short ? `-${o.short}, ` : '    ';
  return `${short}--${o.long}${o.value ? ` <${o.value}>` : ''}`;
}

function table(rows: [string, string][]): string[] {
  const col = Math.min(34, Math.max(...rows.map(([h]) => h.length)) + 2);
  const indent = ' '.repeat(col + 2);
  const out: string[] = [];
  for (const [head, text] of rows) {
    const lines = wrap(text, WIDTH - col - 2);
    if (head.length + 2 > col) out.push(`  ${head}`, ...lines.map((l) => indent + l));
    else out.push(`  ${head.padEnd(col)}${lines[0] ?? ''}`, ...lines.slice(1).map((l) => indent + l));
  }
  return out;
}

/** The options shown for a command: its own plus the global ones of its ancestors. */
export function visibleOptions(path: readonly CommandSpec[]): OptionSpec[] {
  const spec = path[path.length - 1] as CommandSpec;
  const out = spec.options.filter((o) => !o.hidden);
  for (const anc of path.slice(0, -1).reverse()) {
    for (const o of anc.options) if (o.global && !out.some((x) => x.key === o.key)) out.push(o);
  }
  const helpIdx = out.findIndex((o) => o.key === 'help');
  if (helpIdx >= 0) out.push(...out.splice(helpIdx, 1));
  return out;
}

/** The help text of the command at the end of `path`. */
export function renderHelp(path: readonly CommandSpec[]): string {
  const spec = path[path.length - 1] as CommandSpec;
  const lines: string[] = [...wrap(spec.description ?? spec.summary, WIDTH), ''];
  const usage = spec.usage ?? `se-secrets ${path.slice(1).map((c) => c.name).join(' ')} [OPTIONS]`;
  lines.push(`Usage: ${usage}`, '');
  const subs = (spec.subcommands ?? []).filter((s) => !s.hidden);
  if (subs.length) {
    lines.push('Commands:');
    lines.push(
      ...table([
        ...subs.map((s): [string, string] => [s.name, `${s.summary}${s.aliases?.length ? ` [alias: ${s.aliases.join(', ')}]` : ''}`]),
        ['help', 'Print the help of the given subcommand.'],
      ]),
      '',
    );
  }
  const pos = spec.positionals ?? [];
  if (pos.length) {
    lines.push('Arguments:');
    lines.push(...table(pos.map((p): [string, string] => [`<${p.name}>`, p.help])), '');
  }
  lines.push('Options:');
  lines.push(...table(visibleOptions(path).map((o): [string, string] => {
    const extra = o.choices ? `\n[possible values: ${o.choices.join(', ')}]` : '';
    return [optionHead(o), o.help + extra];
  })));
  return `${lines.join('\n')}\n`;
}
