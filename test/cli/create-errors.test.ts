/**
 * Every way `se-secrets create` fails: exit code 1, one clear line on stderr naming the
 * problem (usage errors add a hint to --help), nothing on stdout, and no file left
 * behind — not even a temporary one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ExpectStatic, describe, it } from 'vitest';
import { cli, createArgs, listDir, nestedCuid, sample, tempDir } from './helpers.js';

const K = ['-k', sample('HKD-sample-1.crt')];
const H = ['--hdr', sample('sample.hdr')];
/** The samples' chain of trust, offline, CRLs last. */
const CHAIN = ['-C', sample('ibm-z-host-key-signing.crt'), '-C', sample('intermediate-ca.crt'), '--root-ca', sample('root-ca.crt'), '--offline', '--crl', [sample('root-ca.crl'), sample('intermediate-ca.crl'), sample('ibm-z-host-key.crl')].join(',')];

/** Runs in a fresh directory holding `files`; checks the failure and that the directory is unchanged. */
async function fails(
  expect: ExpectStatic,
  args: string[] | ((d: string) => string[]),
  message: RegExp,
  files: Record<string, string | Uint8Array> = {},
) {
  const d = tempDir();
  for (const [name, content] of Object.entries(files)) writeFileSync(join(d, name), content);
  const before = listDir(d);
  const r = await cli(typeof args === 'function' ? args(d) : args, { cwd: d });
  expect(r.code).toBe(1);
  expect(r.out).toBe('');
  expect(r.err).toMatch(message);
  const errorLines = r.err.split('\n').filter((l) => l.startsWith('se-secrets: error: '));
  expect(errorLines).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  expect(listDir(d)).toEqual(before);
  return r;
}

const usage = (m: string) => new RegExp(`^se-secrets: error: ${m}\\nFor more information, try 'se-secrets[a-z -]* --help'\\.\\n$`, 'm');

