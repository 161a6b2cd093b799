/**
 * planAssociations on the white paper's setup (EP11 queues 16.001e and 17.001e) with the
 * bundled samples: every produced file is read back by an independent path — requests
 * opened with node:crypto and the host private keys, pvapconfig.yaml parsed and checked
 * against pvapconfig's own rules, the script checked with bash -n, ids recomputed.
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type PlanResult, planAssociations as planPortable } from '../src/plan/plan.js';
import type { AssociationPlan } from '../src/plan/validate.js';
import { parseSeHeader, planAssociations } from './helpers/api.js';
import { openRequest } from './helpers/independent.js';
import { planFileNames, SAMPLE_MKVP, samplePlan } from './helpers/plans.js';
import { hostScalar, SAMPLES, sample } from './helpers/samples.js';

const sha256hex = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const text = (r: PlanResult, f: string) => new TextDecoder().decode(r.files.find((x) => x.path === f)?.bytes);
const fileOf = (r: PlanResult, f: string) => {
  const x = r.files.find((y) => y.path === f);
  if (!x) throw new Error(`no ${f} in ${r.files.map((y) => y.path).join(', ')}`);
  return x;
};

const MKVP = `0x${SAMPLE_MKVP}`;

/** The white paper's setup: two EP11 queues on adapters 0x16 and 0x17, domain 0x1e. */
const WHITE_PAPER_PLAN: AssociationPlan = samplePlan();

const readFile = async (p: string) => new Uint8Array(readFileSync(p));

/**
 * pvapconfig's checks of its config file (s390-tools rust/pvapconfig/src/config.rs), as
 * rules: a list of mappings with only the known keys, all strings, mode ep11/accel,
 * EP11 with a 32/64-hex mkvp, optional 16-character serialnr, mingen cex8, and a
 * secretid that is SHA-256 of the name when both are given.
 */
function checkPvapconfig(yamlText: string): Record<string, string>[] {
  const entries = parseYaml(yamlText) as unknown;
  expect(Array.isArray(entries)).toBe(true);
  const out: Record<string, string>[] = [];
  for (const e of entries as Record<string, unknown>[]) {
    for (const [k, v] of Object.entries(e)) {
      expect(['name', 'description', 'mode', 'mkvp', 'serialnr', 'mingen', 'secretid']).toContain(k);
      expect(typeof v, `${k} must read back as a string`).toBe('string');
    }
    const x = e as Record<string, string>;
    const mode = x.mode?.trim().toLowerCase();
    expect(['ep11', 'accel']).toContain(mode);
    if (mode === 'ep11') {
      expect(x.mkvp?.toLowerCase()).toMatch(/^(0x)?([0-9a-f]{32}|[0-9a-f]{64})$/);
      if (x.serialnr) expect(x.serialnr).toMatch(/^\S{16}$/);
      if (x.mingen) expect(x.mingen.toLowerCase()).toBe('cex8');
      expect(x.secretid?.toLowerCase()).toMatch(/^(0x)?[0-9a-f]{64}$/);
      if (x.name) expect(x.secretid?.toLowerCase().replace(/^0x/, '')).toBe(sha256hex(x.name.trim()));
    } else if (x.mingen) {
      expect(x.mingen.toLowerCase()).toMatch(/^cex[4-8]$/);
    }
    out.push(x);
  }
  return out;
}

