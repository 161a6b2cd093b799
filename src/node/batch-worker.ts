/**
 * A worker thread of `create --batch` (see ./batch-threads.ts): builds each chunk of
 * prepared entries it is sent, with node:crypto and host-point tables of its own, posts
 * the requests back (their buffers transferred) or the failure, and zeroes the chunk,
 * its own copy, after use. The CLI runs the library build of it, dist/node/batch-worker.js.
 *
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { HostPointCache } from '../crypto/host-point-cache.js';
import { nodeBackend } from '../crypto/node.js';
import { buildPreparedRequests, type PreparedRequest } from '../request/batch.js';
import { failureOf, type WorkerReply, zeroAll } from './batch-threads.js';

const port = parentPort;
if (port) {
  const hostPointCache = new HostPointCache();
  port.on('message', async (chunk: PreparedRequest[]) => {
    let reply: WorkerReply;
    const transfer = new Set<ArrayBuffer>();
    try {
      const requests = await buildPreparedRequests(chunk, { backend: nodeBackend, hostPointCache });
      for (const r of requests) if (r.byteOffset === 0 && r.byteLength === r.buffer.byteLength) transfer.add(r.buffer as ArrayBuffer);
      reply = { requests };
    } catch (e) {
      reply = { error: failureOf(e) };
    } finally {
      zeroAll(chunk);
    }
    port.postMessage(reply, [...transfer]);
  });
}
