/**
 * Docs are tested: every `$ se-secrets …` command shown in a ```console block of the
 * README or docs/*.md runs here (in-process, `main(argv, streams)`) on the bundled
 * samples, in the order shown, in one working directory per document, and prints what
 * the block shows. The README's `sh` blocks' `se-secrets` lines run too (exit 0).
 *
 * Set-up files come from the docs themselves: a fenced block whose first line is a
 * comment naming a file (`# plan.yaml — …`) is written to that file. In shown output,
 * a line `…` stands for any number of lines and `…` inside a line for any text; trailing
 * blanks are ignored. Lines starting with `# ` are commands run as root elsewhere: the
 * plan's scripts (`# ./guest-setup.sh …`, `# ./host-setup.sh …`) run by bash in the plan's
 * output folder (`-o` of the last `se-secrets plan` shown) copied to a stand-in SE guest
 * or KVM host (test/helpers/stand-ins.ts: the s390 tools stubbed first on PATH, a
 * sysfs-like SYSFS_ROOT with the planned queues), stdout and stderr as one stream, the
 * stand-in's folder shown as `/root`; other root commands must be listed in
 * ROOT_COMMANDS (not run). `ls -l` output is checked file by file (mode and size; owner
 * and dates depend on the machine); other programs must be listed in SHELL_COMMANDS (not run).
 * The commands run with umask 022, as the shown modes assume (the test sets it, so a
 * stricter umask of whoever runs the suite changes nothing).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from './helpers/cli.js';
import { type QueueMode, standInGuest, standInHost } from './helpers/stand-ins.js';

const ROOT = join(import.meta.dirname, '..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
/** Programs other than se-secrets that docs show in console blocks; shown, not run. */
const SHELL_COMMANDS = new Set(['cat', 'sha256sum', 'cd', 'mkdir']);
/**
 * Commands docs show run as root on a real guest or host that change the system itself
 * (install into /etc, systemd, libvirt): shown, not run.
 */
const ROOT_COMMANDS = new Set(['cp', 'systemctl', 'virsh']);
/** The plan's scripts the docs show run, and the machine each runs on. */
const PLAN_SCRIPTS: Record<string, 'guest' | 'host'> = { './guest-setup.sh': 'guest', './host-setup.sh': 'host' };

interface Block {
  lang: string;
  lines: string[];
}

function blocks(text: string): Block[] {
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].map((m) => ({ lang: m[1] ?? '', lines: (m[2] ?? '').replace(/\n$/, '').split('\n') }));
}

interface Step {
  command: string;
  /** `# ` (run as root on the guest or host), not `$ ` (the workstation). */
  root: boolean;
  output: string[];
}

/** The `$ ` and `# ` commands of a console block, each with the lines shown after it. */
function steps(b: Block): Step[] {
  const out: Step[] = [];
  let current: Step | undefined;
  for (const line of b.lines) {
    if (line.startsWith('$ ') || line.startsWith('# ')) {
      current = { command: line.slice(2), root: line.startsWith('# '), output: [] };
      out.push(current);
    } else current?.output.push(line);
  }
  return out;
}

/** Splits a command line into words (plain words and '…'/"…" quotes; no expansions). */
function words(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern for shown output: `…` lines match any lines, `…` in a line any text. */
function outputPattern(shown: string[]): RegExp {
  const lines = [...shown];
  while (lines.length && lines[lines.length - 1]?.trim() === '') lines.pop();
  const parts = lines.map((l) => (l.trim() === '…' ? '(?:[^\\n]*\\n)*?' : `${l.trimEnd().split('…').map(escapeRegExp).join('[^\\n]*')}[ \\t]*\\n`));
  return new RegExp(`^${parts.join('')}$`);
}

const work = mkdtempSync(join(tmpdir(), 'se-secrets-docs-'));
// The shown `ls -l` modes are those of umask 022 (this file runs in its own process).
const umaskBefore = process.umask(0o022);
afterAll(() => {
  process.umask(umaskBefore);
  rmSync(work, { recursive: true, force: true });
});

/**
 * Runs a plan's script as the docs show it (`./guest-setup.sh --pvapconfig`) in a stand-in
 * guest or host that holds a copy of the plan's output folder `planned`; stdout and
 * stderr as one stream, the stand-in's folder as /root.
 */
function runPlanScript(planned: string, script: string, args: string[]) {
  let machine: { dir: string; out: string; env: NodeJS.ProcessEnv };
  if (PLAN_SCRIPTS[script] === 'guest') {
    // The planned queues, unbound, on sample host 1.
    const manifest = JSON.parse(readFileSync(join(planned, 'manifest.json'), 'utf8')) as { queues: { apqn: string; mode: QueueMode; mkvp?: string }[] };
    const mkvp = manifest.queues.find((q) => q.mkvp)?.mkvp;
    machine = standInGuest({ queues: manifest.queues.map((q) => [q.apqn, q.mode] as const), hostKey: 1, ...(mkvp ? { mkvp } : {}) });
  } else machine = standInHost();
  cpSync(planned, machine.out, { recursive: true });
  const r = spawnSync('bash', ['-c', 'exec bash "$0" "$@" 2>&1', script, ...args], { cwd: machine.out, env: machine.env, encoding: 'utf8' });
  rmSync(machine.dir, { recursive: true, force: true });
  return { code: r.status, printed: r.stdout.replaceAll(`${machine.dir}/`, '/root/') };
}

/** The files `npm pack` puts in the package (paths relative to the package root). */
function packedFiles(): Set<string> {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack --dry-run failed: ${r.stderr}`);
  return new Set((JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path));
}

describe('the docs the package ships', () => {
  it('run their examples on sample files the package ships, or say which are in the repository only', () => {
    const packed = packedFiles();
    for (const doc of DOCS) {
      expect(packed.has(doc), `${doc} is shipped`).toBe(true);
      const text = readFileSync(join(ROOT, doc), 'utf8');
      const used = blocks(text)
        .filter((b) => b.lang === 'console')
        .flatMap(steps)
        .filter((s) => !s.root)
        .flatMap((s) => words(s.command).slice(1))
        .map((w) => w.replace(/^samples\//, ''))
        .filter((w) => /^[\w.-]+$/.test(w) && existsSync(join(ROOT, 'samples', w)));
      for (const file of new Set(used)) {
        if (packed.has(`samples/${file}`)) continue;
        expect(text, `${doc} uses samples/${file}, which the package does not ship: say so ("not in the npm package")`).toMatch(
          new RegExp(`\`${escapeRegExp(file)}\`[^]{0,200}not in\\s+the npm package`),
        );
      }
    }
  });
});

