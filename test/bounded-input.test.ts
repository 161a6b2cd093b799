/**
 * Bounded reading of everything a user hands in (issue 11 §3): devices and oversized
 * inputs are refused promptly with a typed error naming the file, pipes keep working,
 * YAML has a size cap and a linear duplicate-key check. Real files, real FIFOs, the
 * CLI run in-process through `main(argv, streams)` (and once through bash, for `<(…)`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, copyFileSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { MAX_YAML_SIZE } from '../src/internal/yaml-read.js';
import { readBatchFile } from '../src/node/batch-file.js';
import { INPUT_CAPS, readInputFile } from '../src/node/input.js';
import { readSeHeader } from '../src/node/read-se-header.js';
import { parseAssociationPlan } from '../src/plan/parse.js';

const SAMPLES = resolve(import.meta.dirname, '../samples');
const root = mkdtempSync(join(tmpdir(), 'se-bounded-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dir = () => mkdtempSync(join(root, `t${n++}-`));

/** Runs the CLI in-process; stdout and stderr captured as text. */
async function run(argv: string[], cwd?: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const was = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await main(argv, {
      out: async (c) => void out.push(typeof c === 'string' ? c : Buffer.from(c).toString('latin1')),
      err: (l) => void err.push(`${l}\n`),
    });
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.chdir(was);
  }
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code,
  );

/** A FIFO fed by `sh -c CMD > fifo` in the background. */
function fifo(cmd: string): { path: string; done: Promise<void> } {
  const path = join(dir(), 'fifo');
  execFileSync('mkfifo', [path]);
  const child = spawn('sh', ['-c', `${cmd} > '${path}' 2>/dev/null`], { stdio: 'ignore' });
  return { path, done: new Promise((r) => child.on('close', () => r())) };
}

describe('readInputFile: the one reader', () => {
  it('refuses character devices and directories before reading, naming the file', async () => {
    const t = Date.now();
    const e = await readInputFile('/dev/zero', { label: 'host-key document' }).catch((x) => x);
    expect(e.code).toBe('ERR_FILE');
    expect(e.message).toBe("cannot read host-key document '/dev/zero': is a device (only files and pipes are read)");
    expect(Date.now() - t).toBeLessThan(1000);
    const d = await readInputFile(SAMPLES, { label: 'CRL' }).catch((x) => x);
    expect(d.message).toBe(`cannot read CRL '${SAMPLES}': is a directory`);
    expect(await codeOf(readSeHeader('/dev/zero'))).toBe('ERR_FILE');
  });

  it('refuses a huge (sparse) file from its size, without reading it', async () => {
    const p = join(dir(), 'huge.crt');
    const fd = openSync(p, 'w');
    ftruncateSync(fd, 5 * 1024 ** 3);
    closeSync(fd);
    const t = Date.now();
    const e = await readInputFile(p, { label: 'certificate' }).catch((x) => x);
    expect(e.code).toBe('ERR_INPUT_TOO_LARGE');
    expect(e.message).toBe(`certificate '${p}' is too large (${5 * 1024 ** 3} bytes; at most ${INPUT_CAPS.file})`);
    expect(Date.now() - t).toBeLessThan(1000);
  });

  it('reads pipes, and stops a pipe that runs on one byte past the cap', async () => {
    const good = fifo(`cat '${join(SAMPLES, 'HKD-sample-1.crt')}'`);
    expect(await readInputFile(good.path)).toEqual(new Uint8Array(readFileSync(join(SAMPLES, 'HKD-sample-1.crt'))));
    await good.done;
    const endless = fifo('cat /dev/zero');
    const e = await readInputFile(endless.path, { label: 'CRL', maxSize: 1024 * 1024 }).catch((x) => x);
    expect(e.code).toBe('ERR_INPUT_TOO_LARGE');
    expect(e.message).toBe(`CRL '${endless.path}' is too large (more than 1048576 bytes; at most 1048576)`);
    await endless.done; // the writer gets SIGPIPE once the reader closed
  });

  it('reads exactly the cap, and refuses one byte more', async () => {
    const p = join(dir(), 'f');
    writeFileSync(p, Buffer.alloc(100, 7));
    expect((await readInputFile(p, { maxSize: 100 })).length).toBe(100);
    expect(await codeOf(readInputFile(p, { maxSize: 99 }))).toBe('ERR_INPUT_TOO_LARGE');
  });
});

