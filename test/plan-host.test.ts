/**
 * The KVM host's files of a plan: host-setup.sh run by bash against stand-ins for chzdev
 * and mdevctl (test/fixtures/fake-host.sh) over a sysfs-like tree, and the libvirt hostdev
 * element read by Python's XML parser. No s390x host runs here.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mdevUuidFor, PLAN_FILES, type PlanResult } from '../src/plan/index.js';
import type { AssociationPlan } from '../src/plan/validate.js';
import { planAssociations } from './helpers/api.js';
import { SAMPLE_MKVP, samplePlan } from './helpers/plans.js';
import { SAMPLES } from './helpers/samples.js';
import { standInHost, writePlanFiles } from './helpers/stand-ins.js';

/** EP11 on 16.001e and 17.0005: the matrix 16,17 × 0005,001e also holds 16.0005 and 17.001e. */
const PLAN: AssociationPlan = samplePlan([
  { apqn: '16.001e', mode: 'EP11', mkvp: `0x${SAMPLE_MKVP}` },
  { apqn: '17.0005', mode: 'EP11', mkvp: '0x00112233445566778899aabbccddeeff' },
]);
const GRID = '16.0005 16.001e 17.0005 17.001e';

/** A stand-in KVM host with the plan's files; `run(...args)` runs host-setup.sh. */
function host(result: PlanResult, o: { chzdev?: boolean } = {}) {
  const h = standInHost(o);
  writePlanFiles(result, h.out);
  return { ...h, run: (...args: string[]) => h.run(PLAN_FILES.hostSetup, ...args) };
}

