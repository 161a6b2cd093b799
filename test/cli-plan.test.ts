/**
 * The plan, decrypt and diff subcommands, run in-process on real files in temp dirs.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { nodeBackend } from '../src/crypto/node.js';
import { createAddSecretRequest } from './helpers/api.js';
import { runCli } from './helpers/cli.js';
import { openRequest } from './helpers/independent.js';
import type { AssociationPlan } from '../src/plan/validate.js';
import { planFileNames, samplePlan, WHITE_PAPER_QUEUES } from './helpers/plans.js';
import { hostScalar, SAMPLES } from './helpers/samples.js';
import { HAVE_UPSTREAM, UPSTREAM_DIR, UPSTREAM_SKIP_REASON } from './helpers/upstream.js';

const sha256hex = (s: string) => createHash('sha256').update(s).digest('hex');
const mode = (p: string) => statSync(p).mode & 0o777;

/** A temp dir holding the samples a plan needs and a plan file naming them relatively. */
function workspace(plan: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'se-cli-plan-'));
  for (const f of ['sample-se.img', 'HKD-sample-1.crt', 'HKD-sample-2.crt', 'HKD-sample-1.key', 'HKD-sample-2.key'])
    copyFileSync(join(SAMPLES, f), join(dir, f));
  writeFileSync(
    join(dir, 'plan.yaml'),
    stringify(samplePlan(WHITE_PAPER_QUEUES, plan as Partial<AssociationPlan>)),
  );
  return dir;
}

