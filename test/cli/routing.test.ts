/**
 * One command line for every command: plan, decrypt, diff and create --batch run on
 * the same parser, usage error, reporter and exit-code rule as the rest; suggestions for
 * mistyped words. And create warns or refuses when a host key is not one the SE header
 * was built for.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { nodeBackend } from '../../src/crypto/node.js';
import { sealSeHeader } from '../fixtures/se-image.js';
import { planFileNames } from '../helpers/plans.js';
import { cli, createArgs, hostKeyHashOf, listDir, sample, tempDir } from './helpers.js';
import { X509Certificate } from 'node:crypto';

function hostPoint(file: string): Uint8Array {
  const jwk = new X509Certificate(readFileSync(sample(file))).publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  return new Uint8Array(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]));
}

describe.concurrent('one command line', () => {
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
    expect(listDir(join(d, 'out'))).toEqual(planFileNames().sort());
    const dec = await cli(['decrypt', join(d, 'out', 'request-16.001e.bin'), '--host-key-private', sample('HKD-sample-2.key')]);
    expect(dec.code).toBe(0);
    expect(dec.out).toMatch(/Association/);
    const diff = await cli(['diff', join(d, 'out', 'request-16.001e.bin'), join(d, 'out', 'request-17.001e.bin')]);
    expect(diff.code).toBe(1); // the names differ: a real difference
    expect(diff.out).toMatch(/secret id/);
  });

  it('every command given no arguments prints its usage on stderr (exit 1; diff 2)', async ({ expect }) => {
    for (const c of ['create', 'verify', 'inspect', 'extract-header', 'verify-hkd', 'plan', 'decrypt', 'diff', 'completion']) {
      const r = await cli([c]);
      expect(r.code, c).toBe(c === 'diff' ? 2 : 1);
      expect(r.err, c).toMatch(new RegExp(`^Usage: se-secrets ${c} `, 'm'));
      expect(r.out, c).toBe('');
    }
  });

  it('a mistyped command or option gets a suggestion', async ({ expect }) => {
    const cases: [string[], string][] = [
      [['creat'], "unrecognized subcommand 'creat': did you mean 'create'?"],
      [['verify-hdk', '-k', 'x'], "unrecognized subcommand 'verify-hdk': did you mean 'verify-hkd'?"],
      [createArgs('r', '--no-verfy', 'meta'), "unexpected argument '--no-verfy': did you mean '--no-verify'?"],
      [['verify-hkd', '-k', 'x', '--no-verfy'], "unexpected argument '--no-verfy': did you mean '--no-verify'?"],
      [['create', '-k', 'x', 'assocation', 'n'], "unrecognized subcommand 'assocation': did you mean 'association'?"],
      [['help', 'dif'], "unrecognized subcommand 'dif': did you mean 'diff'?"],
      [['decrypt', 'r', '--show-secrets'], "unexpected argument '--show-secrets': did you mean '--show-secret'?"],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err.split('\n')[0], args.join(' ')).toBe(`se-secrets: error: ${message}`);
    }
    expect((await cli(['zzzzzz'])).err).toMatch(/^se-secrets: error: unrecognized subcommand 'zzzzzz'\n/);
  });

  it('create --help documents --batch; --batch takes -v/-q and refuses the options of one request', async ({ expect }) => {
    const help = await cli(['create', '--help']);
    expect(help.out).toMatch(/^ {6}--batch <FILE> +Build every request the batch FILE/m);
    expect(help.out).toContain('se-secrets create [-v|-q] [-f] [--strict-host-match] [--verify-time <TIME>] --batch <FILE>');
    const r = await cli(['create', '-k', sample('HKD-sample-1.crt'), '--batch', 'b.yaml']);
    expect(r.err).toMatch(/^se-secrets: error: the argument '--host-key-document <FILE>' cannot be used with '--batch <FILE>'/);
    const q = await cli(['-q', 'create', '--batch', 'nope.yaml', '-q']);
    expect(q.err).toMatch(/^se-secrets: error: .*nope\.yaml/);
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
    const base = [
      'create',
      '-k',
      sample('HKD-sample-1.crt'),
      '-k',
      sample('HKD-sample-2.crt'),
      '--hdr',
      join(d, 'one.hdr'),
      '--no-verify',
      '-o',
      join(d, 'req'),
    ];
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
