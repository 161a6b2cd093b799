/**
 * The guest session: guest-setup.sh from a real plan, run by bash against stand-ins for
 * pvsecret, lszcrypt, chzcrypt and pvapconfig (test/fixtures/fake-guest.sh) that keep
 * sysfs-like state and check each request like the ultravisor would (bound to this
 * guest's SE header, a key slot for this host). No SE guest runs here; the stand-ins
 * follow s390-tools 2.43's output formats.
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAN_FILES, type PlanResult } from '../src/plan/index.js';
import type { AssociationPlan } from '../src/plan/validate.js';
import { planAssociations } from './helpers/api.js';
import { SAMPLE_MKVP, samplePlan, WHITE_PAPER_QUEUES } from './helpers/plans.js';
import { SAMPLES } from './helpers/samples.js';
import { type QueueMode, type StandInGuest, standInGuest, writePlanFiles } from './helpers/stand-ins.js';

const MKVP = SAMPLE_MKVP;
const idOf = (name: string) => createHash('sha256').update(name).digest('hex');

const PLAN: AssociationPlan = samplePlan([...WHITE_PAPER_QUEUES, { apqn: '18.0005', mode: 'Accel' }]);

type Guest = StandInGuest;

/** A guest with AP queues 16.001e, 17.001e (EP11) and 18.0005 (Accel), all unbound, and one unrelated secret stored. */
function guest(result: PlanResult, o: { illicit?: string; hostKey?: 1 | 2; extra?: readonly (readonly [string, QueueMode])[] } = {}): Guest {
  const g = standInGuest({
    queues: [['16.001e', 'EP11'], ['17.001e', 'EP11'], ['18.0005', 'Accel'], ...(o.extra ?? [])],
    mkvp: MKVP,
    stored: [`0 6 ${idOf('some aes key')}`],
    ...(o.illicit ? { illicit: o.illicit } : {}),
    ...(o.hostKey ? { hostKey: o.hostKey } : {}),
  });
  writePlanFiles(result, g.out);
  return g;
}

function runScript(g: Guest, ...args: string[]) {
  return g.run(PLAN_FILES.guestSetup, ...args);
}

