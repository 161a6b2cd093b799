/**
 * `create --batch` on worker threads (src/node/batch-threads.ts, the built worker
 * dist/node/batch-worker.js, and the CLI's dist/cli/batch-worker.js): the same bytes as one thread for the same deterministic
 * inputs, each request opened independently with node:crypto, the caller's inputs left
 * alone, an entry's typed error crossing back from a worker, and the CLI on real files.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeBackend } from '../src/crypto/node.js';
import { CryptoError, isSeSecretsError } from '../src/errors.js';
import { buildInThreads, ENTRIES_PER_WORKER, transferableCopy, zeroAll } from '../src/node/batch-threads.js';
import { type BatchItem, buildPreparedRequests, type PreparedRequest, prepareAddSecretRequests } from '../src/request/batch.js';
import type { DeterministicInputs } from '../src/request/create.js';
import { hostKeysFromDocuments } from '../src/request/host-key.js';
import { openRequest } from './helpers/independent.js';
import { hostScalar, SAMPLES, sample } from './helpers/samples.js';

const WORKER = join(import.meta.dirname, '..', 'dist', 'node', 'batch-worker.js');
/** The CLI's worker: the same code, run from the CLI bundle (src/cli/batch-worker-entry.ts). */
const CLI_WORKER = join(import.meta.dirname, '..', 'dist', 'cli', 'batch-worker.js');
const CLI = join(import.meta.dirname, '..', 'dist', 'cli', 'main.js');
const hkd1 = sample('HKD-sample-1.crt');
const header = sample('sample.hdr');
const noVerifier = async () => {
  throw new Error('not called: nothing is verified here');
};

/**
 * `n` prepared entries: entry i adds association secret `s-i` with value i+1 repeated,
 * with its own deterministic customer key, IV and protection key.
 */
async function prepare(n: number): Promise<{ prepared: PreparedRequest[]; values: Uint8Array[] }> {
  const values = Array.from({ length: n }, (_, i) => new Uint8Array(32).fill(i + 1));
  const items: BatchItem[] = values.map((value, i) => ({
    secret: { type: 'association', name: `s-${i}`, value },
    seHeader: header,
    hostKeyDocuments: [hkd1],
    verify: false,
    label: `r${i}.bin`,
  }));
  const { prepared } = await prepareAddSecretRequests(noVerifier, items);
  const customerKey = (i: number) => {
    const d = new Uint8Array(66);
    d[64] = 1;
    d[65] = i + 7;
    return d;
  };
  return {
    values,
    prepared: prepared.map((p, i) => ({
      ...p,
      options: {
        ...p.options,
        deterministic: { iv: new Uint8Array(12).fill(i + 1), protectionKey: new Uint8Array(32).fill(0x40 + (i % 100)), customerPrivateKey: customerKey(i) },
      },
    })),
  };
}

