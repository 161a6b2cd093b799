/**
 * A worker thread of `se-secrets create --batch` (dist/cli/batch-worker.js): the CLI
 * bundle, run through the code cache its main thread wrote (./run-bundle.ts), serving
 * chunks as src/node/batch-worker.ts does. Measured: it starts sooner than the
 * library's unbundled build of the same worker (docs/performance.md).
 *
 * @module
 */
import { runBundle } from './run-bundle.js';

(runBundle('create-batch', false) as { serveBatchWorker(): Promise<unknown> }).serveBatchWorker();