describe('guest-setup.sh in a (simulated) SE guest', () => {
  it('adds the requests, binds and associates by secret index, and ends with every queue usable; a second run changes nothing', async () => {
    const g = guest(await planAssociations(PLAN, { baseDir: SAMPLES }));
    const r = runScript(g);
    expect(r.stderr).toBe('Successfully added the secret\nSuccessfully added the secret\n');
    expect(r.status).toBe(0);
    const store = g.store();
    const index = (name: string) => store.find((e) => e.id === idOf(name))?.index;
    expect(store.map((e) => e.index)).toEqual([0, 1, 2]);
    expect(index('seguest-16.001e')).toBe(1);
    expect(index('seguest-17.001e')).toBe(2);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('+ ') || l.startsWith('ok:'))).toEqual([
      '+ pvsecret add request-16.001e.bin',
      '+ pvsecret add request-17.001e.bin',
      '+ chzcrypt --se-bind 16.001e',
      '+ chzcrypt --se-associate 1 16.001e',
      '+ chzcrypt --se-bind 17.001e',
      '+ chzcrypt --se-associate 2 17.001e',
      '+ chzcrypt --se-bind 18.0005',
      'ok: queue 16.001e is usable',
      'ok: queue 17.001e is usable',
      'ok: queue 18.0005 is usable',
    ]);
    expect(r.stdout).toMatch(/\n16\.001e +CEX8P EP11-Coproc .* usable\n/); // the lszcrypt -V table
    expect(g.attr('16.001e', 'se_associate')).toBe('associated 1');
    expect(g.attr('17.001e', 'se_associate')).toBe('associated 2');
    expect(g.attr('18.0005', 'se_bind')).toBe('bound');

    const again = runScript(g);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`secret seguest-16.001e (0x${idOf('seguest-16.001e')}) is already in the secret store; not adding it again\n`);
    expect(again.stdout).toContain('queue 17.001e is already associated with secret index 2\n');
    expect(again.stdout).toContain('queue 18.0005 is already bound\n');
    expect(g.store()).toHaveLength(3);
  });

  it('--pvapconfig hands binding and association to pvapconfig with pvapconfig.yaml', async () => {
    const g = guest(await planAssociations(PLAN, { baseDir: SAMPLES }));
    const r = runScript(g, '--pvapconfig');
    expect(r.status).toBe(0);
    expect(g.log().filter((l) => l.startsWith('pvapconfig') || l.startsWith('chzcrypt'))).toEqual([
      `pvapconfig --config ${g.out}/pvapconfig.yaml --strict --verbose`,
    ]);
    expect(g.attr('16.001e', 'se_associate')).toMatch(/^associated [12]$/);
    expect(g.attr('17.001e', 'se_associate')).toMatch(/^associated [12]$/);
    expect(g.attr('16.001e', 'se_associate')).not.toBe(g.attr('17.001e', 'se_associate'));
    expect(r.stdout).toContain('ok: queue 18.0005 is usable\n');
  });

  it('stops with a clear message on an illicit queue', async () => {
    const g = guest(await planAssociations(PLAN, { baseDir: SAMPLES }), { illicit: '17.001e' });
    const r = runScript(g);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      "guest-setup: queue 17.001e is illicit: it is not available to this SE guest (check the guest's AP configuration on the host)\n",
    );
    expect(g.attr('16.001e', 'se_associate')).toBe('associated 1');
  });

  it('stops when the ultravisor refuses a request (built for another image, or not for this host)', async () => {
    const g = guest(await planAssociations(PLAN, { baseDir: SAMPLES }));
    g.env.FAKE_SE_HEADER_TAG = '00'.repeat(16);
    const r = runScript(g);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('error: Ultravisor call returned an error: the request is not for this guest\n');
    expect(g.store()).toHaveLength(1);
    expect(g.attr('16.001e', 'se_bind')).toBe('unbound');
    const h = guest(await planAssociations({ ...PLAN, hostKeyDocuments: ['HKD-sample-1.crt'] }, { baseDir: SAMPLES }), { hostKey: 2 });
    const other = runScript(h);
    expect(other.status).not.toBe(0);
    expect(other.stderr).toContain('error: Ultravisor call returned an error: no key slot for this host\n');
  });

  it('the final lszcrypt check fails when a queue did not become usable (planned Accel, really EP11)', async () => {
    const g = guest(await planAssociations(PLAN, { baseDir: SAMPLES }));
    writeFileSync(join(g.env.SYSFS_ROOT as string, 'bus/ap/devices/card18/18.0005/fake_mode'), 'EP11\n');
    const r = runScript(g);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('+ chzcrypt --se-bind 18.0005\n');
    expect(r.stdout).toContain('ok: queue 17.001e is usable\n');
    expect(r.stderr).toContain('guest-setup: queue 18.0005 is bound, not usable\n');
  });

  it('pvapconfig --strict failing stops the script', async () => {
    const g = guest(await planAssociations(PLAN, { baseDir: SAMPLES }));
    writeFileSync(join(g.env.SYSFS_ROOT as string, 'bus/ap/devices/card18/18.0005/fake_mode'), 'EP11\n');
    const r = runScript(g, '--pvapconfig');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Strict flag given and only 2 out of 3 AP config entries have been applied.\n');
    expect(r.stdout).not.toContain('ok: queue');
  });

  it('illicit queues the plan does not know: reported with the remedy (exit 1); --offline-illicit takes exactly those offline', async () => {
    const result = await planAssociations(PLAN, { baseDir: SAMPLES });
    const extra = [['19.0007', 'Accel'] as const, ['1a.0007', 'Accel'] as const];
    const g = guest(result, { extra, illicit: '19.0007' });
    writeFileSync(join(g.env.SYSFS_ROOT as string, 'bus/ap/devices/card1a/1a.0007/fake_illicit'), '1\n');
    const r = runScript(g);
    expect(r.status).toBe(1);
    for (const q of ['19.0007', '1a.0007']) {
      expect(r.stderr).toContain(
        `guest-setup: queue ${q} is illicit and not in the plan; illicit queues hang the AP work of the guest: take it offline (chzcrypt -d ${q}, or run ./guest-setup.sh --offline-illicit) or remove it from the guest's mediated device on the KVM host\n`,
      );
    }
    expect(r.stderr).toContain('guest-setup: illicit queues not in the plan: 19.0007 1a.0007 (see above)\n');
    expect(r.stdout).toContain('ok: queue 16.001e is usable\nok: queue 17.001e is usable\nok: queue 18.0005 is usable\n');

    const h = guest(result, { extra, illicit: '19.0007' });
    const off = runScript(h, '--offline-illicit');
    expect(off.stderr).toBe('Successfully added the secret\nSuccessfully added the secret\n');
    expect(off.status).toBe(0);
    expect(off.stdout).toContain('+ chzcrypt -d 19.0007\n');
    expect(h.log().filter((l) => l.startsWith('chzcrypt -d'))).toEqual(['chzcrypt -d 19.0007']); // per queue, never the adapter
    expect(h.attr('19.0007', 'online')).toBe('0');
    expect(off.stdout).toMatch(/\n19\.0007 +CEX8A Accelerator offline /);
  });

  it('--pvapconfig: two EP11 domains of one adapter with the same MKVP stop the script before pvapconfig runs', async () => {
    const g = guest(await planAssociations(PLAN, { baseDir: SAMPLES }), { extra: [['16.0020', 'EP11']] });
    const r = runScript(g, '--pvapconfig');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'guest-setup: queues 16.001e and 16.0020 are EP11 domains of one adapter with the same MKVP: pvapconfig refuses to run (give each domain its own master key, or run ./guest-setup.sh without --pvapconfig to bind with chzcrypt)\n',
    );
    expect(g.log().filter((l) => l.startsWith('pvapconfig'))).toEqual([]);
    // the stand-in's pvapconfig itself refuses the same setup, as check_mk_restriction does
    const direct = spawnSync('pvapconfig', ['--config', join(g.out, 'pvapconfig.yaml')], { env: g.env, encoding: 'utf8' });
    expect(direct.status).toBe(1);
    expect(direct.stderr).toBe('APQN 16.001e and APQN 16.0020 have same MPVK\n');
  });
});

