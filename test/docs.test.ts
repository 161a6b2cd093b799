/** The documentation stays in step with the code: every error code is documented, and only real ones. */
import { readFileSync } from 'node:fs';
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

  it('documents no code that does not exist', () => {
    expect([...documented].filter((c) => !declared.has(c)).sort()).toEqual([]);
  });
});
