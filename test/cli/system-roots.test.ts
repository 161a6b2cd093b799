/**
 * Without a root CA (`--root-ca`, `rootCa`), `create`, `plan` and `create --batch` verify
 * the chain against the system's trusted roots, as docs/plan.md and docs/cli.md say:
 * Node's bundled roots plus the system bundle, `SSL_CERT_FILE` first. Run as the shipped
 * binary in a subprocess, so that the root store is read fresh: with SSL_CERT_FILE naming
 * the samples' root the samples verify (and the requests open with the sample host's key);
 * with the machine's own store they do not — an untrusted chain, never "no trusted root".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { cliProcess, listDir, openRequest, sample, tempDir } from './helpers.js';

const SAMPLE_ROOT = { SSL_CERT_FILE: sample('root-ca.crt') };
/** The machine's store only (the samples' root is not in it). */
const MACHINE_ROOTS = { SSL_CERT_FILE: '/nonexistent/se-secrets-test-bundle.pem' };
const UNTRUSTED = /^se-secrets: error: (hostKeyDocuments: |batch entry 1 \(out\/meta\.bin\): )?host-key verification: the IBM Z signing key could not be verified; error at level \d+ .*$/m;

const verification = `certificates: [${sample('ibm-z-host-key-signing.crt')}, ${sample('intermediate-ca.crt')}]
crls: [${sample('root-ca.crl')}, ${sample('intermediate-ca.crl')}, ${sample('ibm-z-host-key.crl')}]
offline: true
`;

function planFile(dir: string): string {
  const p = join(dir, 'plan.yaml');
  writeFileSync(
    p,
    `guest: seguest
hdr: ${sample('sample-se.img')}
hostKeyDocuments: [${sample('HKD-sample-1.crt')}]
${verification}queues:
  - { apqn: 16.001e, mode: EP11, mkvp: "0x5a3ff2a8d3e1c4b79ad0e6f1c2b38475" }
`,
  );
  return p;
}

function batchFile(dir: string): string {
  const p = join(dir, 'batch.yaml');
  writeFileSync(
    p,
    `defaults:
  hostKeyDocuments: [${sample('HKD-sample-1.crt')}]
${verification.replace(/^/gm, '  ').trimEnd()}
requests:
  - { output: out/meta.bin, hdr: ${sample('sample.hdr')}, secret: { type: meta } }
`,
  );
  return p;
}

describe.concurrent('no root CA given: the system trusted roots', () => {
  it('create without --root-ca', async ({ expect }) => {
    const d = tempDir();
    const args = ['create', '-k', sample('HKD-sample-1.crt'), '--hdr', sample('sample.hdr'), '-o', join(d, 'r.bin'), '--offline', '-C', sample('ibm-z-host-key-signing.crt'), '-C', sample('intermediate-ca.crt'), '--crl', [sample('root-ca.crl'), sample('intermediate-ca.crl'), sample('ibm-z-host-key.crl')].join(','), 'meta'];
    const ok = await cliProcess(args, { env: SAMPLE_ROOT });
    expect(ok.code, ok.err).toBe(0);
    expect(openRequest(readFileSync(join(d, 'r.bin'))).secretType).toBe(1);
    const no = await cliProcess(args, { env: MACHINE_ROOTS, cwd: d });
    expect(no.code).toBe(1);
    expect(no.err).toMatch(UNTRUSTED);
  });

  it('plan without rootCa', async ({ expect }) => {
    const d = tempDir();
    const ok = await cliProcess(['plan', planFile(d), '-o', join(d, 'out')], { env: SAMPLE_ROOT });
    expect(ok.code, ok.err).toBe(0);
    expect(openRequest(readFileSync(join(d, 'out', 'request-16.001e.bin'))).secretType).toBe(2);
    const e = tempDir();
    const no = await cliProcess(['plan', planFile(e), '-o', join(e, 'out')], { env: MACHINE_ROOTS });
    expect(no.code).toBe(1);
    expect(no.err).toMatch(UNTRUSTED);
    expect(no.err).not.toContain('no trusted root');
    expect(listDir(e)).toEqual(['plan.yaml']);
  });

  it('create --batch without rootCa', async ({ expect }) => {
    const d = tempDir();
    const ok = await cliProcess(['create', '--batch', batchFile(d)], { env: SAMPLE_ROOT });
    expect(ok.code, ok.err).toBe(0);
    expect(openRequest(readFileSync(join(d, 'out', 'meta.bin'))).secretType).toBe(1);
    const e = tempDir();
    const no = await cliProcess(['create', '--batch', batchFile(e)], { env: MACHINE_ROOTS });
    expect(no.code).toBe(1);
    expect(no.err).toMatch(UNTRUSTED);
    expect(no.err).not.toContain('no trusted root');
    expect(listDir(e)).toEqual(['batch.yaml']);
  });
});