for (const doc of DOCS) {
  const all = blocks(readFileSync(join(ROOT, doc), 'utf8'));
  const shown = all.filter((b) => b.lang === 'console').flatMap(steps);
  const readmeLines =
    doc === 'README.md'
      ? all
          .filter((b) => b.lang === 'sh')
          .flatMap((b) =>
            b.lines
              .join('\n')
              .replace(/\\\n\s*/g, '')
              .split('\n'),
          )
      : [];
  const runnable = readmeLines.filter((l) => /^se-secrets\s+\S/.test(l)).map((l) => l.replace(/\s+#.*$/, ''));
  if (!shown.length && !runnable.length) continue;

  describe(`${doc}: the commands it shows`, () => {
    const dir = mkdtempSync(join(work, 'doc-'));
    cpSync(join(ROOT, 'samples'), doc === 'README.md' ? join(dir, 'samples') : dir, { recursive: true });
    for (const b of all) {
      const file = /^# (\S+\.(?:ya?ml|json|sh|txt))\b/.exec(b.lines[0] ?? '')?.[1];
      if (file && !file.includes('/')) writeFileSync(join(dir, file), `${b.lines.join('\n')}\n`);
    }

    let planned: string | undefined;
    for (const step of shown) {
      const [program, ...args] = words(step.command);
      if (step.root) {
        if (!(program && program in PLAN_SCRIPTS)) {
          it(`# ${step.command} — shown only (run as root on a real machine)`, () => expect(ROOT_COMMANDS.has(program ?? '')).toBe(true));
          continue;
        }
        const from = planned;
        it(`# ${step.command} — in a stand-in ${PLAN_SCRIPTS[program]}`, () => {
          expect(from, 'a `se-secrets plan … -o DIR` shown before it').toBeDefined();
          const r = runPlanScript(join(dir, from as string), program, args);
          expect(outputPattern(step.output).test(r.printed), `exit ${r.code}; printed:\n${r.printed}\nshown:\n${step.output.join('\n')}`).toBe(true);
        });
        continue;
      }
      if (program === 'se-secrets' && args[0] === 'plan' && args.includes('-o')) planned = args[args.indexOf('-o') + 1];
      if (program === 'ls' && args[0] === '-l') {
        it(`$ ${step.command} — modes and sizes as shown`, () => {
          let folder = args.length === 2 ? (args[1] ?? '.') : '.';
          const rows: string[] = [];
          for (const line of step.output) {
            const heading = /^(\S+):$/.exec(line);
            if (heading) folder = heading[1] ?? '.';
            const m = /^([-d][-rwx]{9})\s+\d+\s+\S+\s+\S+\s+(\d+)\s+(\S+)$/.exec(line);
            if (!m) continue;
            const st = statSync(join(dir, folder, m[3] ?? ''));
            const mode = [...'rwxrwxrwx'].map((c, i) => (st.mode & (0o400 >> i) ? c : '-')).join('');
            rows.push(`${folder}/${m[3]} ${st.isDirectory() ? 'd' : '-'}${mode} ${st.size}`);
            expect(rows.at(-1)).toBe(`${folder}/${m[3]} ${m[1]} ${m[2]}`);
          }
          expect(rows.length, 'ls -l shows files').toBeGreaterThan(0);
        });
        continue;
      }
      if (program !== 'se-secrets') {
        it(`${step.command} — shown only (${program} is not run)`, () => expect(SHELL_COMMANDS.has(program ?? '')).toBe(true));
        continue;
      }
      it(`$ ${step.command}`, async () => {
        const r = await runMain(args, { cwd: dir });
        const pattern = outputPattern(step.output);
        const printed = [r.stderr + r.stdout, r.stdout + r.stderr];
        expect(
          printed.some((p) => pattern.test(p)),
          `exit ${r.code}; printed:\n${r.stderr}${r.stdout}\nshown:\n${step.output.join('\n')}`,
        ).toBe(true);
      });
    }

    for (const line of runnable) {
      it(`${line.slice(0, 100)} — runs`, async () => {
        // Paths under /tmp/ are kept inside this test's directory.
        const r = await runMain(words(line.replaceAll('/tmp/', `${dir}/`)).slice(1), { cwd: dir });
        expect(r.code, r.stderr).toBe(0);
      });
    }
  });
}
