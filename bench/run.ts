/**
 * `npm run bench`: every benchmark with its baseline, measured in the same run, then a
 * summary against the targets of issue 7. `npm run bench -- request header` runs only
 * the named sections; `BENCH_QUICK=1` takes fewer samples (a smoke run, not for the docs);
 * `--wait-idle` first waits (up to 20 minutes) for the load average to drop below 0.6.
 */
import { benchBatch } from './batch.js';
import { benchCli } from './cli.js';
import { benchHeader } from './header.js';
import { type Check, load, machine, QUICK, table } from './lib.js';
import { benchRequest } from './request.js';
import { benchVerify } from './verify.js';

const SECTIONS = ['request', 'cli', 'batch', 'verify', 'header'] as const;
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const w of wanted) {
  if (!(SECTIONS as readonly string[]).includes(w)) {
    console.error(`bench: unknown section ${JSON.stringify(w)} (known: ${SECTIONS.join(', ')})`);
    process.exit(2);
  }
}
const run = (s: (typeof SECTIONS)[number]) => wanted.length === 0 || wanted.includes(s);

if (process.argv.includes('--wait-idle')) {
  // On a shared machine: wait (up to 20 minutes) until other work has settled.
  const limit = Date.now() + 20 * 60_000;
  while (Number(load()) > 0.6 && Date.now() < limit) await new Promise((r) => setTimeout(r, 5000));
}

console.log(`# se-secrets benchmarks${QUICK ? ' (BENCH_QUICK: fewer samples)' : ''}\n`);
table(['machine', ''], Object.entries(machine()));
console.log(`command: npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''}; ${new Date().toISOString()}\n`);

const checks: Check[] = [];
if (run('request')) checks.push(...(await benchRequest()));
let cliMs: number | undefined;
if (run('cli')) {
  const cli = await benchCli();
  cliMs = cli.msPerRequest;
  checks.push(...cli.checks);
}
if (run('batch')) checks.push(...(await benchBatch(cliMs)));
if (run('verify')) checks.push(...(await benchVerify()));
if (run('header')) checks.push(...(await benchHeader()));

console.log('## Summary against the targets (issues 7 and 12)\n');
table(
  ['measure', 'result', 'target', ''],
  checks.map((c) => [c.name, c.value, c.target, c.met === undefined ? 'skipped' : c.met ? 'met' : 'NOT met']),
);
