/**
 * The built CLI routes plan, decrypt, diff and create --batch to their commands, and
 * create warns or refuses when a host key is not one the SE header was built for.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { nodeBackend } from '../../src/crypto/node.js';
import { sealSeHeader } from '../fixtures/se-image.js';
import { cli, createArgs, hostKeyHashOf, listDir, sample, tempDir } from './helpers.js';
import { X509Certificate } from 'node:crypto';

function hostPoint(file: string): Uint8Array {
  const jwk = new X509Certificate(readFileSync(sample(file))).publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  return new Uint8Array(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]));
}

describe.concurrent('routing of the commands with their own parser', () => {
  it('plan → decrypt → diff', async ({ expect }) => {
    const d = tempDir();
    writeFileSync(
      join(d, 'plan.yaml'),
      [
        'guest: seguest',
        `hdr: ${sample('sample-se.img')}`,
        'hostKeyDocuments:',
        `  - ${sample('HKD-sample-1.crt')}`,
        `  - ${sample('HKD-sample-2.crt')}`,
        'noVerify: true',
        'queues:',
        `  - { apqn: 16.001e, mode: EP11, mkvp: '0x${'ab'.repeat(32)}' }`,
        `  - { apqn: 17.001e, mode: EP11, mkvp: '0x${'ab'.repeat(32)}' }`,
        '',
      ].join('\n'),
    );
    const plan = await cli(['-q', 'plan', 'plan.yaml', '-o', 'out'], { cwd: d });
    expect(plan.err).toBe('');
    expect(plan.code).toBe(0);
    expect(listDir(join(d, 'out'))).toEqual(['guest-setup.sh', 'manifest.json', 'pvapconfig.yaml', 'request-16.001e.bin', 'request-17.001e.bin']);
    const dec = await cli(['decrypt', join(d, 'out', 'request-16.001e.bin'), '--host-key-private', sample('HKD-sample-2.key')]);
    expect(dec.code).toBe(0);
    expect(dec.out).toMatch(/Association/);
    const diff = await cli(['diff', join(d, 'out', 'request-16.001e.bin'), join(d, 'out', 'request-17.001e.bin')]);
    expect(diff.code).toBe(1); // the names differ: a real difference
    expect(diff.out).toMatch(/secret id/);
  });

  it('create --batch goes to the batch builder', async ({ expect }) => {
    const r = await cli(['create', '--batch', 'nope.yaml']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^se-secrets: error: .*nope\.yaml/m);
  });
});

describe.concurrent('create: host-key match', () => {
  it('warns when a host key is not in the SE header; --strict-host-match refuses and writes nothing', async ({ expect }) => {
    const d = tempDir();
    writeFileSync(join(d, 'one.hdr'), await sealSeHeader(nodeBackend, { hostKeys: [hostPoint('HKD-sample-1.crt')] }));
    const base = ['create', '-k', sample('HKD-sample-1.crt'), '-k', sample('HKD-sample-2.crt'), '--hdr', join(d, 'one.hdr'), '--no-verify', '-o', join(d, 'req')];
    const warn = await cli([...base, 'meta']);
    expect(warn.code).toBe(0);
    const hash = hostKeyHashOf(readFileSync(sample('HKD-sample-2.crt'), 'utf8')).toString('hex');
    expect(warn.err).toMatch(new RegExp(`warning: .*${hash}.*not among`));
    const strict = await cli([...base, '--strict-host-match', 'meta']);
    expect(strict.code).toBe(1);
    expect(strict.err).toMatch(/se-secrets: error: .*not among/);
    expect(listDir(d)).toEqual(['one.hdr', 'req']);
    const ok = await cli([...createArgs(join(d, 'req2')), '--strict-host-match', 'meta']);
    expect(ok.code).toBe(0);
  });
});
