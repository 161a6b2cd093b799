/**
 * The `se-secrets` executable (dist/cli/main.js), kept tiny: it runs the CLI, which
 * tsup bundles from src/cli/main.ts into one CommonJS file (dist/cli/cli.cjs), through
 * the V8 code cache of its command (./run-bundle.ts). Built as CommonJS itself
 * (dist/cli/package.json says so), so that a run never starts Node's ESM loader.
 *
 * @module
 */
import { runBundle } from './run-bundle.js';

const args = process.argv.slice(2);
const command = args.find((a) => !a.startsWith('-'));
const variant = command !== undefined && /^[a-z][a-z-]{0,30}$/.test(command) ? command + (args.includes('--batch') ? '-batch' : '') : 'other';
(runBundle(variant, true) as { runAsProcess(): void }).runAsProcess();
