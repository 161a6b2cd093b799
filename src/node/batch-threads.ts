/**
 * Building a prepared batch on every core (`se-secrets create --batch`): the calling
 * thread and worker threads (./batch-worker.ts) take chunks of entries from one queue
 * until none are left, so a worker that starts late, or a core another process holds,
 * simply builds fewer. Each thread keeps its own host-point tables.
 *
 * A worker is given its next chunk before it has finished the one it builds
 * ({@link IN_FLIGHT}): the calling thread hears of a finished chunk only between two
 * chunks of its own, and a worker that waited for that sat idle for half a chunk on
 * average (measured: a third of its time). The requests come
 * back in entry order, built by the same `buildPreparedRequests` as on one thread, so
 * they are the bytes one thread would build from the same inputs.
 *
 * Host keys were verified once before this (`prepareAddSecretRequests`); workers only
 * build. What a worker is sent is a fresh copy of its chunk, every byte array in its own
 * buffer, transferred rather than copied again; the worker zeroes it after use. The
 * caller's bytes are never sent, moved or changed.
 *
 * All or nothing: on the first error no thread takes another chunk, the workers are
 * stopped, and the error of the earliest failing entry is thrown, with its class and
 * code (`SeSecretsError` subclasses cross the thread boundary by name).
 *
 * @module
 */
import { Worker } from 'node:worker_threads';
import type { CryptoBackend } from '../crypto/backend.js';
import { HostPointCache } from '../crypto/host-point-cache.js';
import * as errors from '../errors.js';
import { type ErrorCode, SeSecretsError } from '../errors.js';
import { buildPreparedRequests, type PreparedRequest } from '../request/batch.js';

/** Entries a thread takes at a time: small enough to balance, large enough to amortise a message. */
export const CHUNK_ENTRIES = 16;
/**
 * Entries per worker at least: a worker costs a thread start and its own host-point
 * table (built after 32 uses of a host key), which a smaller share does not repay.
 */
export const ENTRIES_PER_WORKER = 64;

/**
 * Chunks a worker holds at most (the one it builds and the next), while the queue
 * still has {@link IN_FLIGHT} chunks per thread left; near the end one, so that the
 * last chunks are shared out evenly.
 */
export const IN_FLIGHT = 2;

/** A chunk as a worker is sent it: the index of its first entry, and the entries (a transferred copy). */
export interface WorkerChunk {
  readonly start: number;
  readonly entries: PreparedRequest[];
}

/** A failure as it crosses from a worker: class name, code and message. */
export interface WorkerFailure {
  readonly name: string;
  readonly code?: ErrorCode;
  readonly message: string;
}

/** What a worker posts back for a chunk: the `start` it was sent, with its requests or the failure. */
export type WorkerReply = { readonly start: number } & ({ readonly requests: Uint8Array[] } | { readonly error: WorkerFailure });

/** A worker's error as the worker sends it. */
export function failureOf(e: unknown): WorkerFailure {
  if (e instanceof SeSecretsError) return { name: e.name, code: e.code, message: e.message };
  return { name: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e) };
}

/** The error again, of its class from ../errors.ts where it is one of ours. */
function revive(f: WorkerFailure): Error {
  const Class = (errors as Record<string, unknown>)[f.name];
  if (f.code !== undefined && typeof Class === 'function' && (Class === SeSecretsError || Class.prototype instanceof SeSecretsError)) {
    const e = Object.setPrototypeOf(new SeSecretsError(f.code, f.message), Class.prototype) as SeSecretsError;
    e.name = f.name;
    return e;
  }
  const e = new Error(f.message);
  e.name = f.name;
  return e;
}

/**
 * A deep copy of plain objects and arrays in which every byte array has a buffer of
 * its own, listed in `transfer`; other values are left to structured cloning.
 */
export function transferableCopy<T>(value: T, transfer: ArrayBuffer[]): T {
  if (value instanceof Uint8Array) {
    const copy = new Uint8Array(value);
    transfer.push(copy.buffer);
    return copy as T;
  }
  if (Array.isArray(value)) return value.map((v) => transferableCopy(v, transfer)) as T;
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = transferableCopy(v, transfer);
    return out as T;
  }
  return value;
}

/** Zeroes every byte array in plain objects and arrays (a worker's copy, after use). */
export function zeroAll(value: unknown): void {
  if (value instanceof Uint8Array) value.fill(0);
  else if (Array.isArray(value)) for (const v of value) zeroAll(v);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) zeroAll(v);
}

