/**
 * A small command-line parser with the behaviour pvsecret users know from clap:
 *
 * - `--opt value`, `--opt=value`, `-o value`, `-ovalue`, `-o=value`, clustered flags
 *   (`-fv`), counted flags (`-vv`), `--` ends the options;
 * - list options may be repeated and take comma-separated values (`-k a,b -k c`);
 * - an option of a command must come after that command's word and before the next
 *   subcommand word; global options (`-v`, `-q`, `-h`) may come anywhere;
 * - a value that starts with `-` must be attached (`--opt=-x`); a lone `-` is a value;
 * - a single-value option or a flag given twice, unknown arguments, missing values,
 *   conflicts, missing required arguments: all are {@link UsageError}s.
 *
 * @module
 */
import { UsageError } from './errors.js';

export type OptionKind = 'flag' | 'count' | 'single' | 'list';

export interface OptionSpec {
  /** Key in the parsed values. */
  readonly key: string;
  readonly long: string;
  readonly short?: string;
  /** Hidden long aliases (pvsecret's `--crt`). */
  readonly aliases?: readonly string[];
  /** Hidden short aliases. */
  readonly shortAliases?: readonly string[];
  readonly kind: OptionKind;
  /** Name of the value in help and messages (`FILE`). */
  readonly value?: string;
  readonly choices?: readonly string[];
  /** Recognised at every level below the command that declares it. */
  readonly global?: boolean;
  readonly hidden?: boolean;
  readonly help: string;
}

export interface PositionalSpec {
  readonly key: string;
  readonly name: string;
  readonly required?: boolean;
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly hidden?: boolean;
  readonly summary: string;
  readonly description?: string;
  readonly usage?: string;
  readonly options: readonly OptionSpec[];
  readonly positionals?: readonly PositionalSpec[];
  readonly subcommands?: readonly CommandSpec[];
  /** Pairs of keys that must not both be given. */
  readonly conflicts?: readonly (readonly [string, string])[];
  /** `[a, b]`: giving `a` requires `b`. */
  readonly requires?: readonly (readonly [string, string])[];
  /** Keys that must be given. */
  readonly required?: readonly string[];
  /** Groups of which exactly one key must be given. */
  readonly oneOf?: readonly (readonly string[])[];
  /** Set when the command needs a subcommand. */
  readonly subcommandRequired?: boolean;
  /** Print help (to stderr, exit 1) when the command is given no argument at all. */
  readonly helpWhenEmpty?: boolean;
  /** Stop parsing at this command's word; the rest of the line is ignored. */
  readonly passthrough?: boolean;
  /**
   * Exit code of every failure of this command, usage errors included (default 1):
   * `diff` keeps diff(1)'s 2. A command may also return its own code on success paths.
   */
  readonly errorExitCode?: number;
  /**
   * Options that make the command another mode (`create --batch`): with `key` given,
   * only the options in `allows` (and the global ones) may be, no subcommand follows,
   * and the command's required arguments do not apply.
   */
  readonly standalone?: readonly { readonly key: string; readonly allows: readonly string[]; readonly reason: string }[];
}

export type Value = boolean | number | string | string[];

export interface ParsedCommand {
  readonly spec: CommandSpec;
  /** Name as typed (an alias stays an alias). */
  readonly typed: string;
  readonly values: Map<string, Value>;
  /** Number of arguments given after this command's word. */
  argCount: number;
}

export type ParseResult =
  | { readonly kind: 'run'; readonly path: readonly ParsedCommand[]; readonly globals: Map<string, Value> }
  | { readonly kind: 'help'; readonly path: readonly CommandSpec[]; readonly toStderr: boolean; readonly globals: Map<string, Value> }
  | { readonly kind: 'version'; readonly globals: Map<string, Value> };

/** `--long <VALUE>` or `--long`, as shown in messages. */
export function optionLabel(o: OptionSpec): string {
  return o.value ? `--${o.long} <${o.value}>` : `--${o.long}`;
}

function commandWords(path: readonly ParsedCommand[]): string[] {
  return path.slice(1).map((c) => c.spec.name);
}

function findSub(spec: CommandSpec, word: string): CommandSpec | undefined {
  return spec.subcommands?.find((s) => s.name === word || s.aliases?.includes(word));
}

