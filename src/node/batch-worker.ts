/**
 * A worker thread of `create --batch` (see ./batch-threads.ts): builds each chunk of
 * prepared entries it is sent, in order, with node:crypto and host-point tables of its own, posts
 * the requests back (their buffers transferred) or the failure, and zeroes the chunk,
 * its own copy, after use. The CLI runs the library build of it, dist/node/batch-worker.js.
 *
 * @module
 */
import { type MessagePort, parentPort } from 'node:worker_threads';
import { HostPointCache } from '../crypto/host-point-cache.js';
import { nodeBackend } from '../crypto/node.js';
import { buildPreparedRequests } from '../request/batch.js';
import { failureOf, type WorkerChunk, type WorkerReply, zeroAll } from './batch-threads.js';

/** Builds one chunk and posts its requests (buffers transferred) or its failure; zeroes the chunk. */
async function build(port: MessagePort, hostPointCache: HostPointCache, { start, entries }: WorkerChunk): Promise<void> {
  let reply: WorkerReply;
  const transfer = new Set<ArrayBuffer>();
  try {
    const requests = await buildPreparedRequests(entries, { backend: nodeBackend, hostPointCache });
    for (const r of requests) if (r.byteOffset === 0 && r.byteLength === r.buffer.byteLength) transfer.add(r.buffer as ArrayBuffer);
    reply = { start, requests };
  } catch (e) {
    reply = { start, error: failureOf(e) };
  } finally {
    zeroAll(entries);
  }
  port.postMessage(reply, [...transfer]);
}

const port = parentPort;
if (port) {
  const hostPointCache = new HostPointCache();
  // Chunks arrive ahead of need (IN_FLIGHT); they are built one after the other.
  let queue = Promise.resolve();
  port.on('message', (chunk: WorkerChunk) => {
    queue = queue.then(() => build(port, hostPointCache, chunk));
  });
}
