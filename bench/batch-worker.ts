/** A batch worker: parses the host-key documents once, builds `count` requests when told to go. */
import { parentPort, workerData } from 'node:worker_threads';
import { createAddSecretRequest, HostPointCache, hostKeysFromDocuments } from '../src/node.js';

const { count, header, documents } = workerData as { count: number; header: Uint8Array; documents: Uint8Array[] };
const hostKeys = hostKeysFromDocuments(documents);
const hostPointCache = new HostPointCache();
parentPort?.on('message', async (msg: string) => {
  if (msg !== 'go') return;
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const r = await createAddSecretRequest({ secret: { type: 'association', name: `batch-${i}` }, seHeader: header, hostKeys, verify: false, hostPointCache });
    bytes += r.length;
  }
  parentPort?.postMessage({ done: count, bytes });
});
parentPort?.postMessage('ready');