function labelOf(spec: CommandSpec, key: string): string {
  const o = spec.options.find((x) => x.key === key);
  if (o) return optionLabel(o);
  const p = spec.positionals?.find((x) => x.key === key);
  return p ? `<${p.name}>` : key;
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The closest of `names` to a mistyped `word`, if one is close enough to be meant. */
export function suggest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const n of names) {
    const d = distance(word, n);
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.min(3, Math.floor(best.length / 3))) ? best : undefined;
}

const didYouMean = (s: string | undefined) => (s === undefined ? '' : `: did you mean '${s}'?`);

function visibleSubcommands(spec: CommandSpec): string[] {
  return (spec.subcommands ?? []).filter((s) => !s.hidden).flatMap((s) => [s.name, ...(s.aliases ?? [])]);
}

/** Where else an unknown option is defined, for a helpful message. */
function locate(root: CommandSpec, match: (o: OptionSpec) => boolean, trail: string[] = []): string[] | undefined {
  if (root.options.some(match)) return trail;
  for (const s of root.subcommands ?? []) {
    const r = locate(s, match, [...trail, s.name]);
    if (r) return r;
  }
  return undefined;
}

/** Thrown when `--help` stands where an option's value should be (`create --batch --help`): help wins. */
const HELP_ASKED = Symbol('help');

class Parser {
  private readonly path: ParsedCommand[];
  private readonly globals = new Map<string, Value>();
  private positionalIndex = 0;
  private onlyPositionals = false;

  constructor(
    private readonly root: CommandSpec,
    private readonly argv: readonly string[],
  ) {
    this.path = [{ spec: root, typed: root.name, values: new Map(), argCount: 0 }];
  }

  private get current(): ParsedCommand {
    return this.path[this.path.length - 1] as ParsedCommand;
  }

  private usage(message: string): UsageError {
    return new UsageError(message, commandWords(this.path));
  }

  private findOption(match: (o: OptionSpec) => boolean): { opt: OptionSpec; global: boolean } | undefined {
    const own = this.current.spec.options.find(match);
    if (own) return { opt: own, global: Boolean(own.global) };
    for (let i = this.path.length - 2; i >= 0; i--) {
      const g = (this.path[i] as ParsedCommand).spec.options.find((o) => o.global && match(o));
      if (g) return { opt: g, global: true };
    }
    return undefined;
  }

  private unknown(arg: string, match: (o: OptionSpec) => boolean): UsageError {
    if (arg.startsWith('--')) {
      const longs = this.path.flatMap((c, i) =>
        c.spec.options.filter((o) => !o.hidden && (i === this.path.length - 1 || o.global)).map((o) => `--${o.long}`),
      );
      const near = suggest(arg, longs);
      if (near !== undefined) return this.usage(`unexpected argument '${arg}'${didYouMean(near)}`);
    }
    const where = locate(this.root, match);
    const here = commandWords(this.path);
    if (where && where.join(' ') !== here.join(' ')) {
      const owner = where.length ? `'${where.join(' ')}'` : 'the program';
      const isAncestor = where.length < here.length && where.every((w, i) => here[i] === w);
      const hint = isAncestor
        ? `; it must come before '${here.slice(where.length).join(' ')}'`
        : `; it is not accepted here`;
      return this.usage(`unexpected argument '${arg}': it is an option of ${owner}${hint}`);
    }
    return this.usage(`unexpected argument '${arg}'`);
  }

  private store(opt: OptionSpec, global: boolean, value: string | undefined, shown: string): void {
    const values = global ? this.globals : this.current.values;
    const label = optionLabel(opt);
    switch (opt.kind) {
      case 'flag':
        if (value !== undefined) throw this.usage(`unexpected value '${value}' for '${shown}': it takes no value`);
        if (values.has(opt.key)) throw this.usage(`the argument '${label}' cannot be used multiple times`);
        values.set(opt.key, true);
        return;
      case 'count':
        if (value !== undefined) throw this.usage(`unexpected value '${value}' for '${shown}': it takes no value`);
        values.set(opt.key, ((values.get(opt.key) as number | undefined) ?? 0) + 1);
        return;
      case 'single':
        if (values.has(opt.key)) throw this.usage(`the argument '${label}' cannot be used multiple times`);
        this.checkChoice(opt, value as string);
        values.set(opt.key, value as string);
        return;
      case 'list': {
        const list = (values.get(opt.key) as string[] | undefined) ?? [];
        for (const v of (value as string).split(',')) {
          this.checkChoice(opt, v);
          list.push(v);
        }
        values.set(opt.key, list);
        return;
      }
    }
  }