describe('planAssociations: the white paper setup (EP11 queues 16.001e and 17.001e)', () => {
  it('produces one request per EP11 queue, pvapconfig.yaml, guest-setup.sh and manifest.json', async () => {
    const r = await planAssociations(WHITE_PAPER_PLAN, { baseDir: SAMPLES, now: new Date('2026-01-02T03:04:05Z') });
    expect(r.files.map((f) => f.path)).toEqual(planFileNames(['16.001e', '17.001e']));
    expect(r.files.some((f) => f.secret)).toBe(false);
    expect(r.warnings).toEqual([
      'queues[1] (17.001e): pvapconfig matches queues by mode, MKVP and serial number, not by APQN, so this entry may land on 16.001e and that entry on 17.001e; give each entry its card serialnr to pin it to its adapter',
      'host-key verification is disabled (noVerify: true); the secrets may not be protected',
    ]);

    const header = parseSeHeader(sample('sample-se.img'));
    const values: string[] = [];
    for (const apqn of ['16.001e', '17.001e']) {
      const req = fileOf(r, `request-${apqn}.bin`).bytes;
      for (const [slot, host] of [hostScalar(1), hostScalar(2)].entries()) {
        const o = openRequest(req, host);
        expect(o.slotIndex).toBe(slot);
        expect(o.secretType).toBe(2);
        expect(o.secretLength).toBe(32);
        expect(o.secretId?.toString('hex')).toBe(sha256hex(`seguest-${apqn}`));
        expect(o.tag.equals(Buffer.from(header.tag))).toBe(true);
        expect(o.slots.map((s) => s.hash.toString('hex'))).toEqual(header.hostKeyHashes.map((h) => Buffer.from(h).toString('hex')));
        expect(o.plaintext.subarray(32).equals(Buffer.alloc(32))).toBe(true);
        if (slot === 0) values.push(o.plaintext.subarray(0, 32).toString('hex'));
      }
    }
    expect(new Set(values).size).toBe(2); // each queue has its own secret
    for (const v of values) expect(v).not.toBe('00'.repeat(32));

    // pvapconfig.yaml reads back and passes pvapconfig's rules
    const entries = checkPvapconfig(text(r, 'pvapconfig.yaml'));
    expect(entries).toEqual([
      {
        name: 'seguest-16.001e',
        description: 'seguest: APQN 16.001e (EP11), planned by se-secrets',
        mode: 'EP11',
        mkvp: MKVP.slice(2),
        secretid: sha256hex('seguest-16.001e'),
      },
      {
        name: 'seguest-17.001e',
        description: 'seguest: APQN 17.001e (EP11), planned by se-secrets',
        mode: 'EP11',
        mkvp: MKVP.slice(2),
        secretid: sha256hex('seguest-17.001e'),
      },
    ]);

    // manifest: ids and hashes recomputed; no secret value anywhere outside the requests
    const manifest = JSON.parse(text(r, 'manifest.json'));
    expect(manifest).toEqual(r.manifest);
    expect(manifest.createdAt).toBe('2026-01-02T03:04:05.000Z');
    expect(manifest.guest).toBe('seguest');
    expect(manifest.hostKeysVerified).toBe(false);
    expect(manifest.seHeader.tag).toBe(Buffer.from(header.tag).toString('hex'));
    expect(manifest.hostKeys.map((k: { hash: string }) => k.hash)).toEqual(manifest.seHeader.hostKeyHashes);
    for (const q of manifest.queues) {
      expect(q.secretId).toBe(sha256hex(q.name));
      expect(q.request.sha256).toBe(sha256hex(fileOf(r, q.request.file).bytes));
      expect(q.request.size).toBe(1496);
      expect(q.secretFile).toBeUndefined();
    }
    for (const f of manifest.files) expect(f.sha256).toBe(sha256hex(fileOf(r, f.file).bytes));
    for (const f of ['pvapconfig.yaml', 'guest-setup.sh', 'manifest.json']) {
      for (const v of values) expect(text(r, f)).not.toContain(v);
    }
  });

  it('guest-setup.sh passes bash -n, uses set -euo pipefail, adds each request and binds and associates each queue', async () => {
    const r = await planAssociations(WHITE_PAPER_PLAN, { baseDir: SAMPLES });
    const script = text(r, 'guest-setup.sh');
    const dir = mkdtempSync(join(tmpdir(), 'se-plan-sh-'));
    writeFileSync(join(dir, 'guest-setup.sh'), script);
    const check = spawnSync('bash', ['-n', join(dir, 'guest-setup.sh')], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(fileOf(r, 'guest-setup.sh').mode).toBe(0o755);
    expect(script.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(script).toContain('\nset -euo pipefail\n');
    for (const apqn of ['16.001e', '17.001e']) {
      const id = sha256hex(`seguest-${apqn}`);
      expect(script).toContain(`add_request 'request-${apqn}.bin' ${id} 'seguest-${apqn}'`);
      expect(script).toContain(`associate_queue ${apqn} ${id} 'seguest-${apqn}'`);
    }
    expect(script).toContain('chzcrypt --se-bind "$q"');
    expect(script).toContain('chzcrypt --se-associate "$idx" "$q"');
    expect(script).toContain('pvapconfig --config "$here/pvapconfig.yaml" --strict');
    expect(script).toContain('lszcrypt -V\n');
    expect(script).toContain('for q in 16.001e 17.001e; do');
  });

  it('returns the secret values only when asked, marked secret with mode 0600, equal to what the requests carry', async () => {
    const r = await planPortable(WHITE_PAPER_PLAN, { baseDir: SAMPLES, readFile, outputSecrets: true });
    const secrets = r.files.filter((f) => f.secret);
    expect(secrets.map((f) => [f.path, f.mode])).toEqual([
      ['secret-16.001e.bin', 0o600],
      ['secret-17.001e.bin', 0o600],
    ]);
    for (const apqn of ['16.001e', '17.001e']) {
      const o = openRequest(fileOf(r, `request-${apqn}.bin`).bytes, hostScalar(2));
      expect(Buffer.from(fileOf(r, `secret-${apqn}.bin`).bytes).equals(o.plaintext.subarray(0, 32))).toBe(true);
      expect(r.manifest.queues.find((q) => q.apqn === apqn)?.secretFile).toBe(`secret-${apqn}.bin`);
    }
  });

  it('accelerator queues are only bound: no request and no secretid; names, serialnr and mingen carry through', async () => {
    const plan: AssociationPlan = {
      ...WHITE_PAPER_PLAN,
      queues: [
        { apqn: '16.001E', mode: 'ep11', mkvp: MKVP.toUpperCase().replace('0X', '0x'), serialnr: '93AADFK719460083', mingen: 'cex8', name: 'hsm domain 30' },
        { apqn: '18.0005', mode: 'Accel', mingen: 'CEX7' },
      ],
    };
    const r = await planAssociations(plan, { baseDir: SAMPLES });
    expect(r.files.map((f) => f.path)).toEqual(planFileNames(['16.001e']));
    expect(checkPvapconfig(text(r, 'pvapconfig.yaml'))).toEqual([
      {
        name: 'hsm domain 30',
        description: 'seguest: APQN 16.001e (EP11), planned by se-secrets',
        mode: 'EP11',
        mkvp: MKVP.slice(2),
        serialnr: '93AADFK719460083',
        mingen: 'CEX8',
        secretid: sha256hex('hsm domain 30'),
      },
      { name: 'seguest-18.0005', description: 'seguest: APQN 18.0005 (Accel), planned by se-secrets', mode: 'Accel', mingen: 'CEX7' },
    ]);
    expect(openRequest(fileOf(r, 'request-16.001e.bin').bytes, hostScalar(1)).secretId?.toString('hex')).toBe(sha256hex('hsm domain 30'));
    const script = text(r, 'guest-setup.sh');
    expect(script).toContain('  bind_queue 18.0005\n');
    expect(script).not.toContain('associate_queue 18.0005');
    expect(r.manifest.queues[1]).toEqual({ apqn: '18.0005', adapter: '18', domain: '0005', mode: 'Accel', mingen: 'CEX7', name: 'seguest-18.0005' });
  });

  it('quotes what YAML would otherwise read as numbers or booleans, and never folds long values', async () => {
    const plan: AssociationPlan = {
      ...WHITE_PAPER_PLAN,
      guest: 'g',
      queues: [
        { apqn: '16.001e', mode: 'EP11', mkvp: '12345678901234567890123456789012', name: 'true' },
        { apqn: '17.001e', mode: 'EP11', mkvp: MKVP, name: `${'long name '.repeat(12)}end`, serialnr: '1234567890123456' },
      ],
    };
    const r = await planAssociations(plan, { baseDir: SAMPLES });
    const entries = checkPvapconfig(text(r, 'pvapconfig.yaml'));
    expect(entries[0]?.name).toBe('true');
    expect(entries[0]?.mkvp).toBe('12345678901234567890123456789012');
    expect(entries[1]?.serialnr).toBe('1234567890123456');
    expect(entries[1]?.name).toBe(`${'long name '.repeat(12)}end`);
    expect(text(r, 'pvapconfig.yaml')).toContain(`- name: ${'long name '.repeat(12)}end\n`);
  });

  it('a name with shell metacharacters stays inert in guest-setup.sh', async () => {
    const name = `it's $(reboot) \`x\` "q"; rm -rf /`;
    const r = await planAssociations({ ...WHITE_PAPER_PLAN, queues: [{ apqn: '16.001e', mode: 'EP11', mkvp: MKVP, name }] }, { baseDir: SAMPLES });
    const script = text(r, 'guest-setup.sh');
    const dir = mkdtempSync(join(tmpdir(), 'se-plan-sh-'));
    writeFileSync(join(dir, 's.sh'), script);
    expect(spawnSync('bash', ['-n', join(dir, 's.sh')]).status).toBe(0);
    // the quoted word evaluates back to the name
    const line = script.split('\n').find((l) => l.startsWith("add_request '")) as string;
    const echoed = spawnSync('bash', ['-c', `f() { printf '%s' "$3"; }; f ${line.slice('add_request '.length)}`], { encoding: 'utf8' });
    expect(echoed.stdout).toBe(name);
  });
});