describe('guest-setup.sh with every pvsecret list format (s390-tools 2.29 to 2.43)', () => {
  const cases = [
    { version: '2.29', yaml: true },
    { version: '2.29', yaml: false },
    { version: '2.37', yaml: false },
    { version: '2.43', yaml: true },
  ] as const;
  it.each(cases)('pvsecret $version, YAML list $yaml: every planned queue usable; a re-run adds nothing twice', async ({ version, yaml }) => {
    const g = guest(await planAssociations(PLAN, { baseDir: SAMPLES }));
    g.env.FAKE_PVSECRET_VERSION = version;
    if (!yaml) g.env.FAKE_PVSECRET_NO_YAML = '1';
    const list = spawnSync('pvsecret', ['list'], { env: g.env, encoding: 'utf8' }).stdout;
    expect(list).toBe(`Total number of secrets: 1\n\n0 ${version === '2.29' ? 'Unknown 6:\n  ' : 'Unknown(6):\n 0x'}${idOf('some aes key')}\n`);
    writeFileSync(g.env.FAKE_LOG as string, '');
    const r = runScript(g);
    expect(r.stderr).toBe('Successfully added the secret\nSuccessfully added the secret\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('+ chzcrypt --se-associate 1 16.001e\n+ chzcrypt --se-bind 17.001e\n+ chzcrypt --se-associate 2 17.001e\n');
    expect(r.stdout).toContain('ok: queue 16.001e is usable\nok: queue 17.001e is usable\nok: queue 18.0005 is usable\n');
    // the YAML list first; the human one only when that fails
    const lists = new Set(g.log().filter((l) => l.startsWith('pvsecret list')));
    expect(lists).toEqual(new Set(yaml ? ['pvsecret list --format yaml'] : ['pvsecret list --format yaml', 'pvsecret list']));
    const again = runScript(g);
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`secret seguest-17.001e (0x${idOf('seguest-17.001e')}) is already in the secret store; not adding it again\n`);
    expect(again.stdout).toContain('queue 16.001e is already associated with secret index 1\n');
    expect(g.store()).toHaveLength(3); // this pvsecret would have stored a duplicate id
  });
});