  private checkChoice(opt: OptionSpec, v: string): void {
    if (opt.choices && !opt.choices.includes(v)) {
      throw this.usage(`invalid value '${v}' for '${optionLabel(opt)}' (possible values: ${opt.choices.join(', ')})`);
    }
  }

  /** The value following an option: attached, or the next argument. */
  private takeValue(opt: OptionSpec, attached: string | undefined, i: number): [string, number] {
    if (attached !== undefined) return [attached, i];
    const next = this.argv[i + 1];
    if (next === '--help' || next === '-h') throw HELP_ASKED;
    if (next === undefined || (next.startsWith('-') && next !== '-')) {
      throw this.usage(`a value is required for '${optionLabel(opt)}' but none was supplied`);
    }
    return [next, i + 1];
  }

  parse(): ParseResult {
    try {
      return this.parseAll();
    } catch (e) {
      if (e === HELP_ASKED) return this.help(false);
      throw e;
    }
  }

  private parseAll(): ParseResult {
    const argv = this.argv;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i] as string;
      this.current.argCount++;
      if (this.onlyPositionals) {
        this.positional(arg, i);
        continue;
      }
      if (arg === '--') {
        this.onlyPositionals = true;
        continue;
      }
      if (arg.startsWith('--')) {
        const eq = arg.indexOf('=');
        const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
        const attached = eq < 0 ? undefined : arg.slice(eq + 1);
        const match = (o: OptionSpec) => o.long === name || Boolean(o.aliases?.includes(name));
        const found = this.findOption(match);
        if (!found) throw this.unknown(`--${name}`, match);
        if (found.opt.key === 'help') return this.help(false);
        if (found.opt.key === 'version') return { kind: 'version', globals: this.globals };
        if (found.opt.kind === 'flag' || found.opt.kind === 'count') {
          this.store(found.opt, found.global, attached, `--${name}`);
        } else {
          const [v, ni] = this.takeValue(found.opt, attached, i);
          i = ni;
          this.store(found.opt, found.global, v, `--${name}`);
        }
        continue;
      }
      if (arg.startsWith('-') && arg.length > 1) {
        for (let j = 1; j < arg.length; j++) {
          const ch = arg[j] as string;
          const match = (o: OptionSpec) => o.short === ch || Boolean(o.shortAliases?.includes(ch));
          const found = this.findOption(match);
          if (!found) throw this.unknown(`-${ch}`, match);
          if (found.opt.key === 'help') return this.help(false);
          if (found.opt.kind === 'flag' || found.opt.kind === 'count') {
            if (ch === 'V') this.globals.set('deprecatedV', true);
            this.store(found.opt, found.global, undefined, `-${ch}`);
            continue;
          }
          let rest: string | undefined = arg.slice(j + 1);
          if (rest.startsWith('=')) rest = rest.slice(1);
          else if (rest === '') rest = undefined;
          const [v, ni] = this.takeValue(found.opt, rest, i);
          i = ni;
          this.store(found.opt, found.global, v, `-${ch}`);
          break;
        }
        continue;
      }
      const r = this.positional(arg, i);
      if (r) return r;
    }
    return { kind: 'run', path: this.path, globals: this.globals };
  }

  private help(toStderr: boolean, path: CommandSpec[] = this.path.map((c) => c.spec)): ParseResult {
    return { kind: 'help', path, toStderr, globals: this.globals };
  }

  private positional(arg: string, i: number): ParseResult | undefined {
    const spec = this.current.spec;
    if (spec.subcommands && !this.onlyPositionals) {
      if (arg === 'help') return this.helpFor(this.argv.slice(i + 1));
      const sub = findSub(spec, arg);
      if (sub) {
        this.path.push({ spec: sub, typed: arg, values: new Map(), argCount: 0 });
        this.positionalIndex = 0;
        if (sub.passthrough) return { kind: 'run', path: this.path, globals: this.globals };
        return undefined;
      }
      throw this.usage(`unrecognized subcommand '${arg}'${didYouMean(suggest(arg, visibleSubcommands(spec)))}`);
    }
    const p = spec.positionals?.[this.positionalIndex];
    if (!p) throw this.usage(`unexpected argument '${arg}'`);
    this.positionalIndex++;
    this.current.values.set(p.key, arg);
    return undefined;
  }

  /** `help [COMMAND...]`: the help of the named command. */
  private helpFor(words: readonly string[]): ParseResult {
    const path = this.path.map((c) => c.spec);
    for (const w of words) {
      if (w.startsWith('-')) continue;
      const sub = findSub(path[path.length - 1] as CommandSpec, w);
      if (!sub) throw this.usage(`unrecognized subcommand '${w}'${didYouMean(suggest(w, visibleSubcommands(path[path.length - 1] as CommandSpec)))}`);
      path.push(sub);
    }
    return this.help(false, path);
  }
}

