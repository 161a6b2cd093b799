/**
 * The shape of src/, read from its import statements (type-only imports, re-exports and
 * dynamic imports count): folders form layers, imports go only down (or across within a
 * layer), there is no cycle between folders, the page does not import the CLI, and
 * only the Node-only places import `node:` modules.
 *
 * Layers, bottom-up: internal → crypto → header/certs → request → plan → node → cli/web.
 * The package entries (`src/index.ts`, `src/node.ts`, `src/browser.ts`) sit between node
 * and cli/web: the CLI and the page reach the library through them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '..', 'src');

/** Layer of each folder under src/ (files directly in src/ are entries, except errors.ts). */
const LAYERS: Record<string, number> = {
  internal: 0,
  'errors.ts': 0,
  crypto: 1,
  header: 2,
  certs: 2,
  request: 3,
  attest: 3,
  plan: 4,
  node: 5,
  '(entry)': 5.5,
  cli: 6,
  web: 6,
};

/** Files allowed to import `node:` modules besides src/cli/ and src/node/: the Node crypto backend. */
const NODE_IMPORT_FILES = new Set(['crypto/node.ts']);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.ts$/.test(e.name) ? [p] : [];
  });
}

function folderOf(rel: string): string {
  const [first, second] = rel.split('/');
  if (second === undefined) return first === 'errors.ts' ? 'errors.ts' : '(entry)';
  return first as string;
}

interface Import {
  readonly from: string; // path relative to src/
  readonly spec: string;
  readonly to?: string; // resolved, relative to src/ (local imports only)
}

const SPEC = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const from = relative(SRC, file);
  return [...text.matchAll(SPEC)].map((m) => {
    const spec = (m[1] ?? m[2] ?? m[3]) as string;
    if (!spec.startsWith('.')) return { from, spec };
    const to = relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, '.ts');
    return { from, spec, to };
  });
}

const all = files(SRC).flatMap(importsOf);
const local = all.filter((i): i is Import & { to: string } => i.to !== undefined);

describe('src/ layers', () => {
  it('reads the imports of every file (sanity: the reader finds them)', () => {
    expect(local.length).toBeGreaterThan(200);
    expect(local.some((i) => i.from === 'certs/verify.ts' && i.to === 'certs/inputs.ts')).toBe(true);
    for (const i of local) expect(i.to.startsWith('..'), `${i.from} imports outside src/: ${i.spec}`).toBe(false);
  });

  it('every folder has a layer', () => {
    const unknown = [...new Set(files(SRC).map((f) => folderOf(relative(SRC, f))))].filter((f) => LAYERS[f] === undefined);
    expect(unknown).toEqual([]);
  });

  it('imports go only downward (or across one layer), in the order internal → crypto → header/certs → request → plan → node → cli/web', () => {
    const upward = local
      .filter((i) => (LAYERS[folderOf(i.to)] as number) > (LAYERS[folderOf(i.from)] as number))
      .map((i) => `${i.from} → ${i.to}`);
    expect(upward).toEqual([]);
  });

  it('no import cycle between folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of local) {
      const a = folderOf(i.from);
      const b = folderOf(i.to);
      if (a === b) continue;
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a)?.add(b);
    }
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
      if (from === to) return true;
      if (seen.has(from)) return false;
      seen.add(from);
      return [...(edges.get(from) ?? [])].some((n) => reaches(n, to, seen));
    };
    const cycles: string[] = [];
    for (const [a, bs] of edges) for (const b of bs) if (reaches(b, a)) cycles.push(`${a} → ${b} → … → ${a}`);
    expect(cycles).toEqual([]);
  });

  it('web/ imports nothing from cli/: the inspect report the page and the CLI share is the library\'s', () => {
    const found = local.filter((i) => folderOf(i.from) === 'web' && folderOf(i.to) === 'cli').map((i) => `${i.from} → ${i.to}`);
    expect(found).toEqual([]);
    // the page and `se-secrets inspect` both reach the one report through the library entry
    expect(local.some((i) => i.from === 'index.ts' && i.to === 'request/inspect-report.ts')).toBe(true);
  });

  it('node: modules are imported only in src/cli/, src/node/ and the Node crypto backend', () => {
    const bad = all
      .filter((i) => i.spec.startsWith('node:'))
      .filter((i) => !['cli', 'node'].includes(folderOf(i.from)) && !NODE_IMPORT_FILES.has(i.from))
      .map((i) => `${i.from} imports ${i.spec}`);
    expect(bad).toEqual([]);
  });
});
