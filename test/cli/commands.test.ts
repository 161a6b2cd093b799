/**
 * help, version, completion, verify-hkd, verify, and host-key document handling.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { cli, createArgs, hostKeyHashOf, listDir, openRequest, sample, tempDir } from './helpers.js';

const pemToDer = (pem: string) => Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, ''), 'base64');

describe.concurrent('help, version, completion', () => {
  const helpCases: string[][] = [
    ['--help'], ['-h'], ['help'], ['create', '--help'], ['help', 'create'], ['create', 'help', 'association'],
    ['create', 'association', '--help'], ['create', 'retr', '-h'], ['create', 'cck', '--help'], ['create', 'meta', '--help'],
    ['verify', '--help'], ['inspect', '--help'], ['extract-header', '--help'], ['verify-hkd', '--help'], ['completion', '--help'],
  ];
  for (const args of helpCases) {
    it(`${args.join(' ')} prints help on stdout, exit 0`, async ({ expect }) => {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toMatch(/^Usage: se-secrets/m);
      expect(r.out).toMatch(/^ {2}-h, --help/m);
    });
  }

  it('create --help lists every pvsecret create option except the hidden --pcf', async ({ expect }) => {
    const r = await cli(['create', '--help']);
    for (const o of ['--host-key-document', '--no-verify', '--cert', '--crl', '--offline', '--root-ca', '--hdr', '--force', '--output',
      '--extension-secret', '--cck', '--cuid-hex', '--cuid', '--flags', '--user-data', '--policy', '--toc-policy', '--user-sign-key', '--use-name', '--verbose', '--quiet']) {
      expect(r.out).toContain(o);
    }
    expect(r.out).not.toContain('--pcf');
    expect(r.out).toContain('[possible values: disable-dump]');
  });

  it('no arguments: help on stderr, exit 1 (as pvsecret)', async ({ expect }) => {
    const r = await cli([]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('Usage: se-secrets [OPTIONS] <COMMAND>');
  });

  it('--version and the hidden version command', async ({ expect }) => {
    const version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
    for (const args of [['--version'], ['version']]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`se-secrets version ${version}\n`);
    }
    const bad = await cli(['create', '--version']);
    expect(bad.code).toBe(1);
  });

  it('-V still works as a deprecated -v, with a warning', async ({ expect }) => {
    const r = await cli(['-V', '--version']);
    expect(r.code).toBe(0);
    expect(r.err).toBe("warning: the flag '-V' is deprecated; use '-v' or '--verbose'\n");
  });

  it('completion bash prints a script that bash accepts', async ({ expect }) => {
    const r = await cli(['completion', 'bash']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('complete -F _se_secrets se-secrets');
    expect(r.out).toContain('"create|association") cmd="create association"');
    const syntax = spawnSync('bash', ['-n'], { input: r.out });
    if (!syntax.error) expect(syntax.status, syntax.stderr.toString()).toBe(0);
    const bad = await cli(['completion', 'tcsh']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("unsupported shell 'tcsh' (supported: bash, zsh, fish)");
  });
});

describe.concurrent('host-key documents', () => {
  it('accepts DER, and uses only the first certificate of a file with a warning (as pvsecret)', async ({ expect }) => {
    const d = tempDir();
    writeFileSync(join(d, 'hkd.der'), pemToDer(readFileSync(sample('HKD-sample-1.crt'), 'utf8')));
    writeFileSync(join(d, 'two.crt'), readFileSync(sample('HKD-sample-1.crt'), 'utf8') + readFileSync(sample('HKD-sample-2.crt'), 'utf8'));
    const der = await cli(['create', '-k', join(d, 'hkd.der'), '--hdr', sample('sample.hdr'), '-o', join(d, 'a'), '--no-verify', 'meta']);
    expect(der.code).toBe(0);
    expect(openRequest(readFileSync(join(d, 'a'))).nks).toBe(1);
    const two = await cli(['create', '-k', join(d, 'two.crt'), '--hdr', sample('sample.hdr'), '-o', join(d, 'b'), '--no-verify', 'meta']);
    expect(two.code).toBe(0);
    expect(two.err).toContain(`warning: host-key document '${join(d, 'two.crt')}' holds 2 certificates; only the first one is used`);
    expect(openRequest(readFileSync(join(d, 'b'))).nks).toBe(1);
  });
});

describe.concurrent('verify-hkd', () => {
  it('--no-verify reads each document and prints its subject and host-key hash', async ({ expect }) => {
    const r = await cli(['verify-hkd', '--no-verify', '-k', `${sample('HKD-sample-1.crt')},${sample('HKD-sample-2.crt')}`]);
    expect(r.code).toBe(0);
    for (const f of ['HKD-sample-1.crt', 'HKD-sample-2.crt']) {
      const hash = hostKeyHashOf(readFileSync(sample(f), 'utf8')).toString('hex');
      expect(r.out).toContain(`${sample(f)}\n  subject:       `);
      expect(r.out).toContain(`  host-key hash: 0x${hash}\n`);
    }
    expect(r.err).toContain('not verified');
  });

  it.concurrent.for([
    [['verify-hkd', '--no-verify', '-k', 'nofile'], /^se-secrets: error: cannot read host-key document 'nofile': no such file or directory$/m],
    [['verify-hkd', '--no-verify'], /the following required arguments were not provided: --host-key-document <FILE>/],
    [['verify-hkd', '-k', 'x'], /one of '--no-verify' or '--cert <FILE>' is required/],
    [['verify-hkd', '-k', 'x', '--no-verify', '--offline'], /the argument '--offline' requires '--cert <FILE>'/],
  ] as [string[], RegExp][])('fails: %s', async ([args, message], { expect }) => {
    const r = await cli(args);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });

  it('--cert: verifies the sample host-key documents against the sample PKI', async ({ expect }) => {
    const chain = ['-C', sample('ibm-z-host-key-signing.crt'), '-C', sample('intermediate-ca.crt'), '--root-ca', sample('root-ca.crt'), '--offline'];
    const crls = ['--crl', sample('ibm-z-host-key.crl'), '--crl', sample('intermediate-ca.crl'), '--crl', sample('root-ca.crl')];
    const ok = await cli(['verify-hkd', '-k', sample('HKD-sample-1.crt'), '-k', sample('HKD-sample-2.crt'), ...chain, ...crls]);
    expect(ok.code).toBe(0);
    for (const f of ['HKD-sample-1.crt', 'HKD-sample-2.crt']) {
      expect(ok.out).toContain(`  host-key hash: 0x${hostKeyHashOf(readFileSync(sample(f), 'utf8')).toString('hex')}\n`);
    }
    // without the root's CRL the chain cannot be checked for revocation
    const bad = await cli(['verify-hkd', '-k', sample('HKD-sample-1.crt'), ...chain, '--crl', sample('ibm-z-host-key.crl'), '--crl', sample('intermediate-ca.crl')]);
    expect(bad.code).toBe(1);
    expect(bad.out).toBe('');
    expect(bad.err).toMatch(/signing key/i);
  });

  it('--cert: a file with no certificate and no CRL is ignored as pvsecret ignores it, with a warning naming it', async ({ expect }) => {
    const empty = join(tempDir(), 'empty.crt');
    writeFileSync(empty, '');
    const crls = ['--crl', sample('ibm-z-host-key.crl'), '--crl', sample('intermediate-ca.crl'), '--crl', sample('root-ca.crl')];
    const ok = await cli(['verify-hkd', '-k', sample('HKD-sample-1.crt'), '-C', sample('ibm-z-host-key-signing.crt'), '-C', empty, '-C', sample('intermediate-ca.crt'), '--root-ca', sample('root-ca.crt'), '--offline', ...crls]);
    expect(ok.code).toBe(0);
    expect(ok.err).toBe(`warning: certificate '${empty}' holds no certificate and no CRL; it is ignored\nHost-key documents verified.\n`);
    const alone = await cli(['verify-hkd', '-k', sample('HKD-sample-1.crt'), '-C', empty, '-C', sample('intermediate-ca.crt'), '--root-ca', sample('root-ca.crt'), '--offline', ...crls]);
    expect(alone.code).toBe(1);
    expect(alone.err).toContain(`se-secrets: error: host-key verification: no IBM Z signing key among the 1 certificates given (expected exactly one); certificate '${empty}' held no certificate\n`);
  });
});

describe.concurrent('verification time and steps', () => {
  const chain = ['-C', sample('ibm-z-host-key-signing.crt'), '-C', sample('intermediate-ca.crt'), '--root-ca', sample('root-ca.crt'), '--offline'];
  const crls = ['--crl', sample('ibm-z-host-key.crl'), '--crl', sample('intermediate-ca.crl'), '--crl', sample('root-ca.crl')];

  it('--verify-time reproduces a decision at another time (the sample PKI is valid 2025 to 2045)', async ({ expect }) => {
    const base = ['verify-hkd', '-k', sample('HKD-sample-1.crt'), ...chain, ...crls];
    expect((await cli([...base, '--verify-time', '2030-03-12T00:00:00Z'])).code).toBe(0);
    const early = await cli([...base, '--verify-time', '2024-03-12T00:00:00Z']);
    expect(early.code).toBe(1);
    expect(early.err).toMatch(/^se-secrets: error: .*(not yet valid|not valid before|before)/im);
    const d = tempDir();
    const create = await cli(['create', '-k', sample('HKD-sample-1.crt'), ...chain, ...crls, '--verify-time=2024-03-12', '--hdr', sample('sample.hdr'), '-o', join(d, 'r'), 'meta']);
    expect(create.code).toBe(1);
    expect(listDir(d)).toEqual([]);
    const bad = await cli([...base, '--verify-time', 'yesterday']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^se-secrets: error: invalid value 'yesterday' for '--verify-time <TIME>': expected an RFC 3339 time/m);
    // a day past the month's end is refused, not rolled over into the next month
    for (const t of ['2024-02-30', '2023-02-29T00:00:00Z', '2024-04-31T12:00:00+02:00']) {
      const rolled = await cli([...base, '--verify-time', t]);
      expect(rolled.code).toBe(1);
      expect(rolled.err).toMatch(new RegExp(`^se-secrets: error: invalid value '${t.replace(/[+]/g, '\\+')}' for '--verify-time <TIME>'`, 'm'));
    }
    expect((await cli([...base, '--verify-time', '2028-02-29'])).code).toBe(0);
    const noCert = await cli(['verify-hkd', '-k', sample('HKD-sample-1.crt'), '--no-verify', '--verify-time', '2030-01-01']);
    expect(noCert.err).toMatch(/the argument '--verify-time <TIME>' requires '--cert <FILE>'/);
  });

  it('plan --verify-time verifies as of that time; the manifest says when the plan was made', async ({ expect }) => {
    const d = tempDir();
    const s = (f: string) => `'${sample(f)}'`;
    writeFileSync(
      join(d, 'p.yaml'),
      `guest: g\nhdr: ${s('sample.hdr')}\nhostKeyDocuments: [${s('HKD-sample-1.crt')}]\ncertificates: [${s('ibm-z-host-key-signing.crt')}, ${s('intermediate-ca.crt')}]\n` +
        `crls: [${s('ibm-z-host-key.crl')}, ${s('intermediate-ca.crl')}, ${s('root-ca.crl')}]\nrootCa: ${s('root-ca.crt')}\noffline: true\n` +
        `queues: [{apqn: '16.001e', mode: EP11, mkvp: '0x5a3ff2a8d3e1c4b79ad0e6f1c2b38475'}]\n`,
    );
    const early = await cli(['plan', join(d, 'p.yaml'), '-o', join(d, 'early'), '--verify-time', '2024-03-12']);
    expect(early.code).toBe(1);
    expect(listDir(d)).toEqual(['p.yaml']);
    const before = Date.now();
    const later = await cli(['plan', join(d, 'p.yaml'), '-o', join(d, 'out'), '--verify-time', '2030-03-12T00:00:00Z']);
    expect(later.code, later.err).toBe(0);
    const createdAt = Date.parse(JSON.parse(readFileSync(join(d, 'out', 'manifest.json'), 'utf8')).createdAt);
    expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
    expect(createdAt).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('-v shows each verification step', async ({ expect }) => {
    const r = await cli(['verify-hkd', '-v', '-k', sample('HKD-sample-1.crt'), ...chain, ...crls, '--verify-time', '2030-03-12T00:00:00Z']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('Verifying as of 2030-03-12T00:00:00.000Z (--verify-time)\n');
    expect(r.err).toMatch(/^Verification: read 2 certificate\(s\), 3 CRL\(s\) and 1 trusted root\(s\)$/m);
    expect(r.err).toMatch(/^Verification: found the IBM Z signing key: /m);
    expect(r.err).toMatch(/^Verification: chain of trust verified: .* <- /m);
    expect(r.err).toMatch(new RegExp(`^Verification: host-key document '${sample('HKD-sample-1.crt').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' verified: `, 'm'));
    const quiet = await cli(['verify-hkd', '-k', sample('HKD-sample-1.crt'), ...chain, ...crls]);
    expect(quiet.err).not.toContain('Verification:');
  });
});

describe.concurrent('verify', () => {
  it.concurrent.for([
    [['verify', '-i', 'a', 'b'], "the argument '--input <FILE>' cannot be used with '<INPUT>'"],
    [['verify', 'a', '-o', 'x', 'y'], "the argument '--output <OUTPUT>' cannot be used with '<OUTPUT>'"],
    [['verify', '--user-cert', 'c'], "one of '--input <FILE>' or '<INPUT>' is required"],
    [['verify', 'a', 'b', 'c'], "unexpected argument 'c'"],
  ] as [string[], string][])('usage error: %s', async ([args, message], { expect }) => {
    const r = await cli(args);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`se-secrets: error: ${message}`);
  });

  describe('with request verification', () => {
    it('a request without user data: success line, no output written', async ({ expect }) => {
      const d = tempDir();
      await cli(createArgs(join(d, 'req'), '-q', 'meta'));
      for (const args of [['verify', join(d, 'req'), join(d, 'out')], ['verify', '-i', join(d, 'req'), '-o', join(d, 'out')]]) {
        const r = await cli(args);
        expect(r.code).toBe(0);
        expect(r.out).toBe('');
        expect(r.err).toBe('Successfully verified the request.\n');
      }
      expect(listDir(d)).toEqual(['req']); // stdin (-) is tested on the built binary (binary.test.ts)
    });

    it('a truncated request fails without output', async ({ expect }) => {
      const d = tempDir();
      await cli(createArgs(join(d, 'req'), '-q', 'meta'));
      writeFileSync(join(d, 'short'), readFileSync(join(d, 'req')).subarray(0, 1000));
      const r = await cli(['verify', join(d, 'short'), join(d, 'out')]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/could not be verified/);
      expect(listDir(d)).toEqual(['req', 'short']);
    });
  });
});
