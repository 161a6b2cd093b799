/**
 * The built package: export map, entry points, and the promise that the portable core
 * never reaches a `node:` module (a browser page loads it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
const built = existsSync(join(dist, 'index.js'));

/** Every file a module reaches through relative static and dynamic imports. */
function closure(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const src = readFileSync(entry, 'utf8');
  for (const m of src.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
    const spec = m[1]!;
    if (spec.startsWith('.')) closure(resolve(dirname(entry), spec), seen);
  }
  return seen;
}

function bareImports(files: Set<string>): string[] {
  const out = new Set<string>();
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(/(?:from|import)\s*\(?\s*["']([^"'.][^"']*)["']/g)) out.add(m[1]!);
  }
  return [...out].sort();
}

describe.skipIf(!built)(`built package${built ? '' : ' — SKIPPED: run npm run build first (npm test does)'}`, () => {
  it('portable entry points import no node: module', () => {
    for (const entry of ['index.js', 'header.js', 'certs.js', 'request.js']) {
      const imports = bareImports(closure(join(dist, entry)));
      expect(imports.filter((s) => s.startsWith('node:') || ['fs', 'crypto', 'path', 'http', 'https', 'os'].includes(s)), entry).toEqual([]);
    }
  });

  it('the package root resolves to the Node entry under the node condition', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.exports['.'].node.default).toBe('./dist/node.js');
    expect(pkg.exports['.'].default.default).toBe('./dist/index.js');
    for (const sub of ['./header', './certs', './request']) expect(pkg.exports[sub]).toBeDefined();
    const self = await import('se-secrets');
    expect(typeof self.readSeHeader).toBe('function');
    expect(typeof self.createAddSecretRequest).toBe('function');
    const header = await import('se-secrets/header');
    expect(typeof header.parseSeHeader).toBe('function');
  });

  it('ships type declarations for every entry', () => {
    for (const d of ['index.d.ts', 'node.d.ts', 'header.d.ts', 'certs.d.ts', 'request.d.ts']) expect(existsSync(join(dist, d)), d).toBe(true);
  });
});
