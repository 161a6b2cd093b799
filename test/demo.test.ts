/** `npm run demo` on the bundled samples: verifies, builds, and the requests open with the sample host keys. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRequest, p521ScalarFromPem } from './helpers/independent.js';

const root = join(import.meta.dirname, '..');
const built = existsSync(join(root, 'dist', 'node.js'));

describe.skipIf(!built)(`npm run demo${built ? '' : ' — SKIPPED: run npm run build first (npm test does)'}`, () => {
  it('verifies the sample host-key documents and writes requests that open with each host key', () => {
    const out = execFileSync(process.execPath, [join(root, 'scripts', 'demo.mjs')], { encoding: 'utf8' });
    expect(out).toMatch(/host-key documents verified against the sample PKI/);
    const files = [...out.matchAll(/^(\/\S+\.bin): (\d+) bytes$/gm)].map((m) => [m[1] as string, Number(m[2])] as const);
    expect(files.map(([f]) => f.split('/').pop())).toEqual(['association.bin', 'meta.bin']);
    for (const [file, size] of files) {
      const req = readFileSync(file);
      expect(req.length).toBe(size);
      for (const n of [1, 2]) {
        const o = openRequest(req, p521ScalarFromPem(readFileSync(join(root, 'samples', `HKD-sample-${n}.key`))));
        expect(o.slotIndex).toBe(n - 1);
      }
    }
    expect(out).toMatch(/!Association\n\s+name: demo-association\n\s+id: 0x[0-9a-f]{64}/);
  });
});