describe('host-setup.sh and <guest>-hostdev.xml', () => {
  it('warns about the extra queues of the matrix; the UUID is name-based, the same on every run, and in the manifest and the XML', async () => {
    const r = await planAssociations(PLAN, { baseDir: SAMPLES });
    expect(r.warnings).toContain(
      'the AP matrix of adapters 16, 17 × domains 0005, 001e also gives the guest 16.0005, 17.001e, which the plan does not list (the KVM host assigns whole adapters and domains)',
    );
    const uuid = r.manifest.host.mdevUuid;
    expect(uuid).toBe(mdevUuidFor('seguest'));
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await planAssociations(PLAN, { baseDir: SAMPLES })).manifest.host.mdevUuid).toBe(uuid);
    expect(mdevUuidFor('otherguest')).not.toBe(uuid);
    expect(r.manifest.host).toEqual({
      mdevUuid: uuid,
      adapters: ['16', '17'],
      domains: ['0005', '001e'],
      controlDomains: ['0005', '001e'],
      extraQueues: ['16.0005', '17.001e'],
    });

    const h = host(r);
    expect(spawnSync('bash', ['-n', join(h.out, 'host-setup.sh')]).status).toBe(0);
    const xml = spawnSync(
      'python3',
      [
        '-c',
        'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); a = r.find("source/address"); print(r.tag, r.get("mode"), r.get("type"), r.get("model"), a.get("uuid"), len(list(r)))',
        join(h.out, 'seguest-hostdev.xml'),
      ],
      { encoding: 'utf8' },
    );
    expect(xml.stderr).toBe('');
    expect(xml.stdout).toBe(`hostdev subsystem mdev vfio-ap ${uuid} 1\n`);
    const script = readFileSync(join(h.out, 'host-setup.sh'), 'utf8');
    expect(script).toContain(`uuid=${uuid}\n`);
    expect(script).toContain(`apqns="${GRID}"\n`);
  });

  it('--dry-run prints what it would do and changes nothing', async () => {
    const h = host(await planAssociations(PLAN, { baseDir: SAMPLES }));
    const r = h.run('--dry-run');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const uuid = mdevUuidFor('seguest');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('+ '))).toEqual([
      '+ chzdev -t ap apmask=-0x16,-0x17 aqmask=-0x05,-0x1e',
      `+ mdevctl define --uuid ${uuid} --parent matrix --type vfio_ap-passthrough --auto`,
      `+ mdevctl modify --uuid ${uuid} --addattr=assign_adapter --value=0x16`,
      `+ mdevctl modify --uuid ${uuid} --addattr=assign_adapter --value=0x17`,
      `+ mdevctl modify --uuid ${uuid} --addattr=assign_domain --value=0x05`,
      `+ mdevctl modify --uuid ${uuid} --addattr=assign_domain --value=0x1e`,
      `+ mdevctl modify --uuid ${uuid} --addattr=assign_control_domain --value=0x05`,
      `+ mdevctl modify --uuid ${uuid} --addattr=assign_control_domain --value=0x1e`,
      `+ mdevctl start --uuid ${uuid}`,
    ]);
    expect(
      h
        .read('calls.log')
        ?.split('\n')
        .filter((l) => l && !l.startsWith('mdevctl list')),
    ).toEqual([]);
    expect(h.read('sys/bus/ap/apmask')).toBeUndefined();
  });

  it('with chzdev: masks, a persistent auto-start device with the planned matrix; a re-run changes nothing', async () => {
    const h = host(await planAssociations({ ...PLAN, controlDomains: ['0x1e', '1f'] }, { baseDir: SAMPLES }));
    const uuid = mdevUuidFor('seguest');
    const r = h.run();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`ok: mediated device ${uuid} holds ${GRID}\n`);
    expect(r.stdout).toContain('next: virsh attach-device DOMAIN seguest-hostdev.xml --config');
    expect(h.read('sys/bus/ap/apmask')).toBe('-0x16,-0x17\n');
    expect(h.read('sys/bus/ap/aqmask')).toBe('-0x05,-0x1e\n');
    const defined = h.read(`mdevctl.d/matrix/${uuid}`);
    expect(defined).toBe(
      'start=auto\nassign_adapter=0x16\nassign_adapter=0x17\nassign_domain=0x05\nassign_domain=0x1e\nassign_control_domain=0x1e\nassign_control_domain=0x1f\n',
    );
    const again = h.run();
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`mediated device ${uuid} is already defined\n`);
    expect(again.stdout).toContain(`mediated device ${uuid} is already active\n`);
    expect(h.read(`mdevctl.d/matrix/${uuid}`)).toBe(defined);
  });

  it('without chzdev it writes the AP bus masks; it refuses queues another device holds, and a device defined otherwise', async () => {
    const result = await planAssociations({ ...PLAN, mdevUuid: '0B3C2A6E-1111-4222-8333-444455556666' }, { baseDir: SAMPLES });
    expect(result.manifest.host.mdevUuid).toBe('0b3c2a6e-1111-4222-8333-444455556666');
    const h = host(result, { chzdev: false });
    const r = h.run();
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('+ echo -0x16,-0x17 > ');
    expect(h.read('sys/bus/ap/apmask')).toBe('-0x16,-0x17\n');
    expect(h.read('sys/bus/ap/aqmask')).toBe('-0x05,-0x1e\n');

    const taken = host(result);
    mkdirSync(join(taken.sys, 'devices/vfio_ap/matrix/other'));
    writeFileSync(join(taken.sys, 'devices/vfio_ap/matrix/other/matrix'), '18.0001\n17.001e\n');
    const refused = taken.run();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe('host-setup: queue 17.001e already belongs to mediated device other (stop or change that device first)\n');
    expect(taken.read('sys/bus/ap/apmask')).toBeUndefined();

    const other = host(
      await planAssociations({ ...PLAN, queues: [PLAN.queues[0] as (typeof PLAN.queues)[0]], mdevUuid: result.manifest.host.mdevUuid }, { baseDir: SAMPLES }),
    );
    expect(other.run().status).toBe(0);
    writeFileSync(join(other.out, 'host-setup.sh'), result.files.find((f) => f.path === 'host-setup.sh')?.bytes as Uint8Array);
    const changed = other.run();
    expect(changed.status).toBe(1);
    expect(changed.stderr).toMatch(
      /^host-setup: mediated device 0b3c2a6e-1111-4222-8333-444455556666 is defined with other attributes \(assign_adapter=22 .*; remove it first: mdevctl undefine --uuid 0b3c2a6e-/,
    );
  });
});
