/**
 * Writes the verification fixtures (test/fixtures/ibm-test-pki.ts) and a manifest of
 * every scenario (test/fixtures/hkd-scenarios.ts) to a directory, e.g. to run them
 * through the real pvsecret:
 *
 *   npm run gen:pki-fixtures -- /tmp/pki
 *   # then for each manifest entry with "pvsecret": run `pvsecret create meta <args>`
 *   # with --hdr pointing at any SE header (samples/sample.hdr will do) and compare
 *   # the outcome (exit 0 for "ok", else the message of "reference").
 *
 * The keys are new on every run; the dates are fixed (decisions hold from 2025 to 2070).
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FIXTURE_NOW, buildTestPki } from '../test/fixtures/ibm-test-pki.js';
import { CHAIN_REASONS, OWN_SCENARIOS, REFERENCE_SCENARIOS, type Scenario } from '../test/fixtures/hkd-scenarios.js';

const out = resolve(process.argv[2] ?? 'pki-fixtures');
mkdirSync(out, { recursive: true });
const pki = await buildTestPki();
for (const [name, bytes] of pki.files) writeFileSync(join(out, name), bytes);

/** pvsecret arguments for a scenario, or undefined when pvsecret cannot reproduce it. */
function pvsecretArgs(s: Scenario): string[] | undefined {
  // Online scenarios serve bare-name distribution points from these files; pvsecret would use curl.
  if (s.online) return undefined;
  const args = ['create', 'meta', '--hdr', 'HDR', '-o', 'OUT'];
  for (const k of s.hkds) args.push('-k', k);
  if (s.certs.length === 0) return undefined; // pvsecret requires -C or --no-verify
  for (const c of s.certs) args.push('-C', c);
  for (const c of s.crls ?? []) args.push('--crl', c);
  if (s.rootCa) args.push('--root-ca', s.rootCa);
  args.push('--offline');
  return args;
}

const manifest = {
  now: FIXTURE_NOW.toISOString(),
  note: 'expect: "ok" or the se-secrets error code; reference: what pvsecret 2.43 decides',
  scenarios: [...REFERENCE_SCENARIOS.map((s) => ({ ...s, group: 'reference' })), ...OWN_SCENARIOS.map((s) => ({ ...s, group: 'own' }))].map((s) => ({
    ...s,
    ...(CHAIN_REASONS[s.name] ? { reason: CHAIN_REASONS[s.name] } : {}),
    pvsecret: pvsecretArgs(s) ?? null,
  })),
};
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${pki.files.size} files and ${manifest.scenarios.length} scenarios written to ${out}`);