describe.concurrent('create: usage errors (as pvsecret: exit 1)', () => {
  it('with no arguments prints the help of create on stderr', async ({ expect }) => {
    const r = await cli(['create']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('Usage: se-secrets create');
  });

  const cases: [string, string[], string][] = [
    ['missing -o', [...K, ...H, '--no-verify', 'meta'], 'the following required arguments were not provided: --output <FILE>'],
    ['missing -k', [...H, '-o', 'r', '--no-verify', 'meta'], 'the following required arguments were not provided: --host-key-document <FILE>'],
    ['missing --hdr', [...K, '-o', 'r', '--no-verify', 'meta'], 'the following required arguments were not provided: --hdr <FILE>'],
    ['neither --no-verify nor --cert', [...K, ...H, '-o', 'r', 'meta'], "one of '--no-verify' or '--cert <FILE>' is required"],
    ['no secret type', [...K, ...H, '-o', 'r', '--no-verify'], 'a subcommand is required: meta, association, retrievable, update-cck'],
    ['--no-verify with --cert', [...K, ...H, '-o', 'r', '--no-verify', '-C', 'c', 'meta'], "the argument '--no-verify' cannot be used with '--cert <FILE>'"],
    ['--no-verify with the hidden alias --crt', [...K, ...H, '-o', 'r', '--crt=c', '--no-verify', 'meta'], "the argument '--no-verify' cannot be used with '--cert <FILE>'"],
    ['--crl without --cert', [...K, ...H, '-o', 'r', '--no-verify', '--crl', 'c', 'meta'], "the argument '--crl <FILE>' requires '--cert <FILE>'"],
    ['--offline without --cert', [...K, ...H, '-o', 'r', '--no-verify', '--offline', 'meta'], "the argument '--offline' requires '--cert <FILE>'"],
    ['--root-ca without --cert', [...K, ...H, '-o', 'r', '--no-verify', '--root-ca', 'c', 'meta'], "the argument '--root-ca <ROOT_CA>' requires '--cert <FILE>'"],
    ['--cck with --extension-secret', [...K, ...H, '-o', 'r', '--no-verify', '--cck', 'a', '--extension-secret', 'b', 'meta'], "the argument '--cck <FILE>' cannot be used with '--extension-secret <FILE>'"],
    ['--cuid with --cuid-hex', [...K, ...H, '-o', 'r', '--no-verify', '--cuid', 'a', '--cuid-hex', 'b', 'meta'], "the argument '--cuid <FILE>' cannot be used with '--cuid-hex <HEXSTRING>'"],
    ['--pcf with --flags', [...K, ...H, '-o', 'r', '--no-verify', '--pcf', '1', '--flags', 'disable-dump', 'meta'], "the argument '--pcf <PCF>' cannot be used with '--flags <FLAGS>'"],
    ['--policy with --user-data', [...K, ...H, '-o', 'r', '--no-verify', '--policy', 'a', '--user-data', 'b', 'meta'], "the argument '--policy <FILE>' cannot be used with '--user-data <FILE>'"],
    ['--input-secret with --output-secret', [...K, ...H, '-o', 'r', '--no-verify', 'association', 'n', '--input-secret', 'a', '--output-secret', 'b'], "the argument '--input-secret <SECRET-FILE>' cannot be used with '--output-secret <SECRET-FILE>'"],
    ['a create option after the secret type', [...K, ...H, '-o', 'r', '--no-verify', 'meta', '--cuid-hex', 'x'], "unexpected argument '--cuid-hex': it is an option of 'create'; it must come before 'meta'"],
    ['a secret-type option before it', [...K, ...H, '-o', 'r', '--no-verify', '--stdout', 'association', 'n'], "unexpected argument '--stdout': it is an option of 'create association'; it is not accepted here"],
    ['an unknown option', [...K, ...H, '-o', 'r', '--no-verify', '--bogus', 'meta'], "unexpected argument '--bogus'"],
    ['an unknown secret type', [...K, ...H, '-o', 'r', '--no-verify', 'null'], "unrecognized subcommand 'null'"],
    ['--hdr twice', [...K, ...H, ...H, '-o', 'r', '--no-verify', 'meta'], "the argument '--hdr <FILE>' cannot be used multiple times"],
    ['a flag twice', [...K, ...H, '-o', 'r', '--no-verify', '--no-verify', 'meta'], "the argument '--no-verify' cannot be used multiple times"],
    ['a value for a flag', [...K, ...H, '-o', 'r', '--no-verify=yes', 'meta'], "unexpected value 'yes' for '--no-verify': it takes no value"],
    ['an unknown --flags value', [...K, ...H, '-o', 'r', '--no-verify', '--flags', 'disable-dump,dump', 'meta'], "invalid value 'dump' for '--flags <FLAGS>' \\(possible values: disable-dump\\)"],
    ['an unknown --type', [...K, ...H, '-o', 'r', '--no-verify', 'retr', 'n', '--secret', 's', '--type', 'des'], "invalid value 'des' for '--type <TYPE>' \\(possible values: plain, aes, aes-xts, hmac-sha, ec\\)"],
    ['retrievable without --secret', [...K, ...H, '-o', 'r', '--no-verify', 'retrievable', 'n', '--type', 'aes'], 'the following required arguments were not provided: --secret <SECRET-FILE>'],
    ['update-cck without --secret', [...K, ...H, '-o', 'r', '--no-verify', 'cck'], 'the following required arguments were not provided: --secret <CCK-FILE>'],
    ['association without NAME', [...K, ...H, '-o', 'r', '--no-verify', 'association', '--stdout'], 'the following required arguments were not provided: <NAME>'],
    ['two names', [...K, ...H, '-o', 'r', '--no-verify', 'association', 'a', 'b'], "unexpected argument 'b'"],
    ['-o without a value', [...K, ...H, '--no-verify', 'meta', '-o'], "unexpected argument '-o': it is an option of 'create'; it must come before 'meta'"],
    ['a value that looks like an option', [...K, ...H, '-o', '-x', '--no-verify', 'meta'], "a value is required for '--output <FILE>' but none was supplied"],
    ['-v with -q', ['-v', ...K, ...H, '-o', 'r', '--no-verify', 'meta', '-q'], "the argument '--quiet' cannot be used with '--verbose'"],
    ['-o NAME.yaml for an association', [...K, ...H, '-o', 'n.yaml', '--no-verify', 'association', 'n'], "--output 'n.yaml' is the file the secret information goes to; choose another name"],
    ['--output-secret NAME.yaml', [...K, ...H, '-o', 'r', '--no-verify', 'association', 'n', '--output-secret', 'n.yaml'], "--output-secret 'n.yaml' is the file the secret information goes to; choose another name"],
  ];
  for (const [what, args, message] of cases) {
    it(`rejects ${what}`, async ({ expect }) => {
      await fails(expect, ['create', ...args], usage(message));
    });
  }
});

describe.concurrent('create: input errors name the file and the problem', () => {
  const ok = [...K, ...H, '-o', 'r', '--no-verify'];
  const cases: [string, string[], RegExp, Record<string, string | Uint8Array>?][] = [
    ['a missing --hdr file', ['create', ...K, '--hdr', 'nofile', '-o', 'r', '--no-verify', 'meta'], /error: cannot read SE header 'nofile': no such file or directory$/m],
    ['a --hdr without an SE header', ['create', ...K, '--hdr', 'junk', '-o', 'r', '--no-verify', 'meta'], /error: --hdr 'junk': se header: no SE header found/, { junk: 'hello\n' }],
    ['a truncated --hdr', ['create', ...K, '--hdr', 'short', '-o', 'r', '--no-verify', 'meta'], /error: --hdr 'short': se header: truncated/, { short: readFileSync(sample('sample.hdr')).subarray(0, 600) }],
    ['a missing host-key document', ['create', '-k', 'nofile', ...H, '-o', 'r', '--no-verify', 'meta'], /error: cannot read host-key document 'nofile': no such file or directory$/m],
    ['a host-key document that is not a certificate', ['create', '-k', 'junk', ...H, '-o', 'r', '--no-verify', 'meta'], /error: host-key document 'junk': not a valid X.509 certificate$/m, { junk: 'hello\n' }],
    ['a host key that is not P-521', ['create', '-k', sample('root-ca.crt'), ...H, '-o', 'r', '--no-verify', 'meta'], /error: host-key document '.*root-ca.crt': host key must be EC secp521r1 \(P-521\)/],
    // An RSA key given as -k: named as RSA (no OID), with where such a certificate belongs.
    ...[['--no-verify'], CHAIN].map((verify): [string, string[], RegExp] => [
      `the signing-key certificate as -k (${verify[0]})`,
      ['create', '-k', 'signing.crt', ...H, '-o', 'r', ...verify, 'meta'],
      /^se-secrets: error: (host-key verification: )?host-key document 'signing\.crt': host key must be EC secp521r1 \(P-521\), got RSA-2048; an RSA key means a signing-key or CA certificate, which belongs with the chain of trust \(-C\/--cert\), not with the host-key documents \(-k\)$/m,
    ]).map(([w, a, m]): [string, string[], RegExp, Record<string, Uint8Array>] => [w, a, m, { 'signing.crt': readFileSync(sample('ibm-z-host-key-signing.crt')) }]),
    // Certificate and CRL files are named by their path, not by their position (`CRL #2`).
    ['a --crl that is no CRL', ['create', ...K, ...H, '-o', 'r', ...CHAIN.slice(0, 7), '--crl', sample('root-ca.crl'), '--crl', 'junk.crl', 'meta'], /^se-secrets: error: CRL 'junk\.crl': no CRL found/m, { 'junk.crl': 'hello\n' }],
    ['a -C certificate that does not parse', ['create', ...K, ...H, '-o', 'r', ...CHAIN.slice(0, 4), '-C', 'bad.crt', ...CHAIN.slice(4), 'meta'], /^se-secrets: error: certificate 'bad\.crt': /m, { 'bad.crt': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }],
    ['a --root-ca that does not parse', ['create', ...K, ...H, '-o', 'r', ...CHAIN.slice(0, 4), '--root-ca', 'root.crt', '--offline', 'meta'], /^se-secrets: error: root CA 'root\.crt': /m, { 'root.crt': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }],
    ['an --input-secret of 31 bytes', ['create', ...ok, 'association', 'n', '--input-secret', 's'], /error: association secret 's' must be exactly 32 bytes \(got 31\)$/m, { s: new Uint8Array(31) }],
    ['a --cck of 33 bytes', ['create', ...ok, '--cck', 's', 'meta'], /error: CCK 's' must be exactly 32 bytes \(got 33\)$/m, { s: new Uint8Array(33) }],
    ['a missing --extension-secret', ['create', ...ok, '--extension-secret', 'nofile', 'meta'], /error: cannot read extension secret 'nofile': no such file or directory$/m],
    ['a short --cuid-hex', ['create', ...ok, '--cuid-hex', '0x1234', 'meta'], /error: --cuid-hex: the CUID must be 32 hex digits with leading zeros \(got 4 characters\)$/m],
    ['an uppercase 0X prefix (as pvsecret)', ['create', ...ok, '--cuid-hex', `0X${'00'.repeat(16)}`, 'meta'], /got 34 characters/],
    ['a --cuid-hex with a bad digit', ['create', ...ok, '--cuid-hex', `zz${'00'.repeat(15)}`, 'meta'], /error: --cuid-hex: 'zz0{30}' is not a hexadecimal number$/m],
    ['a --cuid YAML without cuid', ['create', ...ok, '--cuid', 'c.yaml', 'meta'], /error: --cuid 'c.yaml': no 'cuid' entry found/, { 'c.yaml': 'other: 1\n' }],
    ['a --cuid YAML with the cuid in the 9th nested mapping', ['create', ...ok, '--cuid', 'c.yaml', 'meta'], /no 'cuid' entry found/, { 'c.yaml': nestedCuid(8) }],
    ['a --cuid YAML with a short value', ['create', ...ok, '--cuid', 'c.yaml', 'meta'], /error: --cuid 'c.yaml': the CUID must be 32 hex digits/, { 'c.yaml': "cuid: '0x1234'\n" }],
    ['a --cuid that is not YAML', ['create', ...ok, '--cuid', 'c.yaml', 'meta'], /error: --cuid 'c.yaml': neither 16 raw bytes \(got 9\) nor YAML/, { 'c.yaml': 'cuid: [1\n' }],
    ['a --pcf that is not hex', ['create', ...ok, '--pcf', 'xyz', 'meta'], /error: --pcf: 'xyz' is not a hexadecimal number$/m],
    ['a --pcf of 17 digits', ['create', ...ok, '--pcf', '1'.repeat(17), 'meta'], /error: --pcf: at most 16 hex digits \(got 17\)$/m],
  ];
  for (const [what, args, message, files] of cases) {
    it(`rejects ${what}`, async ({ expect }) => {
      await fails(expect, args, message, files);
    });
  }
});

describe.concurrent('create: output errors leave nothing behind (atomic outputs)', () => {
  it('fails on a missing output directory', async ({ expect }) => {
    const r = await fails(expect, createArgs('nodir/r', 'meta'), /error: cannot write add-secret request 'nodir\/r': no such file or directory$/m);
    expect(r.err).not.toContain('Successfully'); // pvsecret 2.43 prints success first (a deliberate difference)
  });

  it('writes no request when a later output (--output-secret) cannot be written (pvsecret would leave the request)', async ({ expect }) => {
    await fails(expect, createArgs('r', 'association', 'n', '--output-secret', 'nodir/s'), /error: cannot write association secret 'nodir\/s': no such file or directory$/m);
  });

  it('writes no request when NAME.yaml cannot be written (a NAME with a missing directory)', async ({ expect }) => {
    await fails(expect, createArgs('r', 'association', 'sub/n'), /error: cannot write secret information 'sub\/n.yaml': no such file or directory$/m);
  });

  it('refuses to overwrite the request with NAME.yaml, also through another spelling (pvsecret overwrites)', async ({ expect }) => {
    await fails(expect, createArgs('./n.yaml', 'association', 'n'), /error: secret information and add-secret request would both be written to '.\/n.yaml'; choose different files$/m);
  });

  it('refuses a --toc-policy that is the request file', async ({ expect }) => {
    await fails(expect, createArgs('r', '--toc-policy', 'r', 'meta'), /error: add-secret request and TOC policy would both be written to 'r'/);
  });

  it('leaves an existing output file untouched on failure', async ({ expect }) => {
    const d = tempDir();
    writeFileSync(join(d, 'r'), 'old request');
    writeFileSync(join(d, 'toc'), 'old line\n');
    const r = await cli(createArgs('r', '--toc-policy', 'toc', 'association', 'n', '--output-secret', 'nodir/s'), { cwd: d });
    expect(r.code).toBe(1);
    expect(readFileSync(join(d, 'r'), 'utf8')).toBe('old request');
    expect(readFileSync(join(d, 'toc'), 'utf8')).toBe('old line\n');
    expect(listDir(d)).toEqual(['r', 'toc']);
  });

  it('fails when -o is a directory', async ({ expect }) => {
    await fails(expect, (d) => createArgs(d, 'meta'), /error: cannot write add-secret request '.*': is a directory$/m);
  });
});

describe.concurrent('plan and create --batch name the host-key document file', () => {
  const verify = `certificates: ['${sample('ibm-z-host-key-signing.crt')}', '${sample('intermediate-ca.crt')}']\ncrls: ['${sample('root-ca.crl')}', '${sample('intermediate-ca.crl')}', '${sample('ibm-z-host-key.crl')}']\nrootCa: '${sample('root-ca.crt')}'\noffline: true\n`;
  for (const [what, v] of [['verified', verify], ['unverified', 'noVerify: true\n']] as const) {
    it(`an RSA certificate as a host-key document (${what})`, async ({ expect }) => {
      const d = tempDir();
      writeFileSync(join(d, 'signing.crt'), readFileSync(sample('ibm-z-host-key-signing.crt')));
      const queue = "queues: [{apqn: '16.001e', mode: EP11, mkvp: '0x5a3ff2a8d3e1c4b79ad0e6f1c2b38475'}]\n";
      writeFileSync(join(d, 'p.yaml'), `guest: g\nhdr: '${sample('sample.hdr')}'\nhostKeyDocuments: [signing.crt]\n${v}${queue}`);
      const p = await cli(['plan', join(d, 'p.yaml'), '-o', join(d, 'out')]);
      expect(p.code).toBe(1);
      expect(p.err).toMatch(/^se-secrets: error: hostKeyDocuments: (host-key verification: )?host-key document 'signing\.crt': host key must be EC secp521r1 \(P-521\), got RSA-2048/m);
      const entry = Object.fromEntries(v.trim().split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
      const fields = Object.entries(entry).map(([k, x]) => `${k}: ${x}`).join(', ');
      writeFileSync(join(d, 'b.yaml'), `- {output: a.bin, hdr: '${sample('sample.hdr')}', hostKeyDocuments: [signing.crt], ${fields}, secret: {type: meta}}\n`);
      const b = await cli(['create', '--batch', join(d, 'b.yaml')]);
      expect(b.code).toBe(1);
      expect(b.err).toMatch(/^se-secrets: error: batch entry 1 \(a\.bin\): (host-key verification: )?host-key document 'signing\.crt': host key must be EC secp521r1 \(P-521\), got RSA-2048/m);
      expect(listDir(d)).toEqual(['b.yaml', 'p.yaml', 'signing.crt']);
    });
  }
});

describe.concurrent('create: pvsecret commands that only run on a guest', () => {
  for (const c of ['add', 'list', 'lock', 'retrieve', 'retr']) {
    it(`'${c}' fails with a pointer to pvsecret`, async ({ expect }) => {
      await fails(expect, [c, 'x'], new RegExp(`error: '${c}' works only inside an IBM Secure Execution guest`));
    });
  }
  it("'attest perform' fails with a pointer to pvattest", async ({ expect }) => {
    await fails(expect, ['attest', 'perform', '-i', 'x'], /error: 'perform' works only inside an IBM Secure Execution guest \(it talks to the Ultravisor\): run 'pvattest perform' there$/m);
  });
});
