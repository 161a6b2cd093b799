/**
 * The attested plan, end to end, in two phases: `plan --attest` writes the attestation
 * request and its protection key; guest-setup.sh runs `pvattest perform` in a simulated
 * guest (test/fixtures/fake-pvattest.ts answers with the node:crypto Ultravisor of
 * test/attest-uv.ts); `attest verify` on the workstation reads the CUID; `plan --cuid`
 * builds requests bound to it, which decrypt shows and only that instance accepts
 * (test/fixtures/fake-guest.sh checks the CUID as the Ultravisor does).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSeSecretsError } from '../src/errors.js';
import { parseAttestationExchange, parseAttestationRequest, planAssociations } from './helpers/api.js';
import type { AssociationPlan } from '../src/plan/validate.js';
import { SAMPLES } from './helpers/samples.js';
import { hostKeyHashOf, cli, listDir, openRequest, sample, tempDir } from './cli/helpers.js';

const CUID = '4242000011112222333344445555aaaa';
const MKVP = '5a3ff2a8d3e1c4b79ad0e6f1c2b38475';
const FAKE_GUEST = join(import.meta.dirname, 'fixtures', 'fake-guest.sh');
const FAKE_PVATTEST = join(import.meta.dirname, 'fixtures', 'fake-pvattest.ts');
const TSX = createRequire(import.meta.url).resolve('tsx');

/** A plan for the sample image and hosts, verified with the sample PKI. */
function writePlan(d: string): string {
  const plan = join(d, 'plan.yaml');
  writeFileSync(
    plan,
    [
      'guest: seguest',
      `hdr: ${sample('sample-se.img')}`,
      `hostKeyDocuments: [${sample('HKD-sample-1.crt')}, ${sample('HKD-sample-2.crt')}]`,
      `certificates: [${sample('ibm-z-host-key-signing.crt')}, ${sample('intermediate-ca.crt')}]`,
      `crls: [${sample('ibm-z-host-key.crl')}, ${sample('intermediate-ca.crl')}, ${sample('root-ca.crl')}]`,
      `rootCa: ${sample('root-ca.crt')}`,
      'offline: true',
      'queues:',
      `  - { apqn: 16.001e, mode: EP11, mkvp: "0x${MKVP}" }`,
      `  - { apqn: 17.001e, mode: EP11, mkvp: "0x${MKVP}" }`,
      '',
    ].join('\n'),
  );
  return plan;
}

