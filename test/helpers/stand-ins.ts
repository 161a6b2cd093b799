/**
 * Stand-ins for the two machines a plan's scripts run on, where no s390x is at hand:
 * an SE guest (pvsecret, lszcrypt, chzcrypt, pvapconfig: test/fixtures/fake-guest.sh)
 * and a KVM host (chzdev, mdevctl: test/fixtures/fake-host.sh), each a temporary folder
 * with the tools first on PATH and a sysfs-like tree as SYSFS_ROOT. The plan's files go
 * to `out/` inside it; scripts run by bash with `env`, in `dir`.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlanResult } from '../../src/plan/index.js';
import { type HostKey, hostKeysFromDocuments } from '../../src/request/host-key.js';
import { parseSeHeader } from './api.js';
import { SAMPLE_MKVP } from './plans.js';
import { sample } from './samples.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** Puts `tool` first on PATH in `bin`, as a call of the stand-in script `fake`. */
function standIn(bin: string, fake: string, tool: string): void {
  writeFileSync(join(bin, tool), `#!/bin/sh\nexec bash "${join(FIXTURES, fake)}" ${tool} "$@"\n`);
  chmodSync(join(bin, tool), 0o755);
}

/** The non-secret files of a plan, written to `out` with their modes, as copied to a machine. */
export function writePlanFiles(result: PlanResult, out: string): void {
  for (const f of result.files) if (!f.secret) writeFileSync(join(out, f.path), f.bytes, { mode: f.mode ?? 0o644 });
}

export type QueueMode = 'EP11' | 'Accel';

export interface StandInGuest {
  dir: string;
  /** `dir/out`, where the plan's files go. */
  out: string;
  env: NodeJS.ProcessEnv;
  attr(q: string, a: string): string;
  store(): { index: number; type: number; id: string }[];
  log(): string[];
  /** Runs `out/<script> ...args` by bash in `dir`. */
  run(script: string, ...args: string[]): SpawnSyncReturns<string>;
}

/**
 * An SE guest with the given AP queues, all unbound and unassociated (EP11 ones with
 * master key `mkvp`), on sample host `hostKey` (default 2) and the sample SE image;
 * its ultravisor store holds `stored` (lines "<index> <type> <hex id>").
 */
export function standInGuest(o: {
  queues: readonly (readonly [string, QueueMode])[];
  mkvp?: string;
  illicit?: string;
  hostKey?: 1 | 2;
  stored?: readonly string[];
}): StandInGuest {
  const dir = mkdtempSync(join(tmpdir(), 'se-guest-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const tool of ['pvsecret', 'lszcrypt', 'chzcrypt', 'pvapconfig']) standIn(bin, 'fake-guest.sh', tool);
  const mkvp = o.mkvp ?? SAMPLE_MKVP;
  const sys = join(dir, 'sys');
  for (const [q, mode] of o.queues) {
    const qd = join(sys, 'bus/ap/devices', `card${q.slice(0, 2)}`, q);
    mkdirSync(qd, { recursive: true });
    writeFileSync(join(qd, 'se_bind'), 'unbound\n');
    writeFileSync(join(qd, 'se_associate'), 'unassociated\n');
    writeFileSync(join(qd, 'fake_mode'), `${mode}\n`);
    if (mode === 'EP11') writeFileSync(join(qd, 'fake_mkvp'), `${mkvp}\n`);
    if (mode === 'EP11') writeFileSync(join(qd, 'mkvps'), `WK CUR: valid 0x${mkvp}${'00'.repeat(16)}\nWK NEW: empty -\n`);
    if (o.illicit === q) writeFileSync(join(qd, 'fake_illicit'), '1\n');
  }
  const storeFile = join(dir, 'uv-store');
  writeFileSync(storeFile, (o.stored ?? []).map((l) => `${l}\n`).join(''));
  const out = join(dir, 'out');
  mkdirSync(out);
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    SYSFS_ROOT: sys,
    FAKE_UV_STORE: storeFile,
    FAKE_LOG: join(dir, 'calls.log'),
    FAKE_HOST_KEY_HASH: Buffer.from((hostKeysFromDocuments([sample(`HKD-sample-${o.hostKey ?? 2}.crt`)])[0] as HostKey).hash).toString('hex'),
    FAKE_SE_HEADER_TAG: Buffer.from(parseSeHeader(sample('sample-se.img')).tag).toString('hex'),
  };
  return {
    dir,
    out,
    env,
    attr: (q, a) => readFileSync(join(sys, 'bus/ap/devices', `card${q.slice(0, 2)}`, q, a), 'utf8').trim(),
    store: () =>
      readFileSync(storeFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' '))
        .map(([index, type, id]) => ({ index: Number(index), type: Number(type), id: id as string })),
    log: () => readFileSync(env.FAKE_LOG, 'utf8').trim().split('\n'),
    run: (script, ...args) => spawnSync('bash', [join(out, script), ...args], { env, cwd: dir, encoding: 'utf8' }),
  };
}

export interface StandInHost {
  dir: string;
  sys: string;
  /** `dir/out`, where the plan's files go. */
  out: string;
  env: NodeJS.ProcessEnv;
  /** Runs `out/<script> ...args` by bash in `dir`. */
  run(script: string, ...args: string[]): SpawnSyncReturns<string>;
  /** A file under `dir`, or undefined when absent. */
  read(p: string): string | undefined;
}

/** A KVM host with mdevctl and (unless `chzdev: false`) chzdev, no mediated device yet. */
export function standInHost(o: { chzdev?: boolean } = {}): StandInHost {
  const dir = mkdtempSync(join(tmpdir(), 'se-host-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const tool of o.chzdev === false ? ['mdevctl'] : ['mdevctl', 'chzdev']) standIn(bin, 'fake-host.sh', tool);
  const sys = join(dir, 'sys');
  mkdirSync(join(sys, 'bus/ap'), { recursive: true });
  mkdirSync(join(sys, 'devices/vfio_ap/matrix'), { recursive: true });
  const out = join(dir, 'out');
  mkdirSync(out);
  const env = { PATH: `${bin}:/usr/bin:/bin`, SYSFS_ROOT: sys, FAKE_MDEVCTL_DIR: join(dir, 'mdevctl.d'), FAKE_LOG: join(dir, 'calls.log') };
  return {
    dir,
    sys,
    out,
    env,
    run: (script, ...args) => spawnSync('bash', [join(out, script), ...args], { env, cwd: dir, encoding: 'utf8' }),
    read: (p) => (existsSync(join(dir, p)) ? readFileSync(join(dir, p), 'utf8') : undefined),
  };
}
