/** The inputs every benchmark shares: the bundled samples. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const samples = join(import.meta.dirname, '..', 'samples');
export const read = (f: string): Uint8Array => new Uint8Array(readFileSync(join(samples, f)));
export const samplesDir = samples;
export const header = read('sample.hdr');
export const hkd1 = read('HKD-sample-1.crt');
export const hkd2 = read('HKD-sample-2.crt');
/** n host-key documents (the two samples, alternating: the cost of a key slot does not depend on which host). */
export const hostKeyDocuments = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? hkd1 : hkd2));
