/**
 * `se-secrets completion bash`: a bash completion script generated from the command
 * tree (`eval "$(se-secrets completion bash)"` or save it under
 * /etc/bash_completion.d/).
 *
 * @module
 */
import type { CommandSpec, ParsedCommand } from '../args.js';
import { getString } from '../args.js';
import { UsageError } from '../errors.js';
import type { Logger } from '../log.js';
import { ROOT } from '../spec.js';

interface Node {
  readonly key: string;
  readonly spec: CommandSpec;
}

function walk(spec: CommandSpec, key: string, out: Node[]): void {
  out.push({ key, spec });
  for (const s of spec.subcommands ?? []) {
    if (s.hidden) continue;
    for (const name of [s.name, ...(s.aliases ?? [])]) walk(s, key ? `${key} ${name}` : name, out);
  }
}

function words(spec: CommandSpec, globals: readonly string[]): string {
  const subs = (spec.subcommands ?? []).filter((s) => !s.hidden).map((s) => s.name);
  const opts = spec.options.filter((o) => !o.hidden).flatMap((o) => [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])]);
  return [...new Set([...subs, ...opts, ...globals])].join(' ');
}

export function bashCompletion(root: CommandSpec = ROOT): string {
  const nodes: Node[] = [];
  walk(root, '', nodes);
  const globals = ['--help', '-h', '--verbose', '-v', '--quiet', '-q'];
  const transitions = nodes
    .filter((n) => n.key)
    .map((n) => {
      const cut = n.key.lastIndexOf(' ');
      return `      "${cut < 0 ? '' : n.key.slice(0, cut)}|${n.key.slice(cut + 1)}") cmd="${n.key}" ;;`;
    });
  const choices = new Map<string, string>();
  const valued = new Set<string>();
  for (const n of nodes) {
    for (const o of n.spec.options) {
      if (!o.value) continue;
      const names = [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])].join('|');
      if (o.choices) choices.set(names, o.choices.join(' '));
      else valued.add(names);
    }
  }
  const cases = nodes.map((n) => `      "${n.key}") w="${words(n.spec, globals)}" ;;`);
  return `# bash completion for se-secrets
_se_secrets() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" w="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "$cmd|\${COMP_WORDS[i]}" in
${transitions.join('\n')}
    esac
  done
  case "$prev" in
${[...choices].map(([k, v]) => `    ${k}) COMPREPLY=($(compgen -W "${v}" -- "$cur")); return ;;`).join('\n')}
    ${[...valued].join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  case "$cmd" in
${cases.join('\n')}
  esac
  COMPREPLY=($(compgen -W "$w" -- "$cur"))
  [[ $cur != -* ]] && COMPREPLY+=($(compgen -f -- "$cur"))
  return 0
}
complete -F _se_secrets se-secrets
`;
}

export async function runCompletion(path: readonly ParsedCommand[], log: Logger): Promise<void> {
  const shell = getString(path[1] as ParsedCommand, 'shell');
  if (shell !== 'bash') throw new UsageError(`unsupported shell '${shell}' (supported: bash)`, ['completion']);
  await log.streams.out(bashCompletion());
}