/** Checks conflicts, requirements and required arguments of each parsed command. */
function validate(path: readonly ParsedCommand[], globals: Map<string, Value>): void {
  for (let level = 0; level < path.length; level++) {
    const c = path[level] as ParsedCommand;
    const words = path.slice(1, level + 1).map((x) => x.spec.name);
    const err = (m: string) => new UsageError(m, words);
    const has = (k: string) => c.values.has(k) || globals.has(k);
    const spec = c.spec;
    const mode = spec.standalone?.find((m) => c.values.has(m.key));
    if (mode) {
      const other = [...c.values.keys()].find((k) => k !== mode.key && !mode.allows.includes(k));
      const own = `'${labelOf(spec, mode.key)}'`;
      if (other !== undefined) throw err(`the argument '${labelOf(spec, other)}' cannot be used with ${own}: ${mode.reason}`);
      const sub = path[level + 1];
      if (sub) throw err(`'${sub.typed}' cannot be used with ${own}: ${mode.reason}`);
      continue;
    }
    for (const [a, b] of spec.conflicts ?? []) {
      if (has(a) && has(b)) throw err(`the argument '${labelOf(spec, a)}' cannot be used with '${labelOf(spec, b)}'`);
    }
    for (const group of spec.oneOf ?? []) {
      const given = group.filter(has);
      if (given.length > 1) {
        throw err(`the argument '${labelOf(spec, given[0] as string)}' cannot be used with '${labelOf(spec, given[1] as string)}'`);
      }
    }
    for (const [a, b] of spec.requires ?? []) {
      if (has(a) && !has(b)) throw err(`the argument '${labelOf(spec, a)}' requires '${labelOf(spec, b)}'`);
    }
    const missing = (spec.required ?? []).filter((k) => !has(k)).map((k) => labelOf(spec, k));
    for (const p of spec.positionals ?? []) if (p.required && !has(p.key)) missing.push(`<${p.name}>`);
    if (missing.length) throw err(`the following required arguments were not provided: ${missing.join(', ')}`);
    for (const group of spec.oneOf ?? []) {
      if (!group.some(has)) throw err(`one of ${group.map((k) => `'${labelOf(spec, k)}'`).join(' or ')} is required`);
    }
    if (spec.subcommandRequired && level === path.length - 1) {
      const names = (spec.subcommands ?? []).filter((s) => !s.hidden).map((s) => s.name);
      throw err(`a subcommand is required: ${names.join(', ')}`);
    }
  }
}

/**
 * Parses `argv` (without the program name) against the command tree.
 *
 * @throws UsageError on any command-line mistake
 */
export function parseArgs(root: CommandSpec, argv: readonly string[]): ParseResult {
  const result = new Parser(root, argv).parse();
  if (result.kind !== 'run') return result;
  if (result.path[result.path.length - 1]?.spec.passthrough) return result;
  if ((result.globals.get('verbose') ?? 0) !== 0 && (result.globals.get('quiet') ?? 0) !== 0) {
    throw new UsageError(`the argument '--quiet' cannot be used with '--verbose'`, commandWords(result.path));
  }
  const last = result.path[result.path.length - 1] as ParsedCommand;
  if (last.spec.helpWhenEmpty && last.argCount === 0) {
    return { kind: 'help', path: result.path.map((c) => c.spec), toStderr: true, globals: result.globals };
  }
  validate(result.path, result.globals);
  return result;
}

/** Typed access to parsed values. */
export function getString(c: ParsedCommand, key: string): string | undefined {
  const v = c.values.get(key);
  return typeof v === 'string' ? v : undefined;
}

export function getList(c: ParsedCommand, key: string): string[] {
  const v = c.values.get(key);
  return Array.isArray(v) ? v : [];
}

export function getFlag(c: ParsedCommand, key: string): boolean {
  return c.values.get(key) === true;
}
