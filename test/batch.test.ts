/**
 * Batch building: each certificate chain verified once, host-key match per request,
 * all-or-nothing output; the `create --batch` command on real files; the progress bar;
 * atomic file writes.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkHostKeyMatch } from '../src/cli/commands/host-match.js';
import { progressBar } from '../src/cli/progress.js';
import { HostPointCache } from '../src/crypto/host-point-cache.js';
import { nodeBackend } from '../src/crypto/node.js';
import { writeFilesAtomic } from '../src/node/files.js';
import { type BatchItem, createAddSecretRequestsWith } from '../src/request/batch.js';
import { verifyHostKeyDocuments } from '../src/certs/verify.js';
import { hostKeysFromDocuments } from '../src/request/host-key.js';
import type { VerifyHostKeyDocumentsFn } from '../src/request/verified-host-keys.js';
import { sealSeHeader } from './fixtures/se-image.js';
import { createAddSecretRequests, parseSeHeader } from './helpers/api.js';
import { runCli } from './helpers/cli.js';
import { openRequest } from './helpers/independent.js';
import { codeOf, hostPoint, hostScalar, SAMPLES, sample } from './helpers/samples.js';

const hkd1 = sample('HKD-sample-1.crt');
const hkd2 = sample('HKD-sample-2.crt');
const hdr = parseSeHeader(sample('sample-se.img'));
const sha256hex = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const oneHostHeader = () => sealSeHeader(nodeBackend, { hostKeys: [new Uint8Array(hostPoint(hkd1))], seed: 'one host' });

describe('createAddSecretRequests', () => {
  it('verifies each distinct chain once, for all the documents used with it', async () => {
    const calls: { docs: string[]; crls: number }[] = [];
    // the real verifier, counted
    const counting: VerifyHostKeyDocumentsFn = async (o) => {
      calls.push({ docs: o.hostKeyDocuments.map((d) => sha256hex(d)), crls: o.crls?.length ?? 0 });
      return verifyHostKeyDocuments(o);
    };
    const crls = [sample('ibm-z-host-key.crl'), sample('intermediate-ca.crl'), sample('root-ca.crl')];
    const chainA = {
      certificates: [sample('ibm-z-host-key-signing.crt'), sample('intermediate-ca.crt')],
      crls,
      rootCa: sample('root-ca.crt'),
      offline: true,
      now: new Date('2026-06-01T00:00:00Z'),
    };
    const chainB = { ...chainA, crls: [...crls, sample('root-ca.crl')] };
    const item = (name: string, docs: Uint8Array[], verify: BatchItem['verify']): BatchItem => ({
      secret: { type: 'association', name },
      seHeader: hdr,
      hostKeyDocuments: docs,
      verify,
    });
    const progress: [number, number][] = [];
    const { requests, warnings } = await createAddSecretRequestsWith(
      counting,
      [item('a', [hkd1], chainA), item('b', [hkd2], { ...chainA }), item('c', [hkd1, hkd2], chainA), item('d', [hkd1], chainB), item('e', [hkd2], false)],
      { backend: nodeBackend, onProgress: (d, t) => progress.push([d, t]) },
    );
    expect(calls).toEqual([
      { docs: [sha256hex(hkd1), sha256hex(hkd2)], crls: 3 },
      { docs: [sha256hex(hkd1)], crls: 4 },
    ]);
    expect(progress).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
    expect(warnings).toEqual(['batch entry 5: host-key verification is disabled; the secret may not be protected']);
    const hostOf = [1, 2, 2, 1, 2] as const; // a: hkd1, b: hkd2, c: both (slot 1 = hkd2), d: hkd1, e: hkd2
    expect(requests.map((r, i) => openRequest(r, hostScalar(hostOf[i] as 1 | 2)).secretId?.toString('hex'))).toEqual(
      ['a', 'b', 'c', 'd', 'e'].map((n) => sha256hex(n)),
    );
    expect(openRequest(requests[2] as Uint8Array, hostScalar(2)).slotIndex).toBe(1);
  });

  it('host-point tables belong to the batch: built in the cache it is given, none left behind in the process', async () => {
    const items = ['t1', 't2', 't3'].map((name): BatchItem => ({ secret: { type: 'association', name }, seHeader: hdr, hostKeyDocuments: [hkd1], verify: false }));
    const hostPointCache = new HostPointCache({ afterUses: 2, window: 2 });
    const held = await createAddSecretRequests(items, { backend: nodeBackend, hostPointCache });
    expect(hostPointCache.tables).toBe(1);
    // requests through the table open with the host's private key, as the others do
    expect(held.requests.map((r) => openRequest(r, hostScalar(1)).secretId?.toString('hex'))).toEqual(['t1', 't2', 't3'].map((n) => sha256hex(n)));
    // a second cache starts empty: nothing was kept outside the first one
    const fresh = new HostPointCache({ afterUses: 4, window: 2 });
    await createAddSecretRequests(items, { backend: nodeBackend, hostPointCache: fresh });
    expect(fresh.tables).toBe(0);
  });

  it('host keys missing from the SE header: a warning, or with strictHostMatch an error naming the entry', async () => {
    const one = parseSeHeader(await oneHostHeader());
    const items: BatchItem[] = [
      { label: 'ok.bin', secret: { type: 'meta' }, seHeader: one, hostKeyDocuments: [hkd1], verify: false },
      { label: 'g2.bin', secret: { type: 'meta' }, seHeader: one, hostKeyDocuments: [hkd1, hkd2], verify: false },
    ];
    const r = await createAddSecretRequests(items);
    expect(r.requests).toHaveLength(2);
    expect(r.warnings.filter((w) => w.includes('host-key match'))).toEqual([
      expect.stringMatching(
        /^batch entry 2 \(g2\.bin\): host-key match: host key .*OU=IBM Z Host Key Document 1001 \(hash [0-9a-f]{64}\) is not among the 1 host key\(s\) the SE header was built for/,
      ),
    ]);
    const e = await createAddSecretRequests(items.map((i) => ({ ...i, strictHostMatch: true }))).catch((x) => x);
    expect(e.code).toBe('ERR_HOST_KEY_MISMATCH');
    expect(e.message).toMatch(/^batch entry 2 \(g2\.bin\): host-key match: /);
  });

  it('a chain that does not verify stops the batch; bad entries name themselves', async () => {
    // no intermediate CA: the signing key cannot be chained to the root
    const chain = { certificates: [sample('ibm-z-host-key-signing.crt')], rootCa: sample('root-ca.crt'), offline: true };
    expect(await codeOf(createAddSecretRequests([{ secret: { type: 'meta' }, seHeader: hdr, hostKeyDocuments: [hkd1], verify: chain }]))).toBe(
      'ERR_SIGNING_KEY_UNTRUSTED',
    );
    const e = await createAddSecretRequests([
      { secret: { type: 'meta' }, seHeader: hdr, hostKeyDocuments: [hkd1], verify: false },
      { secret: { type: 'association', name: '' }, seHeader: hdr, hostKeyDocuments: [hkd1], verify: false },
    ]).catch((x) => x);
    expect(e.code).toBe('ERR_SECRET_NAME');
    expect(e.message).toBe('batch entry 2: secret: name must be a non-empty string');
  });
});

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'se-cli-batch-'));
  for (const f of ['sample-se.img', 'HKD-sample-1.crt', 'HKD-sample-2.crt']) copyFileSync(join(SAMPLES, f), join(dir, f));
  writeFileSync(join(dir, 'input.secret'), new Uint8Array(32).fill(0x3c));
  writeFileSync(join(dir, 'cck.bin'), new Uint8Array(32).fill(9));
  return dir;
}

describe('se-secrets create --batch', () => {
  it('builds every request for two guests, with defaults, generated and given secrets', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'guest2.hdr'), await oneHostHeader());
    writeFileSync(
      join(cwd, 'batch.yaml'),
      stringify({
        defaults: { hostKeyDocuments: ['HKD-sample-1.crt', 'HKD-sample-2.crt'], noVerify: true, hdr: 'sample-se.img' },
        requests: [
          { output: 'out/g1-meta.bin', secret: { type: 'meta' }, flags: ['disable-dump'] },
          { output: 'out/g1-assoc.bin', secret: { type: 'association', name: 'g1-16.001e', outputSecret: 'secrets/g1-16.001e.bin' } },
          {
            output: 'out/g2-assoc.bin',
            hdr: 'guest2.hdr',
            hostKeyDocuments: ['HKD-sample-1.crt'],
            secret: { type: 'association', name: 'g2-16.001e', inputSecret: 'input.secret' },
            cuid: `0x${'ab'.repeat(16)}`,
            cck: 'cck.bin',
          },
        ],
      }),
    );
    const r = await runCli('create-batch', ['--batch', 'batch.yaml', '-v'], { cwd, tty: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Successfully generated 3 request(s)\n');
    expect(r.stderr).toContain(`Wrote '${join(cwd, 'secrets', 'g1-16.001e.bin')}'\n`);
    // A bar appears only when the run takes a while (a busy machine); nothing else uses \r.
    expect(r.stderr.replace(/\r\[[#.]+\] \d+\/\d+ requests/g, '').replace('\r\x1b[K', '')).not.toContain('\r');
    // NAME.yaml beside each association request, as create writes it (extension replaced); a repeated warning is said once
    expect(readdirSync(join(cwd, 'out')).sort()).toEqual(['g1-16.yaml', 'g1-assoc.bin', 'g1-meta.bin', 'g2-16.yaml', 'g2-assoc.bin']);
    expect(readFileSync(join(cwd, 'out', 'g1-16.yaml'), 'utf8')).toBe(`!Association\nname: g1-16.001e\nid: 0x${sha256hex('g1-16.001e')}\n`);
    expect(r.stderr).toMatch(/^warning: batch entries 1, 2, 3: host-key verification is disabled/m);
    expect(r.stderr.match(/host-key verification is disabled/g)).toHaveLength(1);
    const read = (f: string) => new Uint8Array(readFileSync(join(cwd, f)));
    expect(openRequest(read('out/g1-meta.bin'), hostScalar(2)).flags).toBe(0x8000000000000000n);
    const g1 = openRequest(read('out/g1-assoc.bin'), hostScalar(1));
    expect(statSync(join(cwd, 'secrets', 'g1-16.001e.bin')).mode & 0o777).toBe(0o600);
    expect(Buffer.from(read('secrets/g1-16.001e.bin')).equals(g1.plaintext.subarray(0, 32))).toBe(true);
    expect(g1.secretId?.toString('hex')).toBe(sha256hex('g1-16.001e'));
    const g2 = openRequest(read('out/g2-assoc.bin'), hostScalar(1));
    expect(g2.nks).toBe(1);
    expect(g2.cuid.toString('hex')).toBe('ab'.repeat(16));
    expect(g2.plaintext.subarray(0, 32).equals(Buffer.alloc(32, 0x3c))).toBe(true);
    expect(g2.tag.equals(Buffer.from(parseSeHeader(read('guest2.hdr')).tag))).toBe(true);
    expect(g2.plaintext.subarray(32).equals(Buffer.alloc(32))).toBe(false); // CCK-derived extension secret
  });

  it('--strict-host-match turns the host-key warning into an error; nothing is written then', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'guest2.hdr'), await oneHostHeader());
    const batch = [
      { output: 'out/a.bin', hdr: 'sample-se.img', hostKeyDocuments: ['HKD-sample-1.crt', 'HKD-sample-2.crt'], noVerify: true, secret: { type: 'meta' } },
      { output: 'out/b.bin', hdr: 'guest2.hdr', hostKeyDocuments: ['HKD-sample-1.crt', 'HKD-sample-2.crt'], noVerify: true, secret: { type: 'meta' } },
    ];
    writeFileSync(join(cwd, 'batch.json'), JSON.stringify(batch));
    const strict = await runCli('create-batch', ['--batch', 'batch.json', '--strict-host-match'], { cwd });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(
      /^se-secrets: error: batch entry 2 \(out\/b\.bin\): host-key match: host key .* is not among the 1 host key\(s\) the SE header was built for; the guest can never run on that host\n$/,
    );
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    const lax = await runCli('create-batch', ['--batch', 'batch.json'], { cwd });
    expect(lax.code).toBe(0);
    expect(lax.stderr).toMatch(/\nwarning: batch entry 2 \(out\/b\.bin\): host-key match: host key /);
    expect(readdirSync(join(cwd, 'out')).sort()).toEqual(['a.bin', 'b.bin']);
  });

  it('refuses bad batch files with ERR_BATCH messages and writes nothing on any failure', async () => {
    const cwd = workspace();
    const run = async (batch: unknown) => {
      writeFileSync(join(cwd, 'b.yaml'), stringify(batch));
      return runCli('create-batch', ['--batch', 'b.yaml'], { cwd });
    };
    const entry = { output: 'out/x.bin', hdr: 'sample-se.img', hostKeyDocuments: ['HKD-sample-1.crt'], noVerify: true, secret: { type: 'meta' } };
    expect((await run([{ ...entry, typo: 1 }])).stderr).toMatch(/^se-secrets: error: batch: requests\[0\]: unknown key "typo"/);
    expect((await run([entry, entry])).stderr).toBe(`se-secrets: error: batch: requests[1]: output ${join(cwd, 'out/x.bin')} is also written by requests[0]\n`);
    expect((await run([{ ...entry, cuid: '0x1234' }])).stderr).toBe('se-secrets: error: batch: requests[0].cuid: the CUID must be 32 hex digits with leading zeros (got 4 characters)\n');
    expect((await run([{ ...entry, flags: ['no-dump'] }])).stderr).toBe('se-secrets: error: batch: requests[0].flags: unknown flag "no-dump" (known: disable-dump)\n');
    expect((await run([{ ...entry, secret: { type: 'retrievable', name: 'x' } }])).stderr).toMatch(/secret\.type: "retrievable" is not supported/);
    expect((await run([{ ...entry, noVerify: undefined }])).stderr).toBe('se-secrets: error: batch: requests[0].certificates: required unless noVerify: true\n');
    expect((await run([{ ...entry, secret: { type: 'association', name: 'a', inputSecret: 'cck.bin', outputSecret: 's.bin' } }])).stderr).toMatch(
      /inputSecret and outputSecret exclude each other/,
    );
    expect((await run([{ ...entry, secret: { type: 'association', name: 'a', inputSecret: 'HKD-sample-1.crt' } }])).stderr).toMatch(
      /inputSecret: HKD-sample-1\.crt must be exactly 32 bytes \(got \d+\)/,
    );
    const late = await run([entry, { ...entry, output: 'out/y.bin', hdr: 'missing.img' }]);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/cannot read SE header '.*missing\.img': no such file or directory/);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
    const usage = await runCli('create-batch', ['--batch', 'b.yaml', 'meta'], { cwd });
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/^se-secrets: error: 'meta' cannot be used with '--batch <FILE>': the batch file gives each request/);
    const output = await runCli('create-batch', ['--batch', 'b.yaml', '-o', 'x'], { cwd });
    expect(output.stderr).toMatch(/^se-secrets: error: the argument '--output <FILE>' cannot be used with '--batch <FILE>': the batch file gives each request its inputs and output\n/);
    const typo = await runCli('create-batch', ['--bach', 'b.yaml'], { cwd });
    expect(typo.stderr).toMatch(/^se-secrets: error: unexpected argument '--bach': did you mean '--batch'\?\n/);
    for (const args of [['--batch', 'b.yaml', '--help'], ['--batch', '--help'], ['--help']]) {
      const help = await runCli('create-batch', args, { cwd });
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^ {6}--batch <FILE> /m);
    }
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });
});

describe('create --strict-host-match helper (for the create command)', () => {
  it('warns by default, throws ERR_HOST_KEY_MISMATCH when strict, and is silent when all host keys are in the header', async () => {
    const one = parseSeHeader(await oneHostHeader());
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    expect(checkHostKeyMatch(hdr, [hkd1, hkd2], { strict: true, warn })).toEqual([]);
    const missing = checkHostKeyMatch(one, [hkd1, hkd2], { strict: false, warn });
    expect(missing.map((k) => Buffer.from(k.hash).toString('hex'))).toEqual([Buffer.from(hostKeysFromDocuments([hkd2])[0]!.hash).toString('hex')]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^host-key match: host key .* is not among the 1 host key\(s\) the SE header was built for; the guest can never run on that host$/,
    );
    expect(await codeOf(() => checkHostKeyMatch(one, [hkd2], { strict: true, warn }))).toBe('ERR_HOST_KEY_MISMATCH');
  });
});

describe('progress bar', () => {
  it('draws on a terminal once the work took more than a moment, and clears itself', () => {
    let t = 0;
    const out: string[] = [];
    const tty = { isTTY: true, write: (s: string | Uint8Array) => out.push(String(s)) };
    const bar = progressBar(tty, { label: 'requests', now: () => t, delayMs: 400, width: 10 });
    bar.update(1, 4);
    expect(out).toEqual([]);
    t = 500;
    bar.update(2, 4);
    bar.update(4, 4);
    bar.finish();
    expect(out).toEqual(['\r[#####.....] 2/4 requests', '\r[##########] 4/4 requests', '\r\x1b[K']);
    expect(bar.shown).toBe(true);
  });

  it('never draws when stderr is not a terminal', () => {
    const bar = progressBar(undefined, { label: 'x', now: () => 10_000, delayMs: 0 });
    bar.update(1, 2);
    bar.finish();
    expect(bar.shown).toBe(false);
  });
});

describe('writeFilesAtomic', () => {
  it('writes all files with their modes, or none when one fails, leaving no temp files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'se-files-'));
    await writeFilesAtomic([
      { path: join(dir, 'a'), bytes: new Uint8Array([1]) },
      { path: join(dir, 's'), bytes: new Uint8Array([2]), mode: 0o600 },
    ]);
    expect(statSync(join(dir, 's')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'a'))).toEqual(Buffer.from([1]));
    const e = await writeFilesAtomic([
      { path: join(dir, 'b'), bytes: new Uint8Array([3]) },
      { path: join(dir, 'no-such-dir', 'c'), bytes: new Uint8Array([4]) },
    ]).catch((x) => x);
    expect(e.code).toBe('ERR_FILE');
    expect(e.message).toBe(`cannot write '${join(dir, 'no-such-dir', 'c')}': no such file or directory`);
    expect(readdirSync(dir).sort()).toEqual(['a', 's']);
  });
});