describe.skipIf(!existsSync(WORKER))('building a batch on worker threads', () => {
  it.each([
    ['the library build', WORKER],
    ['the CLI bundle', CLI_WORKER],
  ])('writes the bytes one thread writes, and each opens with node:crypto (worker: %s)', async (_, workerFile) => {
    const n = ENTRIES_PER_WORKER + 40;
    const { prepared, values } = await prepare(n);
    const before = values.map((v) => Buffer.from(v));
    const one = await buildPreparedRequests(prepared, { backend: nodeBackend });
    const byThread = new Map<number, number>();
    const progress: number[] = [];
    const two = await buildInThreads(prepared, {
      threads: 2,
      workerFile,
      backend: nodeBackend,
      onChunk: (t, k) => byThread.set(t, (byThread.get(t) ?? 0) + k),
      onProgress: (d, t) => {
        expect(t).toBe(n);
        progress.push(d);
      },
    });
    expect(byThread.get(1)).toBeGreaterThan(0); // a worker built some
    expect([...byThread.values()].reduce((a, b) => a + b)).toBe(n);
    expect(progress.at(-1)).toBe(n);
    expect(two.map((r) => Buffer.from(r).toString('hex'))).toEqual(one.map((r) => Buffer.from(r).toString('hex')));
    const host = hostScalar(1);
    two.forEach((r, i) => {
      const o = openRequest(r, host);
      expect(o.plaintext.subarray(0, 32).equals(Buffer.alloc(32, i + 1))).toBe(true);
    });
    // The caller's secrets are neither zeroed nor moved; only the workers' copies are.
    expect(values.every((v, i) => Buffer.from(v).equals(before[i] as Buffer))).toBe(true);
    expect(prepared.every((p) => (p.options.deterministic?.protectionKey.byteLength ?? 0) === 32)).toBe(true);
  });

  it('an entry that fails in any thread fails the batch with its class, code and name', async () => {
    const n = ENTRIES_PER_WORKER * 2;
    const { prepared } = await prepare(n);
    const bad = n - 3; // among the last chunks: built by whichever thread takes it
    const p = prepared[bad] as PreparedRequest;
    const det = p.options.deterministic as DeterministicInputs;
    prepared[bad] = { ...p, options: { ...p.options, deterministic: { ...det, customerPrivateKey: new Uint8Array(66) } } };
    const e = await buildInThreads(prepared, { threads: 2, workerFile: WORKER, backend: nodeBackend }).catch((x: unknown) => x);
    expect(isSeSecretsError(e, 'ERR_INVALID_PRIVATE_KEY')).toBe(true);
    expect(e).toBeInstanceOf(CryptoError);
    expect((e as Error).message).toMatch(new RegExp(`^batch entry ${bad + 1} \\(r${bad}\\.bin\\): `));
  });

  it('a worker that cannot start fails the batch (the chunks it was given are not lost silently)', async () => {
    const { prepared } = await prepare(ENTRIES_PER_WORKER * 2);
    const e = await buildInThreads(prepared, { threads: 2, workerFile: join(tmpdir(), 'se-secrets-no-such-worker.js'), backend: nodeBackend }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(Error);
  });

  it('workers get fresh buffers to transfer, and zero them after use', () => {
    const secret = new Uint8Array([1, 2, 3]);
    const hostKeys = hostKeysFromDocuments([hkd1]);
    const transfer: ArrayBuffer[] = [];
    const copy = transferableCopy({ secret: { value: secret }, hostKeys, n: 1 }, transfer);
    expect(copy.secret.value).not.toBe(secret);
    expect(transfer).toHaveLength(1 + 2 * hostKeys.length);
    expect(transfer).not.toContain(secret.buffer);
    zeroAll(copy);
    expect([...copy.secret.value]).toEqual([0, 0, 0]);
    expect([...secret]).toEqual([1, 2, 3]);
  });
});

describe.skipIf(!existsSync(CLI))('create --batch (the built CLI) on two threads', () => {
  it('writes every request and secret; each opens with the host key', async () => {
    const { spawnSync } = await import('node:child_process');
    const d = mkdtempSync(join(tmpdir(), 'se-secrets-threads-'));
    const n = ENTRIES_PER_WORKER + 10;
    const entries = Array.from(
      { length: n },
      (_, i) => `  - { output: out/r${i}.bin, secret: { type: association, name: s${i}, outputSecret: sec/s${i}.bin } }`,
    );
    writeFileSync(
      join(d, 'batch.yaml'),
      [
        'defaults:',
        `  hostKeyDocuments: [${join(SAMPLES, 'HKD-sample-1.crt')}]`,
        '  noVerify: true',
        `  hdr: ${join(SAMPLES, 'sample.hdr')}`,
        'requests:',
        ...entries,
        '',
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, [CLI, 'create', '--batch', join(d, 'batch.yaml')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`Successfully generated ${n} request\\(s\\)`));
    expect(readdirSync(join(d, 'sec'))).toHaveLength(n);
    const host = hostScalar(1);
    for (let i = 0; i < n; i++) {
      const o = openRequest(readFileSync(join(d, 'out', `r${i}.bin`)), host);
      expect(o.plaintext.subarray(0, 32).equals(readFileSync(join(d, 'sec', `s${i}.bin`)))).toBe(true);
    }
  });
});
