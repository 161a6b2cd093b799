/**
 * Writes the files the package ships beside the CLI, generated from its command tree:
 * dist/man/se-secrets.1 (package.json `man`) and the completion scripts
 * dist/completions/se-secrets.bash, _se-secrets (zsh) and se-secrets.fish.
 * Run by `npm run build` after tsup.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPLETION_SHELLS, completionScript, SHIPPED_COMPLETIONS } from '../src/cli/completion-scripts.js';
import { manPage } from '../src/cli/man-page.js';

const root = join(import.meta.dirname, '..');
const { version, man } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; man: string };

function write(rel: string, text: string): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
}

write(man, manPage(version));
for (const shell of COMPLETION_SHELLS) write(SHIPPED_COMPLETIONS[shell], completionScript(shell));