describe('se-secrets plan', () => {
  it('writes the requests, pvapconfig.yaml, guest-setup.sh and manifest.json; no secret values', async () => {
    const cwd = workspace();
    const r = await runCli('plan', ['plan.yaml', '-o', 'out'], { cwd });
    expect(r.stderr).toBe(
      `warning: ${'queues[1] (17.001e): pvapconfig matches queues by mode, MKVP and serial number, not by APQN, so this entry may land on 16.001e and that entry on 17.001e; give each entry its card serialnr to pin it to its adapter'}\n` +
        'warning: host-key verification is disabled (noVerify: true); the secrets may not be protected\n' +
        "Successfully planned 2 AP queue(s) for guest seguest: 2 association request(s) in 'out'\n",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const out = join(cwd, 'out');
    expect(readdirSync(out).sort()).toEqual(planFileNames().sort());
    expect(mode(join(out, 'guest-setup.sh')) & 0o111).toBe(0o111);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    for (const q of manifest.queues) {
      const req = new Uint8Array(readFileSync(join(out, q.request.file)));
      expect(createHash('sha256').update(req).digest('hex')).toBe(q.request.sha256);
      expect(openRequest(req, hostScalar(1)).secretId?.toString('hex')).toBe(sha256hex(q.name));
    }
  });

  it('--output-secrets writes each value (0600) into its own directory (0700); -v lists the files', async () => {
    const cwd = workspace();
    const r = await runCli('plan', ['-v', '--output-secrets', 'secrets', 'plan.yaml', '--output', 'out'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`Wrote '${join('secrets', 'secret-16.001e.bin')}'\n`);
    expect(mode(join(cwd, 'secrets'))).toBe(0o700);
    expect(readdirSync(join(cwd, 'secrets')).sort()).toEqual(['secret-16.001e.bin', 'secret-17.001e.bin']);
    for (const apqn of ['16.001e', '17.001e']) {
      const secret = join(cwd, 'secrets', `secret-${apqn}.bin`);
      expect(mode(secret)).toBe(0o600);
      const o = openRequest(new Uint8Array(readFileSync(join(cwd, 'out', `request-${apqn}.bin`))), hostScalar(2));
      expect(readFileSync(secret).equals(o.plaintext.subarray(0, 32))).toBe(true);
    }
    expect(readdirSync(join(cwd, 'out')).filter((f) => f.includes('secret') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a bad plan and writes nothing', async () => {
    const cwd = workspace({ queues: Array.from({ length: 13 }, (_, i) => ({ apqn: `${(0x10 + i).toString(16)}.0001`, mode: 'Accel' })) });
    const r = await runCli('plan', ['plan.yaml', '-o', 'out', '--output-secrets', 'secrets'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('se-secrets: error: plan: queues: 13 AP queues listed; an SE guest can use at most 12\n');
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    expect(existsSync(join(cwd, 'secrets'))).toBe(false);
  });

  it('usage errors: same directory for secrets, missing -o, missing plan, unknown option; --help', async () => {
    const cwd = workspace();
    const same = await runCli('plan', ['plan.yaml', '-o', 'out', '--output-secrets', './out/'], { cwd });
    expect(same.code).toBe(1);
    expect(same.stderr).toMatch(/^se-secrets: error: --output-secrets must name another directory than --output/);
    expect(same.stderr).toContain("\nFor more information, try 'se-secrets plan --help'.\n");
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    expect((await runCli('plan', ['plan.yaml'], { cwd })).stderr).toMatch(
      /^se-secrets: error: the following required arguments were not provided: --output <DIR>/,
    );
    expect((await runCli('plan', ['-o', 'out'], { cwd })).code).toBe(1);
    const unknown = await runCli('plan', ['plan.yaml', '-o', 'out', '--stdout'], { cwd });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^se-secrets: error: unexpected argument '--stdout': it is an option of 'create association'; it is not accepted here\n/);
    expect((await runCli('plan', ['plan.yaml', '-o', 'out', '--output-secret', 's'], { cwd })).stderr).toMatch(
      /^se-secrets: error: unexpected argument '--output-secret': did you mean '--output-secrets'\?\n/,
    );
    const none = await runCli('plan', [], { cwd });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^Usage: se-secrets plan /m);
    const help = await runCli('plan', ['--help'], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Reads PLAN /);
    expect(help.stdout).toContain('--output-secrets <DIR2>');
  });

  it('a missing file names the plan key and the path', async () => {
    const cwd = workspace({ hostKeyDocuments: ['HKD-missing.crt'] });
    const r = await runCli('plan', ['plan.yaml', '-o', 'out'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^se-secrets: error: hostKeyDocuments HKD-missing\.crt: cannot read '.*HKD-missing\.crt': no such file or directory\n/);
  });
});

describe('se-secrets decrypt', () => {
  it('prints the request, the secret id in hex, and the value only with --show-secret', async () => {
    const cwd = workspace();
    expect((await runCli('plan', ['plan.yaml', '-o', 'out', '--output-secrets', 'secrets', '-q'], { cwd })).code).toBe(0);
    const r = await runCli('decrypt', ['out/request-17.001e.bin', '--host-key-private', 'HKD-sample-2.key'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^request: +out\/request-17\.001e\.bin: 1496 bytes, version 0x100$/);
    expect(r.stdout).toMatch(new RegExp(`\nsecret id: +0x${sha256hex('seguest-17.001e')}\n`));
    expect(r.stdout).toMatch(/\nsecret type: +0x02 \(Association\)\n/);
    expect(r.stdout).toMatch(/\nsecret value: +\(hidden; --show-secret prints it\)\n/);
    expect(r.stdout).toMatch(/\nextension secret: none \(all zero\)\n/);
    expect(r.stdout).toMatch(/\nopened with: +key slot 1 \(host-key hash [0-9a-f]{64}\)\n/);
    expect(r.stdout).toMatch(/\nauthenticated: +yes/);
    const value = readFileSync(join(cwd, 'secrets', 'secret-17.001e.bin')).toString('hex');
    expect(r.stdout).not.toContain(value);
    const shown = await runCli('decrypt', ['--show-secret', 'out/request-17.001e.bin', '--host-key-private', 'HKD-sample-1.key'], { cwd });
    expect(shown.stdout).toMatch(new RegExp(`\nsecret value: +${value}\n`));
  });

  it('usage errors and failures', async () => {
    const cwd = workspace();
    await runCli('plan', ['plan.yaml', '-o', 'out', '-q'], { cwd });
    const both = await runCli('decrypt', ['out/request-16.001e.bin', '--host-key-private', 'HKD-sample-1.key', '--host-key-document', 'HKD-sample-1.crt'], {
      cwd,
    });
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/^se-secrets: error: the argument '--host-key-private <KEY>' cannot be used with/);
    expect((await runCli('decrypt', ['out/request-16.001e.bin'], { cwd })).stderr).toMatch(
      /^se-secrets: error: one of '--host-key-private <KEY>' or '--customer-private-key <KEY>' is required/,
    );
    expect((await runCli('decrypt', ['out/request-16.001e.bin', '--customer-private-key', 'k'], { cwd })).stderr).toMatch(
      /requires '--host-key-document <HKD>'/,
    );
    const wrongKey = await runCli('decrypt', ['out/request-16.001e.bin', '--host-key-private', 'HKD-sample-1.crt'], { cwd });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toBe("se-secrets: error: host private key 'HKD-sample-1.crt': no private key found in the pem input\n");
    const tampered = readFileSync(join(cwd, 'out', 'request-16.001e.bin'));
    tampered[0x108] = (tampered[0x108] as number) ^ 1;
    writeFileSync(join(cwd, 'bad.bin'), tampered);
    const bad = await runCli('decrypt', ['bad.bin', '--host-key-private', 'HKD-sample-1.key', '-v'], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^se-secrets: error: request 'bad.bin': authentication failed: the request was modified after it was built\n {2}caused by: aes-gcm: authentication failed \(wrong key or modified data\)\n/,
    );
  });

  it.skipIf(!HAVE_UPSTREAM)(`--customer-private-key with the reference's vector${HAVE_UPSTREAM ? '' : ` — SKIPPED: ${UPSTREAM_SKIP_REASON}`}`, async () => {
    const r = await runCli(
      'decrypt',
      ['exp/asrcb/assoc_none_default_cuid_one', '--customer-private-key', 'keys/private_cust.bin', '--host-key-document', 'keys/host.pem.crt', '--show-secret'],
      { cwd: UPSTREAM_DIR },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`\nsecret id: +0x${sha256hex('add_secret_request')}\n`));
    expect(r.stdout).toMatch(new RegExp(`\nsecret value: +${'11'.repeat(32)}\n`));
    expect(r.stdout).toMatch(new RegExp(`\ncuid: +0x${'42'.repeat(16)}\n`));
  });
});

describe('se-secrets diff', () => {
  it('exit 0 when only random fields differ, 1 on real differences, 2 on errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'se-cli-diff-'));
    const build = (name: string) =>
      createAddSecretRequest({
        secret: { type: 'association', name },
        seHeader: new Uint8Array(readFileSync(join(SAMPLES, 'sample.hdr'))),
        hostKeys: [new Uint8Array(readFileSync(join(SAMPLES, 'HKD-sample-1.crt')))],
        verify: false,
        backend: nodeBackend,
      });
    writeFileSync(join(dir, 'a.bin'), await build('x'));
    writeFileSync(join(dir, 'b.bin'), await build('x'));
    writeFileSync(join(dir, 'c.bin'), await build('y'));
    const same = await runCli('diff', ['a.bin', 'b.bin'], { cwd: dir });
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/^random {2}iv +differs \(random by design\)\n/);
    expect(same.stdout).toContain('\nequivalent: only fields that are random by design differ (6 of 22 fields)\n');
    const all = await runCli('diff', ['-v', 'a.bin', 'b.bin'], { cwd: dir });
    expect(all.stdout).toMatch(/\nsame {4}secret id +[0-9a-f]{64}\n/);
    const differ = await runCli('diff', ['a.bin', 'c.bin'], { cwd: dir });
    expect(differ.code).toBe(1);
    expect(differ.stdout).toContain(`DIFF    secret id `);
    expect(differ.stdout).toContain(`a: ${sha256hex('x')}`);
    expect(differ.stdout).toContain(`b: ${sha256hex('y')}`);
    expect(differ.stdout).toContain('\nDIFFERENT: 1 field(s) differ that are not random by design: secret id\n');
    expect((await runCli('diff', ['-q', 'a.bin', 'c.bin'], { cwd: dir })).stdout).toBe('');
    const missing = await runCli('diff', ['a.bin', 'nope.bin'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("se-secrets: error: cannot read 'nope.bin': no such file or directory\n");
    const one = await runCli('diff', ['a.bin'], { cwd: dir });
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/^se-secrets: error: the following required arguments were not provided: <B>\n/);
    const three = await runCli('diff', ['a.bin', 'a.bin', 'a.bin'], { cwd: dir });
    expect(three.code).toBe(2);
    expect(three.stderr).toMatch(/^se-secrets: error: unexpected argument 'a.bin'\nFor more information, try 'se-secrets diff --help'\.\n$/);
    const none = await runCli('diff', [], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage: se-secrets diff /m);
  });
});
