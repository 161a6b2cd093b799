/**
 * Running the CLI on real files: in-process through `main(argv, streams)` (fast, and
 * steady on a busy machine), or — for a few smoke tests of the shipped binary — the
 * built dist/cli/main.js (made by `npx tsup`; `npm test` builds it first) as a
 * subprocess. And an independent way to open the requests it writes: node:crypto
 * ECDH + AES-GCM with the sample host's private key.
 */
import { spawn } from 'node:child_process';
import { createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { GUEST_ENV, runMain } from '../helpers/cli.js';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '../..');
export const MAIN = join(ROOT, 'dist/cli/main.js');
export const SAMPLES = join(ROOT, 'samples');
export const sample = (name: string) => join(SAMPLES, name);

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Fails loudly instead of testing a missing or stale build. */
export function assertBuilt(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx tsup\` first (npm test does it)`);
  if (statSync(MAIN).mtimeMs < newestSource(join(ROOT, 'src'))) {
    throw new Error(`${MAIN} is older than src/: run \`npx tsup\` first (npm test does it)`);
  }
}

export interface Run {
  code: number | null;
  stdout: Buffer;
  /** stdout as text */
  out: string;
  err: string;
}

export interface CliOptions {
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Bytes on stdin: needs a process, so such a run goes to {@link cliProcess}. */
  input?: Uint8Array;
}

/** Runs the CLI in-process through `main(argv, streams)`, as `se-secrets ...args` would. */
export async function cli(args: readonly string[], opts: CliOptions = {}): Promise<Run> {
  if (opts.input !== undefined) return cliProcess(args, opts);
  const r = await runMain(args, { cwd: opts.cwd ?? ROOT, ...(opts.env ? { env: opts.env } : {}) });
  return { code: r.code, stdout: r.stdoutBytes, out: r.stdout, err: r.stderr };
}

let built = false;

/** Runs the built CLI as a subprocess; resolves when it has exited (tests may run several at once). */
export function cliProcess(args: readonly string[], opts: CliOptions = {}): Promise<Run> {
  if (!built) {
    assertBuilt();
    built = true;
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, ...GUEST_ENV, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out);
      resolvePromise({ code, stdout, out: stdout.toString('utf8'), err: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(opts.input ?? undefined);
  });
}

/** One temporary root per test file, removed after the file: safe with concurrent tests. */
const tmpRoot = mkdtempSync(join(tmpdir(), 'se-secrets-cli-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpRoot, 't-'));
}

/** Every entry of a directory (hidden ones too), sorted: to prove nothing was left behind. */
export function listDir(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** The minimal valid `create` line, with extra options before the secret type. */
export function createArgs(output: string, ...extra: string[]): string[] {
  return ['create', '-k', sample('HKD-sample-1.crt'), '--hdr', sample('sample.hdr'), '-o', output, '--no-verify', ...extra];
}


/** YAML with the cuid in a mapping `depth` levels below the top one (the reference searches depths 0 to 7). */
export function nestedCuid(depth: number, value = `'0x${'11'.repeat(16)}'`): string {
  const lines = Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}level${i}:`);
  return `${[...lines, `${'  '.repeat(depth)}cuid: ${value}`].join('\n')}\n`;
}

// ---- an independent reader of requests (node:crypto only) ------------------------

const u32 = (b: Uint8Array, o: number) => new DataView(b.buffer, b.byteOffset).getUint32(o);

/** SHA-256 of the 160-byte padded X‖Y of a certificate's P-521 key: a key slot's first field. */
export function hostKeyHashOf(certPem: string): Buffer {
  const jwk = new X509Certificate(certPem).publicKey.export({ format: 'jwk' });
  const pad = (s: string) => Buffer.concat([Buffer.alloc(80 - Buffer.from(s, 'base64url').length), Buffer.from(s, 'base64url')]);
  return createHash('sha256').update(Buffer.concat([pad(jwk.x as string), pad(jwk.y as string)])).digest();
}

export interface Opened {
  nks: number;
  userDataType: number;
  flags: bigint;
  cuid: Buffer;
  secretType: number;
  secretLength: number;
  secretId: Buffer | undefined;
  /** Decrypted: secret value ‖ extension secret. */
  plaintext: Buffer;
  tag: Buffer;
  seHeaderTag: Buffer;
}

/** Decrypts a request with a host's private key, checking every length on the way. */
export function openRequest(request: Uint8Array, certFile = 'HKD-sample-1.crt', keyFile = 'HKD-sample-1.key'): Opened {
  const b = Buffer.from(request);
  if (b.subarray(0, 6).toString('latin1') !== 'asrcbM') throw new Error('no request magic');
  if (u32(b, 0x0c) !== b.length) throw new Error('rql does not match the length');
  const nks = b[0x27] as number;
  const sea = u32(b, 0x2c);
  const myHash = hostKeyHashOf(readFileSync(sample(certFile), 'utf8'));
  const slots = b.subarray(0x4b8, 0x4b8 + 80 * nks);
  let slot: Buffer | undefined;
  for (let i = 0; i < nks; i++) if (slots.subarray(80 * i, 80 * i + 32).equals(myHash)) slot = slots.subarray(80 * i, 80 * i + 80);
  if (!slot) throw new Error('no key slot for this host key');
  const cust = b.subarray(0x418, 0x418 + 160);
  const coord = (c: Buffer) => c.subarray(14).toString('base64url');
  const customerKey = createPublicKey({ key: { kty: 'EC', crv: 'P-521', x: coord(cust.subarray(0, 80)), y: coord(cust.subarray(80)) }, format: 'jwk' });
  const z = diffieHellman({ privateKey: createPrivateKey(readFileSync(sample(keyFile))), publicKey: customerKey });
  const kek = createHash('sha256').update(Buffer.concat([z, Buffer.from([0, 0, 0, 1])])).digest();
  const unwrap = createDecipheriv('aes-256-gcm', kek, Buffer.alloc(12));
  unwrap.setAuthTag(slot.subarray(64, 80));
  const protectionKey = Buffer.concat([unwrap.update(slot.subarray(32, 64)), unwrap.final()]);
  const aadLength = b.length - 16 - sea;
  const dec = createDecipheriv('aes-256-gcm', protectionKey, b.subarray(0x10, 0x1c));
  dec.setAAD(b.subarray(0, aadLength));
  dec.setAuthTag(b.subarray(b.length - 16));
  const plaintext = Buffer.concat([dec.update(b.subarray(aadLength, aadLength + sea)), dec.final()]);
  const sh = b.subarray(0x4b8 + 80 * nks, aadLength);
  return {
    nks,
    userDataType: b.readUInt16BE(6),
    flags: b.readBigUInt64BE(0x30),
    cuid: b.subarray(0x108, 0x118),
    secretType: sh.readUInt16BE(2),
    secretLength: sh.readUInt32BE(4),
    secretId: sh.length === 48 ? sh.subarray(16, 48) : undefined,
    plaintext,
    tag: b.subarray(b.length - 16),
    seHeaderTag: b.subarray(0xf8, 0x108),
  };
}

/** The SE-header tag of the sample header: its last 16 bytes. */
export function sampleHeaderTag(): Buffer {
  const h = readFileSync(sample('sample.hdr'));
  return h.subarray(h.length - 16);
}
