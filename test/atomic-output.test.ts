/**
 * The one atomic output writer (src/node/output.ts) as `plan` uses it: all-or-nothing,
 * modes under the umask, secrets never inside the folder copied into the guest.
 * Real files in temp dirs; `plan` run in-process through `main(argv, streams)`.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { MODE_SECRET, Outputs, writeFilesAtomic } from '../src/node/output.js';

const SAMPLES = resolve(import.meta.dirname, '../samples');
const root = mkdtempSync(join(tmpdir(), 'se-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dir = () => mkdtempSync(join(root, `t${n++}-`));
const mode = (p: string) => statSync(p).mode & 0o777;

async function run(argv: string[], cwd: string): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const was = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(argv, { out: async () => undefined, err: (l) => void err.push(`${l}\n`) });
    return { code, err: err.join('') };
  } finally {
    process.chdir(was);
  }
}

function workspace(): string {
  const d = dir();
  for (const f of ['sample.hdr', 'HKD-sample-1.crt']) copyFileSync(join(SAMPLES, f), join(d, f));
  writeFileSync(
    join(d, 'plan.yaml'),
    'guest: g\nhdr: sample.hdr\nhostKeyDocuments: [HKD-sample-1.crt]\nnoVerify: true\nqueues:\n' +
      "  - {apqn: '16.001e', mode: EP11, mkvp: '0x5a3ff2a8d3e1c4b79ad0e6f1c2b38475'}\n" +
      "  - {apqn: '17.001e', mode: EP11, mkvp: '0x5a3ff2a8d3e1c4b79ad0e6f1c2b38475'}\n",
  );
  return d;
}

const snapshot = (d: string) =>
  Object.fromEntries(
    readdirSync(d)
      .sort()
      .map((f) => [f, readFileSync(join(d, f)).toString('hex')]),
  );

describe('plan writes all or nothing', () => {
  it('a secret file that cannot be written leaves the earlier requests as they were', async () => {
    const d = workspace();
    expect((await run(['plan', 'plan.yaml', '-o', 'out', '--output-secrets', 'secrets', '-q'], d)).code).toBe(0);
    const before = snapshot(join(d, 'out'));
    const secrets = readdirSync(join(d, 'secrets')).sort();
    expect(secrets.length).toBe(2);
    // The last secret file cannot be written: a directory stands in its place.
    const last = join(d, 'secrets', secrets[1] as string);
    unlinkSync(last);
    mkdirSync(last);
    const r = await run(['plan', 'plan.yaml', '-o', 'out', '--output-secrets', 'secrets'], d);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`cannot write association secret '.*${secrets[1]}': is a directory`));
    expect(snapshot(join(d, 'out'))).toEqual(before);
    // No temporary files left behind.
    expect(readdirSync(join(d, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(join(d, 'secrets')).sort()).toEqual(secrets);
  });

  it('refuses --output-secrets inside the output folder, also through a symbolic link', async () => {
    const d = workspace();
    const inside = await run(['plan', 'plan.yaml', '-o', 'out', '--output-secrets', 'out/secrets'], d);
    expect(inside.code).toBe(1);
    expect(inside.err).toMatch(/the secrets directory '.*out\/secrets' is inside the output directory '.*out', which is copied into the guest/);
    // Refused before anything is created: no output folder, no secrets folder inside it.
    expect(existsSync(join(d, 'out'))).toBe(false);
    mkdirSync(join(d, 'out', 'secrets'), { recursive: true });
    const existing = await run(['plan', 'plan.yaml', '-o', 'out', '--output-secrets', 'out/secrets/new'], d);
    expect(existing.err).toMatch(/is inside the output directory/);
    expect(readdirSync(join(d, 'out', 'secrets'))).toEqual([]);
    symlinkSync(join(d, 'out'), join(d, 'link'));
    const viaLink = await run(['plan', 'plan.yaml', '-o', 'out', '--output-secrets', 'link'], d);
    expect(viaLink.err).toMatch(/the secrets directory '.*link' is the output directory/);
    symlinkSync(join(d, 'out', 'secrets'), join(d, 'link2'));
    const viaLink2 = await run(['plan', 'plan.yaml', '-o', 'out', '--output-secrets', 'link2'], d);
    expect(viaLink2.err).toMatch(/is inside the output directory/);
    expect(readdirSync(join(d, 'out'))).toEqual(['secrets']);
  });

  it('modes are set at creation and honour the umask', async () => {
    const d = workspace();
    const old = process.umask(0o027);
    try {
      expect((await run(['plan', 'plan.yaml', '-o', 'out', '--output-secrets', 'secrets', '-q'], d)).code).toBe(0);
    } finally {
      process.umask(old);
    }
    expect(mode(join(d, 'out', 'guest-setup.sh'))).toBe(0o750);
    expect(mode(join(d, 'out', 'manifest.json'))).toBe(0o640);
    expect(mode(join(d, 'secrets'))).toBe(0o700);
    for (const f of readdirSync(join(d, 'secrets'))) expect(mode(join(d, 'secrets', f))).toBe(0o600);
  });
});

describe('Outputs', () => {
  it('refuses two outputs that lead to the same file (through a link too), naming both', async () => {
    const d = dir();
    writeFileSync(join(d, 'a'), 'old');
    symlinkSync(join(d, 'a'), join(d, 'b'));
    const o = new Outputs();
    await o.file(join(d, 'a'), 'x', 'add-secret request');
    const e = await o.file(join(d, 'b'), 'y', 'association secret', MODE_SECRET).catch((x) => x);
    await o.abort();
    expect(e.code).toBe('ERR_OUTPUT_CLASH');
    expect(e.message).toBe(`association secret and add-secret request would both be written to '${join(d, 'b')}'; choose different files`);
    expect(readdirSync(d).sort()).toEqual(['a', 'b']);
    expect(readFileSync(join(d, 'a'), 'utf8')).toBe('old');
  });

  it('writeFilesAtomic replaces a link target, writes a device in place, and names the file it cannot write', async () => {
    const d = dir();
    writeFileSync(join(d, 'target'), 'old');
    symlinkSync(join(d, 'target'), join(d, 'link'));
    await writeFilesAtomic([
      { path: join(d, 'link'), bytes: new Uint8Array([1]) },
      { path: '/dev/null', bytes: new Uint8Array([2]) },
    ]);
    expect(readFileSync(join(d, 'target'))).toEqual(Buffer.from([1]));
    const e = await writeFilesAtomic([{ path: join(d, 'nodir', 'x'), bytes: new Uint8Array(1), label: 'add-secret request' }]).catch((x) => x);
    expect(e.message).toBe(`cannot write add-secret request '${join(d, 'nodir', 'x')}': no such file or directory`);
  });
});