/** Options of {@link buildInThreads}. */
export interface ThreadOptions {
  /** Threads in all, this one included (at least 1). */
  readonly threads: number;
  /** The worker script (./batch-worker.ts, built). */
  readonly workerFile: string | URL;
  /** The backend of this thread (workers use node:crypto). */
  readonly backend?: CryptoBackend;
  /** Called after each chunk with the number done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Called after each chunk with the thread that built it (0: this one) and its size. */
  readonly onChunk?: (thread: number, entries: number) => void;
}

/**
 * Builds `prepared` on up to `threads` threads (this one and workers, one per
 * {@link ENTRIES_PER_WORKER} entries at most); the requests in entry order.
 *
 * @throws what `buildPreparedRequests` throws for the earliest failing entry; Error when a worker fails
 */
export async function buildInThreads(prepared: readonly PreparedRequest[], options: ThreadOptions): Promise<Uint8Array[]> {
  const total = prepared.length;
  const workers = Math.max(0, Math.min(Math.floor(options.threads) - 1, Math.floor(total / ENTRIES_PER_WORKER)));
  const out: Uint8Array[] = new Array(total);
  let next = 0;
  let done = 0;
  let failure: { at: number; error: unknown } | undefined;
  const take = (): number | undefined => {
    if (failure !== undefined || next >= total) return undefined;
    const start = next;
    next = Math.min(total, start + CHUNK_ENTRIES);
    return start;
  };
  const fail = (at: number, error: unknown) => {
    if (failure === undefined || at < failure.at) failure = { at, error };
  };
  const finished = (thread: number, start: number, requests: readonly Uint8Array[]) => {
    requests.forEach((r, k) => {
      out[start + k] = r;
    });
    done += requests.length;
    options.onChunk?.(thread, requests.length);
    options.onProgress?.(done, total);
  };

  const here = async () => {
    const hostPointCache = new HostPointCache();
    for (let start = take(); start !== undefined; start = take()) {
      const chunk = prepared.slice(start, start + CHUNK_ENTRIES);
      try {
        finished(0, start, await buildPreparedRequests(chunk, { ...(options.backend ? { backend: options.backend } : {}), hostPointCache }));
      } catch (e) {
        fail(start, e);
      }
      // A macrotask turn, so that the workers' replies are taken in between.
      if (workers > 0) await new Promise((r) => setImmediate(r));
    }
  };
  /**
   * One worker: kept supplied with chunks (up to IN_FLIGHT) until the queue is empty or
   * a chunk failed; resolves once it holds none and has been stopped.
   */
  const inWorker = (thread: number) =>
    new Promise<void>((resolve) => {
      const w = new Worker(options.workerFile);
      const held = new Set<number>();
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        // Its listeners stay: an 'exit' or 'error' after this finds no chunk to fail.
        w.terminate().then(
          () => resolve(),
          () => resolve(),
        );
      };
      /** Fails every chunk the worker holds (it stopped or broke). */
      const lose = (e: unknown) => {
        for (const start of held) fail(start, e);
        held.clear();
        close();
      };
      const supply = () => {
        while (!closed && held.size < (total - next > IN_FLIGHT * (workers + 1) * CHUNK_ENTRIES ? IN_FLIGHT : 1)) {
          const start = take();
          if (start === undefined) break;
          const transfer: ArrayBuffer[] = [];
          const message: WorkerChunk = { start, entries: transferableCopy(prepared.slice(start, start + CHUNK_ENTRIES), transfer) };
          try {
            w.postMessage(message, transfer);
            held.add(start);
          } catch (e) {
            zeroAll(message.entries);
            fail(start, e);
          }
        }
        if (held.size === 0) close();
      };
      w.on('message', (reply: WorkerReply) => {
        held.delete(reply.start);
        if ('error' in reply) fail(reply.start, revive(reply.error));
        else finished(thread, reply.start, reply.requests);
        supply();
      });
      w.on('error', lose);
      w.on('exit', (code: number) => lose(new Error(`batch worker stopped (exit code ${code})`)));
      supply();
    });
  await Promise.all([here(), ...Array.from({ length: workers }, (_, i) => inWorker(i + 1))]);
  if (failure !== undefined) throw failure.error;
  return out;
}