describe('every CLI input goes through it', () => {
  const K = join(SAMPLES, 'HKD-sample-1.crt');
  const H = join(SAMPLES, 'sample.hdr');
  const create = (...extra: string[]) => ['create', '-k', K, '--hdr', H, '-o', join(dir(), 'r.bin'), '--no-verify', ...extra];
  it.each([
    ['-k', ['create', '-k', '/dev/zero', '--hdr', H, '-o', 'r', '--no-verify', 'meta'], 'host-key document'],
    ['--hdr', ['create', '-k', K, '--hdr', '/dev/zero', '-o', 'r', '--no-verify', 'meta'], 'SE header'],
    ['-C', ['create', '-k', K, '--hdr', H, '-o', 'r', '-C', '/dev/zero', 'meta'], 'certificate'],
    ['--crl', ['create', '-k', K, '--hdr', H, '-o', 'r', '-C', K, '--crl', '/dev/zero', 'meta'], 'CRL'],
    ['--cuid', create('--cuid', '/dev/zero', 'meta'), 'CUID file'],
    ['--input-secret', create('association', 'n', '--input-secret', '/dev/zero'), 'association secret'],
    ['verify-hkd -k', ['verify-hkd', '--no-verify', '-k', '/dev/zero'], 'host-key document'],
    ['diff', ['diff', '/dev/zero', K], ''],
    ['decrypt --host-key-private', ['decrypt', K, '--host-key-private', '/dev/zero'], ''],
    ['plan', ['plan', '/dev/zero', '-o', 'out'], 'plan'],
    ['create --batch', ['create', '--batch', '/dev/zero'], 'batch file'],
  ])('%s /dev/zero is refused at once, naming the file', async (_, argv, label) => {
    const t = Date.now();
    const r = await run(argv as string[], dir());
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(`cannot read ${label ? `${label} ` : ''}'/dev/zero': is a device`);
    expect(Date.now() - t).toBeLessThan(5000);
  });

  it('files a plan or batch names are read by the same reader', async () => {
    const d = dir();
    for (const f of ['sample.hdr', 'HKD-sample-1.crt']) copyFileSync(join(SAMPLES, f), join(d, f));
    writeFileSync(
      join(d, 'plan.yaml'),
      `guest: g\nhdr: sample.hdr\nhostKeyDocuments: [/dev/zero]\nnoVerify: true\nqueues: [{apqn: '16.001e', mode: EP11, mkvp: '0x5a3ff2a8d3e1c4b79ad0e6f1c2b38475'}]\n`,
    );
    const p = await run(['plan', 'plan.yaml', '-o', 'out'], d);
    expect(p.err).toMatch(/cannot read '\/dev\/zero': is a device/);
    writeFileSync(join(d, 'b.yaml'), `- {output: x.bin, hdr: sample.hdr, hostKeyDocuments: [/dev/zero], noVerify: true, secret: {type: meta}}\n`);
    expect(await codeOf(readBatchFile(join(d, 'b.yaml')))).toBe('ERR_FILE');
  });

  it('an input read at offsets (inspect, --hdr) says a pipe cannot be read so; `-` is a file, not standard input', async () => {
    const hdr = join(SAMPLES, 'sample.hdr');
    const p = fifo(`cat '${hdr}'`);
    const i = await run(['inspect', p.path]);
    expect(i.code).toBe(1);
    expect(i.err).toBe(`se-secrets: error: cannot read '${p.path}': is a pipe (this input must be a file that can be read at any offset)\n`);
    await p.done;
    const q = fifo(`cat '${hdr}'`);
    const c = await run(['create', '-k', K, '--hdr', q.path, '--no-verify', '-o', join(dir(), 'r.bin'), 'meta']);
    expect(c.err).toContain(`cannot read SE header '${q.path}': is a pipe (this input must be a file that can be read at any offset)`);
    await q.done;
    const d = dir();
    const dash = await run(['inspect', '-'], d);
    expect(dash.err).toBe("se-secrets: error: cannot read '-': no such file or directory (standard input is not read: give a file)\n");
    copyFileSync(hdr, join(d, '-'));
    expect((await run(['inspect', '-'], d)).out).toContain('Format:             SE header');
  });

  it('a pipe works as -k (bash process substitution)', () => {
    const d = dir();
    const cliMain = resolve(import.meta.dirname, '../dist/cli/main.js');
    const script = `node '${cliMain}' create -k <(cat '${K}') --hdr '${H}' -o '${join(d, 'r.bin')}' --no-verify meta`;
    execFileSync('bash', ['-c', script], { env: { ...process.env, SE_SECRETS_PROT_VIRT_GUEST_PATH: '/nonexistent' }, stdio: 'pipe' });
    expect(readFileSync(join(d, 'r.bin')).length).toBe(1352);
  });
});

