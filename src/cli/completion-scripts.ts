/**
 * Shell completion scripts for bash, zsh and fish, generated from the one command tree
 * (spec.ts): every command path, its options (with the global ones, as its help shows
 * them), the values of options with choices, file names for the other option values
 * and for arguments. Printed by `se-secrets completion SHELL` and written to
 * dist/completions/ by the build.
 *
 * @module
 */
import type { CommandSpec, OptionSpec } from './args.js';
import { visibleOptions } from './help.js';
import { PROGRAM } from './log.js';
import { ROOT } from './spec.js';

/** The shells `se-secrets completion` writes a script for. */
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** Where the package ships each script (written by scripts/build-cli-files.ts). */
export const SHIPPED_COMPLETIONS: Readonly<Record<CompletionShell, string>> = {
  bash: 'dist/completions/se-secrets.bash',
  zsh: 'dist/completions/_se-secrets',
  fish: 'dist/completions/se-secrets.fish',
};

/** One command path of the tree (aliases give paths of their own): `create retr`. */
interface Node {
  /** The words after the program name, joined by blanks ('' for the program itself). */
  readonly key: string;
  /** The word that leads here from the parent path. */
  readonly word: string;
  readonly parent: string;
  readonly spec: CommandSpec;
  readonly options: readonly OptionSpec[];
  readonly subcommands: readonly CommandSpec[];
  /** True when the command takes arguments (file names are offered). */
  readonly takesFiles: boolean;
}

function walk(path: readonly CommandSpec[], key: string, word: string, parent: string, out: Node[]): void {
  const spec = path[path.length - 1] as CommandSpec;
  const subcommands = (spec.subcommands ?? []).filter((s) => !s.hidden);
  out.push({ key, word, parent, spec, options: visibleOptions(path), subcommands, takesFiles: (spec.positionals ?? []).length > 0 });
  for (const s of subcommands) {
    for (const name of [s.name, ...(s.aliases ?? [])]) walk([...path, s], key ? `${key} ${name}` : name, name, key, out);
  }
}

/** Every command path of the tree, the program itself first. */
export function completionNodes(root: CommandSpec = ROOT): Node[] {
  const out: Node[] = [];
  walk([root], '', '', '', out);
  return out;
}

/** The spellings of an option: `--long` and `-s`. */
const names = (o: OptionSpec): string[] => [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])];

/** What an option's value is completed with: its choices, a file, a directory, or nothing (free text). */
type ValueKind = 'choices' | 'file' | 'dir' | 'text';
const DIR_VALUES = new Set(['DIR', 'DIR2']);
const TEXT_VALUES = new Set(['TIME', 'HEXSTRING', 'PCF']);

function valueKind(o: OptionSpec): ValueKind | undefined {
  if (!o.value) return undefined;
  if (o.choices) return 'choices';
  return DIR_VALUES.has(o.value) ? 'dir' : TEXT_VALUES.has(o.value) ? 'text' : 'file';
}

/** `prev`-word cases of one command: the options of each value kind, with what completes them. */
function valueCases(options: readonly OptionSpec[], complete: (kind: ValueKind, o: readonly OptionSpec[]) => string): string[] {
  const out: string[] = [];
  for (const o of options) if (valueKind(o) === 'choices') out.push(`        ${names(o).join('|')}) ${complete('choices', [o])}; return ;;`);
  for (const kind of ['file', 'dir', 'text'] as const) {
    const these = options.filter((o) => valueKind(o) === kind);
    if (these.length) out.push(`        ${these.flatMap(names).join('|')}) ${complete(kind, these)}; return ;;`);
  }
  return out;
}

/** The first sentence of a help text, for a one-line description. */
function brief(text: string): string {
  const first = text.split('\n')[0]?.split(/(?<=[.:;])\s/)[0] ?? '';
  return first.replace(/[.:;]$/, '');
}

/** A word in single quotes for bash and zsh. */
const shq = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
/** A word in single quotes for fish (only \\ and \' are escapes there). */
const fishq = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/**
 * bash and zsh alike: walk the words before the cursor to the command path (`cmd`),
 * then run that command's branch, which starts with the completion of an option value
 * (`$prev` is the option) and then sets what the shell offers.
 */
function dispatch(nodes: readonly Node[], loop: string, word: string, completeValue: (kind: ValueKind, o: readonly OptionSpec[]) => string, branch: (n: Node) => string[]): string {
  const transitions = nodes.filter((n) => n.key).map((n) => `      "${n.parent}|${n.word}") cmd="${n.key}" ;;`);
  const cases = nodes.map((n) => {
    const values = valueCases(n.options, completeValue);
    return [`    "${n.key}")`, ...(values.length ? ['      case "$prev" in', ...values, '      esac'] : []), ...branch(n)].join('\n');
  });
  return `  for (${loop}); do
    case "$cmd|${word}" in
${transitions.join('\n')}
    esac
  done
  case "$cmd" in
${cases.join('\n')}
  esac`;
}

