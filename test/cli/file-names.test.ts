/**
 * Messages name the file, in every command that verifies host-key documents: a bad CRL
 * or certificate given to `plan` or `create --batch` is named by the path its file
 * gives (never by its position, `CRL #2`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { cli, sample, tempDir } from './helpers.js';

const chain = (crl: string) => `certificates: [${sample('ibm-z-host-key-signing.crt')}, ${sample('intermediate-ca.crt')}]
rootCa: ${sample('root-ca.crt')}
crls: [${sample('root-ca.crl')}, ${crl}]
offline: true
`;

describe.concurrent('plan and create --batch name the file', () => {
  it('plan: a CRL that is no CRL', async ({ expect }) => {
    const d = tempDir();
    writeFileSync(join(d, 'junk.crl'), 'hello\n');
    writeFileSync(
      join(d, 'plan.yaml'),
      `guest: seguest\nhdr: ${sample('sample-se.img')}\nhostKeyDocuments: [${sample('HKD-sample-1.crt')}]\n${chain('junk.crl')}queues:\n  - { apqn: 16.001e, mode: EP11, mkvp: "0x5a3ff2a8d3e1c4b79ad0e6f1c2b38475" }\n`,
    );
    const r = await cli(['plan', join(d, 'plan.yaml'), '-o', join(d, 'out')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^se-secrets: error: .*CRL 'junk\.crl': no CRL found/m);
    expect(r.err).not.toContain('#2');
  });

  it('create --batch: a CRL that is no CRL', async ({ expect }) => {
    const d = tempDir();
    writeFileSync(join(d, 'junk.crl'), 'hello\n');
    writeFileSync(
      join(d, 'batch.yaml'),
      `defaults:\n  hostKeyDocuments: [${sample('HKD-sample-1.crt')}]\n${chain('junk.crl').replace(/^/gm, '  ').trimEnd()}\nrequests:\n  - { output: out/meta.bin, hdr: ${sample('sample.hdr')}, secret: { type: meta } }\n`,
    );
    const r = await cli(['create', '--batch', join(d, 'batch.yaml')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^se-secrets: error: .*CRL 'junk\.crl': no CRL found/m);
    expect(r.err).not.toContain('#2');
  });
});