describe('YAML inputs: a size cap, a linear duplicate-key check', () => {
  const keys = (count: number) => Array.from({ length: count }, (_, i) => `k${i}: v\n`).join('');

  it('a 200,000-key (2 MB) document is refused at once, from its size', async () => {
    const text = keys(200_000);
    expect(text.length).toBeGreaterThan(2_000_000);
    const t = Date.now();
    expect(() => parseAssociationPlan(new TextEncoder().encode(text))).toThrow(`plan: too large (${text.length} bytes; at most ${MAX_YAML_SIZE})`);
    expect(Date.now() - t).toBeLessThan(1000);
    const d = dir();
    writeFileSync(join(d, 'plan.yaml'), text);
    const r = await run(['plan', 'plan.yaml', '-o', 'out'], d);
    expect(r.err).toBe(`se-secrets: error: plan '${join(d, 'plan.yaml')}' is too large (${text.length} bytes; at most ${MAX_YAML_SIZE})\n`);
  });

  it('a 90,000-key document under the cap parses in linear time; a duplicate at its end is found', () => {
    const text = keys(90_000);
    expect(text.length).toBeLessThan(MAX_YAML_SIZE);
    const t = Date.now();
    // Parsed whole before the duplicate is seen (the yaml package's own check took minutes here).
    expect(() => parseAssociationPlan(`${text}k5: again\n`)).toThrow('plan: not valid YAML or JSON at line 90001 (duplicate key)');
    expect(Date.now() - t).toBeLessThan(30_000);
  });

  it('duplicate keys are still refused at every depth, quoted or not', () => {
    expect(() => parseAssociationPlan('guest: a\nguest: b\n')).toThrow('plan: not valid YAML or JSON at line 2 (duplicate key)');
    expect(() => parseAssociationPlan('q:\n  - {a: 1, "a": 2}\n')).toThrow('plan: not valid YAML or JSON at line 2 (duplicate key)');
    expect(() => parseAssociationPlan('{"a": {"b": 1, "c": 2}, "d": {"b": 1}}')).not.toThrow();
  });

  it('a --cuid YAML file is capped and checked the same way', async () => {
    const d = dir();
    writeFileSync(join(d, 'dup.yaml'), "cuid: '0x00000000000000000000000000000001'\ncuid: '0x00000000000000000000000000000002'\n");
    const K = join(SAMPLES, 'HKD-sample-1.crt');
    const base = ['create', '-k', K, '--hdr', join(SAMPLES, 'sample.hdr'), '-o', join(d, 'r.bin'), '--no-verify'];
    const dup = await run([...base, '--cuid', 'dup.yaml', 'meta'], d);
    expect(dup.err).toMatch(/--cuid 'dup.yaml': neither 16 raw bytes \(got \d+\) nor YAML \(line 2: duplicate key\)/);
    writeFileSync(join(d, 'big.yaml'), keys(200_000));
    const big = await run([...base, '--cuid', 'big.yaml', 'meta'], d);
    expect(big.err).toMatch(/CUID file 'big.yaml' is too large \(\d+ bytes; at most 1048576\)/);
  });
});
