/**
 * Reading what a user hands in (Node only): the one reader behind every input file of
 * the CLI, plans and batches.
 *
 * - The path is checked, then opened, and everything else is decided on the opened
 *   descriptor (`fstat`), so the file read is the file checked.
 * - Directories and devices (character or block: `/dev/zero`, `/dev/sda`, a terminal)
 *   are refused before anything is read. Regular files and pipes (`<(cat HKD.crt)`,
 *   `/dev/stdin` on a pipe) are read.
 * - Reading stops one byte past the cap of the kind of input ({@link INPUT_CAPS}): a
 *   regular file larger than the cap is refused from its size, a pipe that runs on is
 *   refused after the cap. Nothing grows without bound.
 *
 * Errors name the input and the file: `cannot read host-key document 'HKD.crt': no
 * such file or directory`, `plan 'p.yaml' is too large (3000000 bytes; at most 1048576)`.
 *
 * SE images are not read whole: `readSeHeader` reads only the pages it needs, from an
 * image of any size.
 *
 * @module
 */
import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { FileError } from '../errors.js';
import { concatBytes } from '../internal/bytes.js';
import { MAX_YAML_SIZE } from '../internal/yaml-limit.js';

/**
 * The most bytes read from one input, by kind. Nothing se-secrets reads comes near
 * them: a host-key document is about 2 KiB, a CRL of thousands of entries under 1 MiB,
 * an add-secret request under 64 KiB, an SE header at most 1 MiB.
 */
export const INPUT_CAPS = {
  /** Certificates, CRLs, keys, requests, secrets, user data, policies, SE headers read whole. */
  file: 16 * 1024 * 1024,
  /** Plan and batch files, `--cuid` files (YAML or JSON): also the parser's limit. */
  yaml: MAX_YAML_SIZE,
} as const;

/** A short, stable reason for a failed file operation. */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EROFS':
      return 'read-only file system';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENXIO':
      return 'no such device or address';
    case 'ESPIPE':
      return 'is a pipe (this input must be a file that can be read at any offset)';
    default:
      return code ?? (e instanceof Error ? e.message : String(e));
  }
}

/** `host-key document 'F'`, or `'F'` without a label. */
function named(label: string | undefined, path: string): string {
  return label ? `${label} '${path}'` : `'${path}'`;
}

/** {@link fsReason}, saying for a missing `-` that standard input is not read. */
function readReason(path: string, cause: unknown): string {
  const reason = fsReason(cause);
  return path === '-' && (cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ? `${reason} (standard input is not read: give a file)` : reason;
}

function readError(what: string, reason: string, cause?: unknown): FileError {
  return new FileError('ERR_FILE', `cannot read ${what}: ${reason}`, cause === undefined ? undefined : { cause });
}

function tooLarge(what: string, max: number, size?: number): FileError {
  return new FileError('ERR_INPUT_TOO_LARGE', `${what} is too large (${size === undefined ? `more than ${max} bytes` : `${size} bytes`}; at most ${max})`);
}

/** Refuses what is not a regular file or a pipe. */
function checkKind(st: Stats, what: string): void {
  if (st.isDirectory()) throw readError(what, 'is a directory');
  if (st.isCharacterDevice() || st.isBlockDevice()) throw readError(what, 'is a device (only files and pipes are read)');
}

/** Options of {@link readInputFile} and {@link inputFileSize}. */
export interface ReadInputOptions {
  /** What the file is, for messages (`host-key document`). */
  readonly label?: string;
  /** The cap in bytes (default {@link INPUT_CAPS}`.file`). */
  readonly maxSize?: number;
}

/**
 * The size of an input that must exist and be a regular file or a pipe (for inputs
 * read in parts, such as SE images).
 *
 * @throws FileError `ERR_FILE`: `cannot read <label> '<path>': <reason>`
 */
export async function inputFileSize(path: string, options: Pick<ReadInputOptions, 'label'> = {}): Promise<number> {
  const what = named(options.label, path);
  let st: Stats;
  try {
    st = await stat(path);
  } catch (cause) {
    throw readError(what, readReason(path, cause), cause);
  }
  checkKind(st, what);
  return st.size;
}

/**
 * Reads a whole input file, at most `maxSize` bytes, from the opened descriptor.
 * Buffers outgrown while reading are zeroed (an input may be a secret).
 *
 * @example
 * ```ts
 * const hkd = await readInputFile('HKD-8561-0123456.crt', { label: 'host-key document' });
 * ```
 * @throws FileError `ERR_FILE` (missing, unreadable, a directory or a device);
 *   `ERR_INPUT_TOO_LARGE` beyond the cap
 */
export async function readInputFile(path: string, options: ReadInputOptions = {}): Promise<Uint8Array> {
  const max = options.maxSize ?? INPUT_CAPS.file;
  const what = named(options.label, path);
  // Checked before opening too: opening a device can already have effects (a tape rewinds).
  await inputFileSize(path, options);
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(path, 'r');
    const st = await fh.stat();
    checkKind(st, what);
    if (st.isFile() && st.size > max) throw tooLarge(what, max, st.size);
    return await readAll(fh, what, max, st.isFile() ? st.size : undefined);
  } catch (cause) {
    if (cause instanceof FileError) throw cause;
    throw readError(what, fsReason(cause), cause);
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

const CHUNK = 64 * 1024;

async function readAll(fh: Awaited<ReturnType<typeof open>>, what: string, max: number, size: number | undefined): Promise<Uint8Array> {
  // One byte more than expected, so that growth (or a pipe running on) is seen.
  let buf = new Uint8Array(Math.min(max + 1, (size ?? CHUNK) + 1));
  let n = 0;
  try {
    for (;;) {
      if (n === buf.length) {
        if (n > max) throw tooLarge(what, max);
        const bigger = new Uint8Array(Math.min(max + 1, buf.length * 2));
        bigger.set(buf);
        buf.fill(0);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, n, buf.length - n, null);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n > max) throw tooLarge(what, max);
  } catch (e) {
    buf.fill(0);
    throw e;
  }
  if (n === buf.length) return buf;
  const out = buf.slice(0, n);
  buf.fill(0);
  return out;
}

/**
 * The first `n` bytes of an input that must be a regular file (read at offset 0), and
 * its size: enough to tell what kind of file it is before reading it whole.
 *
 * @throws FileError `ERR_FILE`: `cannot read <label> '<path>': <reason>`
 */
export async function readInputHead(path: string, n: number, options: Pick<ReadInputOptions, 'label'> = {}): Promise<{ bytes: Uint8Array; size: number }> {
  const size = await inputFileSize(path, options);
  try {
    const fh = await open(path, 'r');
    try {
      const buf = new Uint8Array(n);
      const { bytesRead } = await fh.read(buf, 0, n, 0);
      return { bytes: buf.subarray(0, bytesRead), size };
    } finally {
      await fh.close();
    }
  } catch (cause) {
    throw readError(named(options.label, path), readReason(path, cause), cause);
  }
}

/**
 * Reads a stream (stdin) to its end, at most `maxSize` bytes.
 *
 * @throws FileError `ERR_FILE`; `ERR_INPUT_TOO_LARGE` beyond the cap
 */
export async function readInputStream(stream: AsyncIterable<Uint8Array | string>, what: string, maxSize: number = INPUT_CAPS.file): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      total += bytes.length;
      if (total > maxSize) throw tooLarge(what, maxSize);
      chunks.push(bytes);
    }
  } catch (cause) {
    if (cause instanceof FileError) throw cause;
    throw readError(what, fsReason(cause), cause);
  }
  return concatBytes(...chunks);
}
