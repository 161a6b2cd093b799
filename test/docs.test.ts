/** The documentation stays in step with the code: every error code is documented, and only real ones. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');
const codesIn = (text: string) => new Set([...text.matchAll(/'(ERR_[A-Z0-9_]+)'/g)].map((m) => m[1] as string));

describe('docs/errors.md', () => {
  const documented = new Set([...read('docs/errors.md').matchAll(/^\| `(ERR_[A-Z0-9_]+)`/gm)].map((m) => m[1] as string));
  const declared = new Set([...codesIn(read('src/errors.ts')), ...codesIn(read('src/cli/errors.ts'))]);

  it('documents every declared error code', () => {
    expect([...declared].filter((c) => !documented.has(c)).sort()).toEqual([]);
  });

  it('every code written anywhere in src/ is a declared one (so documented)', () => {
    const files = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    // the page's label for an error that is not the library's (never thrown), and a prefix test
    const notCodes = new Set(['ERR_UNEXPECTED', 'ERR_ATTESTATION']);
    const used = new Set(files('src').flatMap((f) => [...codesIn(read(f))]));
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((c) => !declared.has(c) && !notCodes.has(c)).sort()).toEqual([]);
  });

  it('documents no code that does not exist', () => {
    expect([...documented].filter((c) => !declared.has(c)).sort()).toEqual([]);
  });
});