function bash(nodes: readonly Node[]): string {
  const body = dispatch(
    nodes,
    '(i = 1; i < COMP_CWORD; i++)',
    `\${COMP_WORDS[i]}`,
    (kind, o) =>
      kind === 'choices' ? `COMPREPLY=($(compgen -W "${o[0]?.choices?.join(' ')}" -- "$cur"))` : kind === 'text' ? 'COMPREPLY=()' : `COMPREPLY=($(compgen -${kind === 'dir' ? 'd' : 'f'} -- "$cur"))`,
    (n) => [`      w="${[...n.subcommands.map((s) => s.name), ...n.options.flatMap(names)].join(' ')}" files=${n.takesFiles ? 1 : 0} ;;`],
  );
  return `# bash completion for ${PROGRAM}, generated from its command tree
# (eval "$(${PROGRAM} completion bash)", or save it as /etc/bash_completion.d/${PROGRAM})
_se_secrets() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="" w="" files=0 i
${body}
  COMPREPLY=($(compgen -W "$w" -- "$cur"))
  if [[ $cur != -* && $files == 1 ]]; then COMPREPLY+=($(compgen -f -- "$cur")); fi
  return 0
}
complete -F _se_secrets ${PROGRAM}
`;
}

function zsh(nodes: readonly Node[]): string {
  const body = dispatch(
    nodes,
    '(i = 2; i < CURRENT; i++)',
    `\${words[i]}`,
    (kind, o) => (kind === 'choices' ? `compadd -- ${o[0]?.choices?.join(' ')}` : kind === 'text' ? `_message ${shq(o[0]?.value ?? '')}` : kind === 'dir' ? '_files -/' : '_files'),
    (n) => [
      `      subs=(${n.subcommands.map((s) => shq(`${s.name}:${brief(s.summary)}`)).join(' ')})`,
      `      opts=(${n.options.flatMap((o) => names(o).map((x) => shq(`${x}:${brief(o.help)}`))).join(' ')})`,
      `      files=${n.takesFiles ? 1 : 0} ;;`,
    ],
  );
  return `#compdef ${PROGRAM}
# zsh completion for ${PROGRAM}, generated from its command tree
# (save it as _${PROGRAM} in a directory of $fpath, or: source <(${PROGRAM} completion zsh))
_se_secrets() {
  local cmd="" prev="\${words[CURRENT-1]}" files=0 i
  local -a subs opts
${body}
  if [[ \${words[CURRENT]} == -* ]]; then
    _describe -t options option opts
  else
    (( \${#subs} )) && _describe -t commands command subs
    (( files )) && _files
  fi
  return 0
}
if [[ "\${funcstack[1]}" == _se_secrets || "\${funcstack[1]}" == _${PROGRAM} ]]; then
  _se_secrets "$@"
else
  compdef _se_secrets ${PROGRAM}
fi
`;
}

function fish(nodes: readonly Node[]): string {
  const transitions = nodes.filter((n) => n.key).flatMap((n) => [`            case ${fishq(`${n.parent}|${n.word}`)}`, `                set cmd ${fishq(n.key)}`]);
  const lines: string[] = [];
  for (const n of nodes) {
    const at = `-n ${fishq(`__se_secrets_at ${fishq(n.key)}`)}`;
    if (!n.takesFiles) lines.push(`complete -c ${PROGRAM} ${at} -f`);
    for (const s of n.subcommands) lines.push(`complete -c ${PROGRAM} ${at} -a ${s.name} -d ${fishq(brief(s.summary))}`);
    for (const o of n.options) {
      const kind = valueKind(o);
      const value = { choices: ` -x -a ${fishq(o.choices?.join(' ') ?? '')}`, file: ' -r -F', dir: ` -x -a ${fishq('(__fish_complete_directories)')}`, text: ' -x', none: '' }[kind ?? 'none'];
      lines.push(`complete -c ${PROGRAM} ${at}${o.short ? ` -s ${o.short}` : ''} -l ${o.long}${value} -d ${fishq(brief(o.help))}`);
    }
  }
  return `# fish completion for ${PROGRAM}, generated from its command tree
# (save it as ~/.config/fish/completions/${PROGRAM}.fish, or: ${PROGRAM} completion fish | source)
function __se_secrets_at
    set -l cmd ''
    for w in (commandline -opc)[2..-1]
        switch "$cmd|$w"
${transitions.join('\n')}
        end
    end
    test "$cmd" = "$argv[1]"
end
${lines.join('\n')}
`;
}

/** The completion script for `shell`. */
export function completionScript(shell: CompletionShell, root: CommandSpec = ROOT): string {
  const nodes = completionNodes(root);
  return shell === 'bash' ? bash(nodes) : shell === 'zsh' ? zsh(nodes) : fish(nodes);
}
