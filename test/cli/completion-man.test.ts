/**
 * The shell completions (bash, zsh, fish) and the man page se-secrets(1): both generated
 * from the command tree, so each must name every command and every option; the shipped
 * copies in dist/ (written by `npm run build`) are what the generators print; the shells
 * and groff that are installed accept them, and bash and fish really complete with them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { completionNodes, completionScript, SHIPPED_COMPLETIONS as SHIPPED } from '../../src/cli/completion-scripts.js';
import { manPage } from '../../src/cli/man-page.js';
import { cli, ROOT } from './helpers.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; man: string; files: string[] };
const has = (program: string) => spawnSync(program, ['--version']).error === undefined;
const nodes = completionNodes();
/** Every command path with the option spellings and subcommand names its help shows. */
const expected = nodes.map((n) => ({
  key: n.key,
  /** False for a path reached by an alias (`create retr`): the man page has it under its name. */
  canonical: n.word === (n.key ? n.spec.name : ''),
  options: n.options.flatMap((o) => [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])]),
  subcommands: n.subcommands.map((s) => s.name),
}));

function shipped(rel: string): string {
  const p = join(ROOT, rel);
  if (!existsSync(p)) throw new Error(`${rel} is missing: run \`npm run build\` first (npm test does it)`);
  return readFileSync(p, 'utf8');
}