/** A guest on sample host 1 whose only s390 tool is (the stand-in for) pvattest. */
function attestingGuest(d: string, cuid: string) {
  const bin = join(d, 'guest-bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'pvattest'), `#!/bin/sh\nexec "${process.execPath}" --import "${TSX}" "${FAKE_PVATTEST}" "$@"\n`);
  chmodSync(join(bin, 'pvattest'), 0o755);
  const log = join(d, 'guest-calls.log');
  const env = { PATH: `${bin}:${process.env.PATH}`, FAKE_HOST_KEY: sample('HKD-sample-1.key'), FAKE_SE_HEADER_FILE: sample('sample.hdr'), FAKE_CUID: cuid, FAKE_LOG: log };
  return { env, log: () => readFileSync(log, 'utf8') };
}

/** `pvsecret add FILE` of the stand-in guest, on an instance with CUID `cuid`. */
function pvsecretAdd(d: string, file: string, cuid: string) {
  const store = join(d, `uv-store-${cuid}`);
  if (!existsSync(store)) writeFileSync(store, '');
  const env = { PATH: process.env.PATH, SYSFS_ROOT: join(d, 'sys'), FAKE_UV_STORE: store, FAKE_LOG: join(d, 'pvsecret.log'), FAKE_CUID: cuid };
  return spawnSync('bash', [FAKE_GUEST, 'pvsecret', 'add', file], { env, encoding: 'utf8' });
}

describe('plan --attest, pvattest perform in the guest, attest verify, plan --cuid', () => {
  it('binds the requests of phase 2 to the attested instance; the protection key stays on the workstation', async () => {
    const d = tempDir();
    const plan = writePlan(d);
    const out = join(d, 'out');
    const secrets = join(d, 'secrets');

    // Phase 1 on the workstation.
    const p1 = await cli(['plan', plan, '--attest', '-o', out, '--output-secrets', secrets, '-v']);
    expect(p1.code, p1.err).toBe(0);
    expect(p1.out).toBe('');
    expect(p1.err).toContain(`Successfully planned the attestation of guest seguest: '${join(out, 'attestation-request.bin')}'`);
    expect(listDir(out)).toEqual(['attestation-request.bin', 'guest-setup.sh', 'host-setup.sh', 'manifest.json', 'seguest-hostdev.xml']);
    expect(listDir(secrets)).toEqual(['attestation-arpk.bin']);
    const arpk = readFileSync(join(secrets, 'attestation-arpk.bin'));
    expect(arpk).toHaveLength(32);
    expect(statSync(join(secrets, 'attestation-arpk.bin')).mode & 0o777).toBe(0o600);
    expect(statSync(secrets).mode & 0o777).toBe(0o700);
    expect(p1.err).not.toContain(arpk.toString('hex')); // never printed
    const request = readFileSync(join(out, 'attestation-request.bin'));
    expect(request.subarray(0, 8).toString('latin1')).toBe('pvattest');
    const m1 = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(m1.attestation).toEqual({
      request: { file: 'attestation-request.bin', sha256: createHash('sha256').update(request).digest('hex'), size: request.length },
      protectionKeyFile: 'attestation-arpk.bin',
      responseFile: 'attestation-response.bin',
    });
    expect(m1.hostKeysVerified).toBe(true);
    expect(m1.queues.map((q: { request?: unknown }) => q.request)).toEqual([undefined, undefined]);
    expect(JSON.stringify(m1)).not.toContain(arpk.toString('hex'));
    expect(spawnSync('bash', ['-n', join(out, 'guest-setup.sh')]).status).toBe(0);

    // In the guest: guest-setup.sh runs pvattest perform.
    const g = attestingGuest(d, CUID);
    const run = spawnSync('bash', [join(out, 'guest-setup.sh')], { env: g.env, cwd: d, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(g.log()).toBe(`pvattest perform -i ${out}/attestation-request.bin -o ${out}/attestation-response.bin\n`);
    expect(run.stdout).toContain('+ pvattest perform -i attestation-request.bin -o attestation-response.bin\n');

    // Back on the workstation: verify, then phase 2 with the CUID.
    const result = join(d, 'result.yaml');
    const v = await cli(['attest', 'verify', '-i', join(out, 'attestation-response.bin'), '--hdr', sample('sample-se.img'), '--arpk', join(secrets, 'attestation-arpk.bin'), '--format', 'yaml', '-o', result]);
    expect(v.code, v.err).toBe(0);
    expect(readFileSync(result, 'utf8').split('\n')[0]).toBe(`cuid: '0x${CUID}'`);
    const out2 = join(d, 'out2');
    const p2 = await cli(['plan', plan, '--cuid', result, '-o', out2]);
    expect(p2.code, p2.err).toBe(0);
    expect(p2.err).toContain(`2 association request(s) in '${out2}', bound to the guest instance with CUID 0x${CUID}`);
    expect(JSON.parse(readFileSync(join(out2, 'manifest.json'), 'utf8')).cuid).toBe(`0x${CUID}`);
    expect(readFileSync(join(out2, 'guest-setup.sh'), 'utf8')).toContain(`bound_cuid=0x${CUID}\n`);
    for (const apqn of ['16.001e', '17.001e']) {
      const file = join(out2, `request-${apqn}.bin`);
      expect(openRequest(readFileSync(file)).cuid.toString('hex')).toBe(CUID); // independent decryption
      const dec = await cli(['decrypt', file, '--host-key-private', sample('HKD-sample-2.key')]);
      expect(dec.code, dec.err).toBe(0);
      expect(dec.out).toMatch(new RegExp(`^cuid: +0x${CUID}$`, 'm'));
      // The Ultravisor (stand-in) accepts it from this instance only.
      expect(pvsecretAdd(d, file, CUID).status).toBe(0);
      const other = pvsecretAdd(d, file, '11'.repeat(16));
      expect(other.status).toBe(1);
      expect(other.stderr).toContain('bound to another guest instance');
    }

    // guest-setup.sh on another instance: pvsecret add is refused and the script names the CUID.
    const g2 = join(d, 'other-instance');
    const bin = join(g2, 'bin');
    mkdirSync(bin, { recursive: true });
    for (const tool of ['pvsecret', 'lszcrypt', 'chzcrypt']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\nexec bash "${FAKE_GUEST}" ${tool} "$@"\n`, { mode: 0o755 });
    }
    for (const q of ['16.001e', '17.001e']) {
      const qd = join(g2, 'sys/bus/ap/devices', `card${q.slice(0, 2)}`, q);
      mkdirSync(qd, { recursive: true });
      for (const [a, v] of [['se_bind', 'unbound'], ['se_associate', 'unassociated'], ['fake_mode', 'EP11'], ['fake_mkvp', MKVP]]) writeFileSync(join(qd, a as string), `${v}\n`);
    }
    writeFileSync(join(g2, 'store'), '');
    const env = { PATH: `${bin}:${process.env.PATH}`, SYSFS_ROOT: join(g2, 'sys'), FAKE_UV_STORE: join(g2, 'store'), FAKE_LOG: join(g2, 'log'), FAKE_CUID: '11'.repeat(16) };
    const refused = spawnSync('bash', [join(out2, 'guest-setup.sh')], { env, cwd: g2, encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`guest-setup: pvsecret add request-16.001e.bin failed: the requests are bound to the guest instance with CUID 0x${CUID}`);
    expect(readFileSync(join(g2, 'store'), 'utf8')).toBe('');
  });

  it('refuses --attest without --output-secrets, and --attest with --cuid, before writing anything', async () => {
    const d = tempDir();
    const plan = writePlan(d);
    const out = join(d, 'out');
    const noSecrets = await cli(['plan', plan, '--attest', '-o', out]);
    expect(noSecrets.code).toBe(1);
    expect(noSecrets.err).toMatch(/the argument '--attest' requires '--output-secrets <DIR2>'/);
    const both = await cli(['plan', plan, '--attest', '--cuid', join(d, 'r.yaml'), '-o', out, '--output-secrets', join(d, 's')]);
    expect(both.code).toBe(1);
    expect(both.err).toMatch(/'--attest'.*cannot be used with '--cuid <FILE>'|'--cuid <FILE>'.*cannot be used with '--attest'/);
    writeFileSync(join(d, 'bad.yaml'), 'cuid: 0x1234\n');
    const bad = await cli(['plan', plan, '--cuid', join(d, 'bad.yaml'), '-o', out]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--cuid');
    expect(listDir(d)).toEqual(['bad.yaml', 'plan.yaml']);
  });
});

describe('docs/plan.md, "Attest first"', () => {
  it('its commands run as shown on the worked example, the simulated guest answering in between', async () => {
    const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'plan.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Attest first'), doc.indexOf('### CUID-bound requests at boot'));
    const commands = [...section.matchAll(/^\$ se-secrets (.*)$/gm)].map((m) => (m[1] as string).split(' '));
    expect(commands.map((c) => c.slice(0, 3).join(' '))).toEqual(['plan plan.yaml --attest', 'attest verify -i', 'plan plan.yaml --cuid']);
    const [phase1, verify, phase2] = commands as [string[], string[], string[]];
    const d = tempDir();
    writeFileSync(join(d, 'plan.yaml'), (/^```yaml\n(# plan\.yaml[\s\S]*?)^```/m.exec(doc) as RegExpExecArray)[1] as string);
    for (const f of ['sample-se.img', 'HKD-sample-1.crt', 'HKD-sample-2.crt']) copyFileSync(sample(f), join(d, f));
    const p1 = await cli(phase1, { cwd: d });
    expect(p1.code, p1.err).toBe(0);
    const g = attestingGuest(d, CUID);
    const run = spawnSync('bash', [join(d, 'attest', 'guest-setup.sh')], { env: g.env, cwd: d, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    copyFileSync(join(d, 'attest', 'attestation-response.bin'), join(d, 'attestation-response.bin')); // brought back
    const v = await cli(verify, { cwd: d });
    expect(v.code, v.err).toBe(0);
    const p2 = await cli(phase2, { cwd: d });
    expect(p2.code, p2.err).toBe(0);
    expect(listDir(join(d, 'out')).filter((f) => f.startsWith('request-'))).toEqual(['request-16.001e.bin', 'request-17.001e.bin']);
    for (const f of ['request-16.001e.bin', 'request-17.001e.bin']) expect(openRequest(readFileSync(join(d, 'out', f))).cuid.toString('hex')).toBe(CUID);
  });
});

describe('planAssociations({ attest }) / ({ cuid }) in the library', () => {
  const PLAN: AssociationPlan = {
    guest: 'seguest',
    hdr: 'sample-se.img',
    hostKeyDocuments: ['HKD-sample-1.crt', 'HKD-sample-2.crt'],
    noVerify: true,
    queues: [{ apqn: '16.001e', mode: 'EP11', mkvp: `0x${MKVP}` }],
  };

  it('attest: an attestation request for every host key of the plan, its protection key a secret file (0600)', async () => {
    const r = await planAssociations(PLAN, { baseDir: SAMPLES, attest: true });
    expect(r.files.map((f) => f.path)).toEqual(['attestation-request.bin', 'guest-setup.sh', 'host-setup.sh', 'seguest-hostdev.xml', 'manifest.json', 'attestation-arpk.bin']);
    const key = r.files.at(-1);
    expect(key).toMatchObject({ secret: true, mode: 0o600, label: 'attestation request protection key' });
    expect(key?.bytes).toHaveLength(32);
    const arcb = parseAttestationRequest(parseAttestationExchange(r.files[0]?.bytes as Uint8Array).request as Uint8Array);
    const hash = (n: 1 | 2) => hostKeyHashOf(readFileSync(sample(`HKD-sample-${n}.crt`), 'utf8')).toString('hex');
    expect(arcb.keySlots.map((k) => Buffer.from(k.hostKeyHash).toString('hex'))).toEqual([hash(1), hash(2)]);
    expect(r.files.some((f) => f.path.startsWith('request-'))).toBe(false);
  });

  it('cuid: every request carries it; attest and cuid together are refused', async () => {
    const cuid = new Uint8Array(Buffer.from(CUID, 'hex'));
    const r = await planAssociations(PLAN, { baseDir: SAMPLES, cuid });
    expect(openRequest(r.files.find((f) => f.path === 'request-16.001e.bin')?.bytes as Uint8Array).cuid.toString('hex')).toBe(CUID);
    expect(r.manifest.cuid).toBe(`0x${CUID}`);
    const both = await planAssociations(PLAN, { baseDir: SAMPLES, cuid, attest: true }).catch((e: unknown) => e);
    expect(isSeSecretsError(both, 'ERR_INVALID_OPTION')).toBe(true);
    const short = await planAssociations(PLAN, { baseDir: SAMPLES, cuid: new Uint8Array(15) }).catch((e: unknown) => e);
    expect(isSeSecretsError(short, 'ERR_CUID')).toBe(true);
  });
});