describe.concurrent('shell completion', () => {
  it('the tree has what the scripts must cover (every visible command, with aliases)', ({ expect }) => {
    const keys = nodes.map((n) => n.key);
    for (const k of ['', 'create', 'create association', 'create retr', 'create cck', 'verify', 'inspect', 'plan', 'diff', 'completion', 'attest create', 'attest check']) {
      expect(keys).toContain(k);
    }
    expect(keys).not.toContain('add'); // guest-only commands are hidden
  });

  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    it(`completion ${shell} prints the script the package ships (${SHIPPED[shell]})`, async ({ expect }) => {
      const r = await cli(['completion', shell]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toBe(completionScript(shell));
      expect(shipped(SHIPPED[shell])).toBe(r.out);
    });

    it.skipIf(!has(shell))(`${shell} -n accepts the ${shell} script`, ({ expect }) => {
      const syntax = spawnSync(shell, ['-n', join(ROOT, SHIPPED[shell])]);
      expect(syntax.status, syntax.stderr.toString()).toBe(0);
    });
  }

  it('the zsh script names every command path, subcommand and option of each', ({ expect }) => {
    const text = completionScript('zsh');
    for (const e of expected) {
      const start = text.indexOf(`    "${e.key}")\n`);
      expect(start, e.key).toBeGreaterThan(0);
      const block = text.slice(start, text.indexOf(';;\n', text.indexOf('files=', start)));
      for (const o of e.options) expect(block, `${e.key}: ${o}`).toContain(`'${o}:`);
      for (const s of e.subcommands) expect(block, `${e.key}: ${s}`).toContain(`'${s}:`);
    }
  });

  it.skipIf(!has('bash'))('bash completes every command path to its subcommands and options, and option values', ({ expect }) => {
    const script = join(ROOT, SHIPPED.bash);
    const complete = (words: string[]) => {
      const r = spawnSync('bash', ['-c', `source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _se_secrets; printf '%s\\n' "\${COMPREPLY[@]}"`, script, 'se-secrets', ...words], { cwd: join(ROOT, 'samples') });
      expect(r.status, r.stderr.toString()).toBe(0);
      return r.stdout.toString().split('\n').filter(Boolean);
    };
    for (const e of expected) {
      const path = e.key ? e.key.split(' ') : [];
      expect(complete([...path, '-']).sort(), e.key).toEqual([...new Set(e.options)].sort());
      if (e.subcommands.length) expect(complete([...path, '']), e.key).toEqual(expect.arrayContaining(e.subcommands));
    }
    expect(complete(['create', 'retr', '--type', ''])).toEqual(['plain', 'aes', 'aes-xts', 'hmac-sha', 'ec']);
    expect(complete(['create', '-k', 'HKD-sample-1.c'])).toEqual(['HKD-sample-1.crt']);
    expect(complete(['create', '--verify-time', ''])).toEqual([]);
    expect(complete(['inspect', 'sample.h'])).toEqual(['sample.hdr']);
  });

  it.skipIf(!has('fish'))('fish completes every command path to its subcommands and options, and option values', ({ expect }) => {
    const script = join(ROOT, SHIPPED.fish);
    const complete = (line: string) => {
      const r = spawnSync('fish', ['-c', 'source $argv[1]; complete -C $argv[2]', script, line], { cwd: join(ROOT, 'samples') });
      expect(r.status, r.stderr.toString()).toBe(0);
      return r.stdout.toString().split('\n').filter(Boolean).map((l) => l.split('\t')[0]);
    };
    for (const e of expected) {
      const prefix = e.key ? `se-secrets ${e.key} ` : 'se-secrets ';
      expect(complete(`${prefix}-`).sort(), e.key).toEqual([...new Set(e.options)].sort());
      if (e.subcommands.length) expect(complete(prefix), e.key).toEqual(expect.arrayContaining(e.subcommands));
    }
    expect(complete('se-secrets create retr --type ').sort()).toEqual(['aes', 'aes-xts', 'ec', 'hmac-sha', 'plain']);
    expect(complete('se-secrets create -k HKD-sample-1.c')).toEqual(['HKD-sample-1.crt']);
    expect(complete('se-secrets inspect sample.h')).toEqual(['sample.hdr']);
  });

  it.skipIf(!has('zsh'))('zsh loads the script and registers it for se-secrets', ({ expect }) => {
    const r = spawnSync('zsh', ['-fc', 'autoload -U compinit && compinit -u -D && source "$1" && print -r -- "$_comps[se-secrets]"', 'zsh', join(ROOT, SHIPPED.zsh)]);
    expect(r.stderr.toString()).toBe('');
    expect(r.stdout.toString()).toBe('_se_secrets\n');
  });

  it('completion with another shell is a usage error naming the supported ones', async ({ expect }) => {
    const bad = await cli(['completion', 'tcsh']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("unsupported shell 'tcsh' (supported: bash, zsh, fish)");
  });
});

describe.concurrent('man page se-secrets(1)', () => {
  it('package.json points at the shipped page, which is what the generator makes now', ({ expect }) => {
    expect(pkg.man).toBe('./dist/man/se-secrets.1');
    expect(pkg.files).toContain('dist');
    expect(shipped(pkg.man)).toBe(manPage(pkg.version));
  });

  const text = manPage(pkg.version);
  it('names every command path (its own section) and every option of each, in roff', ({ expect }) => {
    for (const e of expected.filter((x) => x.key && x.canonical)) {
      const start = text.indexOf(`.SS "se\\-secrets ${e.key.replaceAll('-', '\\-')}"\n`);
      expect(start, e.key).toBeGreaterThan(0);
      const end = text.indexOf('\n.SS ', start + 1);
      const section = text.slice(start, end < 0 ? undefined : end);
      for (const o of e.options) expect(section, `${e.key}: ${o}`).toContain(`\\fB${o.replaceAll('-', '\\-')}\\fR`);
    }
  });

  it.skipIf(!has('groff'))('groff renders it without a warning, and the rendered page lists every command and option', ({ expect }) => {
    const page = join(ROOT, pkg.man);
    const lint = spawnSync('groff', ['-man', '-Tascii', '-ww', '-z', page]);
    expect(lint.status).toBe(0);
    expect(lint.stderr.toString()).toBe('');
    const r = spawnSync('groff', ['-man', '-Tascii', '-P-cbou', '-rLL=200n', page]);
    const out = r.stdout.toString();
    expect(out).toMatch(/^NAME\n\s+se-secrets - build, inspect and verify/m);
    for (const e of expected) {
      if (e.key && e.canonical) expect(out).toMatch(new RegExp(`^ {3}se-secrets ${e.key}$`, 'm'));
      for (const o of e.options) expect(out).toContain(o);
    }
    for (const h of ['SYNOPSIS', 'DESCRIPTION', 'COMMANDS', 'EXIT STATUS', 'ENVIRONMENT', 'SEE ALSO']) expect(out).toMatch(new RegExp(`^${h}$`, 'm'));
  });
});
