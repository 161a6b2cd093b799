/**
 * `se-secrets create`: every path that works today, run as a subprocess on real files.
 * Each request is opened independently (node:crypto) with the sample host's key.
 */
import { createHash, hkdfSync } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { cli, createArgs, listDir, nestedCuid, openRequest, sample, sampleHeaderTag, tempDir } from './helpers.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const assocYaml = (name: string, id: Buffer) => `!Association\nname: ${name}\nid: 0x${id.toString('hex')}\n`;

describe.concurrent('create meta', () => {
  it('builds a meta request bound to the sample header, with a loud --no-verify warning', async ({ expect }) => {
    const d = tempDir();
    const r = await cli(createArgs(join(d, 'req.bin'), 'meta'));
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^warning: host-key document verification is disabled \(--no-verify\): the secret may NOT be protected/m);
    expect(r.err).toMatch(/^Successfully generated the request$/m);
    expect(listDir(d)).toEqual(['req.bin']);
    const req = readFileSync(join(d, 'req.bin'));
    expect(req.length).toBe(1352);
    const o = openRequest(req);
    expect(o.secretType).toBe(0x01);
    expect(o.plaintext).toEqual(Buffer.alloc(32));
    expect(o.seHeaderTag).toEqual(sampleHeaderTag());
    expect(o.flags).toBe(0n);
    expect(o.cuid).toEqual(Buffer.alloc(16));
    expect(statSync(join(d, 'req.bin')).mode & 0o777).toBe(0o666 & ~process.umask());
  });

  it('accepts the SE image as --hdr (metadata at 0xc000) with the same tags', async ({ expect }) => {
    const d = tempDir();
    const args = ['create', '-k', sample('HKD-sample-1.crt'), '--hdr', sample('sample-se.img'), '-o', join(d, 'req.bin'), '--no-verify', 'meta'];
    expect((await cli(args)).code).toBe(0);
    expect(openRequest(readFileSync(join(d, 'req.bin'))).seHeaderTag).toEqual(sampleHeaderTag());
  });

  it('sets disable-dump (--flags, repeated and comma lists) and raw --pcf (always hex)', async ({ expect }) => {
    const d = tempDir();
    expect((await cli(createArgs(join(d, 'a'), '--flags', 'disable-dump,disable-dump', '--flags=disable-dump', 'meta'))).code).toBe(0);
    expect(openRequest(readFileSync(join(d, 'a'))).flags).toBe(0x8000000000000000n);
    expect((await cli(createArgs(join(d, 'b'), '--pcf', '10', 'meta'))).code).toBe(0);
    expect(openRequest(readFileSync(join(d, 'b'))).flags).toBe(0x10n);
    expect((await cli(createArgs(join(d, 'c'), '--pcf=0xffffffffffffffff', 'meta'))).code).toBe(0);
    expect(openRequest(readFileSync(join(d, 'c'))).flags).toBe(0xffffffffffffffffn);
  });

  it('binds the CUID from --cuid-hex (with or without 0x) and from --cuid files (raw, YAML quoted or not, nested)', async ({ expect }) => {
    const d = tempDir();
    const hex = '00112233445566778899aabbccddeeff';
    const want = Buffer.from(hex, 'hex');
    const files: Record<string, string | Buffer> = {
      raw: want,
      quoted: `cuid: '0x${hex}'\n`,
      unquoted: `cuid: 0x${hex}\n`,
      nested: `attestation:\n  result:\n    config:\n      cuid: "0x${hex}"\nother: 1\n`,
      scalar: `0x${hex}\n`,
      depth7: nestedCuid(7, `0x${hex}`),
    };
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(d, `${name}.cuid`), content);
      const r = await cli(createArgs(join(d, `${name}.req`), '--cuid', join(d, `${name}.cuid`), 'meta'));
      expect(r.err, name).not.toMatch(/error/);
      expect(openRequest(readFileSync(join(d, `${name}.req`))).cuid, name).toEqual(want);
    }
    for (const v of [hex, `0x${hex}`, `0x${hex.toUpperCase()}`]) {
      expect((await cli(createArgs(join(d, 'h.req'), `--cuid-hex=${v}`, 'meta'))).code).toBe(0);
      expect(openRequest(readFileSync(join(d, 'h.req'))).cuid).toEqual(want);
    }
  });

  it('carries a given extension secret, or one derived from a CCK with HKDF-SHA-512', async ({ expect }) => {
    const d = tempDir();
    const ext = Buffer.alloc(32, 0x17);
    const cck = Buffer.alloc(32, 0x2a);
    writeFileSync(join(d, 'ext'), ext);
    writeFileSync(join(d, 'cck'), cck);
    expect((await cli(createArgs(join(d, 'a'), '--extension-secret', join(d, 'ext'), 'meta'))).code).toBe(0);
    expect(openRequest(readFileSync(join(d, 'a'))).plaintext).toEqual(ext);
    expect((await cli(createArgs(join(d, 'b'), '--cck', join(d, 'cck'), 'meta'))).code).toBe(0);
    const derived = Buffer.from(hkdfSync('sha512', cck, sampleHeaderTag(), 'IBM Z Ultravisor Add-Secret', 32));
    expect(openRequest(readFileSync(join(d, 'b'))).plaintext).toEqual(derived);
  });

  it('encrypts for every -k, in order (repeated and comma list); each host opens its slot', async ({ expect }) => {
    const d = tempDir();
    const args = ['create', '-k', `${sample('HKD-sample-1.crt')},${sample('HKD-sample-2.crt')}`, '-k', sample('HKD-sample-1.crt'),
      '--hdr', sample('sample.hdr'), '-o', join(d, 'req'), '--no-verify', 'meta'];
    expect((await cli(args)).code).toBe(0);
    const req = readFileSync(join(d, 'req'));
    expect(openRequest(req).nks).toBe(3);
    expect(openRequest(req, 'HKD-sample-2.crt', 'HKD-sample-2.key').plaintext).toEqual(Buffer.alloc(32));
  });

  it('appends the request tag to --toc-policy, creating the file and keeping earlier lines', async ({ expect }) => {
    const d = tempDir();
    const toc = join(d, 'toc');
    expect((await cli(createArgs(join(d, 'a'), '--toc-policy', toc, 'meta'))).code).toBe(0);
    chmodSync(toc, 0o640);
    expect((await cli(createArgs(join(d, 'b'), '--toc-policy', toc, 'meta'))).code).toBe(0);
    expect(statSync(toc).mode & 0o777).toBe(0o640);
    const tagA = openRequest(readFileSync(join(d, 'a'))).tag.toString('hex');
    const tagB = openRequest(readFileSync(join(d, 'b'))).tag.toString('hex');
    expect(readFileSync(toc, 'utf8')).toBe(`${tagA}\n${tagB}\n`);
  });

  it('replaces an existing output atomically, through a symbolic link to the file it points to', async ({ expect }) => {
    const d = tempDir();
    mkdirSync(join(d, 'real'));
    writeFileSync(join(d, 'real', 'req'), 'old');
    symlinkSync(join(d, 'real', 'req'), join(d, 'link'));
    expect((await cli(createArgs(join(d, 'link'), 'meta'))).code).toBe(0);
    expect(lstatSync(join(d, 'link')).isSymbolicLink()).toBe(true);
    expect(openRequest(readFileSync(join(d, 'real', 'req'))).secretType).toBe(1);
    expect(listDir(join(d, 'real'))).toEqual(['req']);
  });

  it('writes the request to stdout with -o - and nothing else there', async ({ expect }) => {
    const d = tempDir();
    const r = await cli(createArgs('-', 'meta'), { cwd: d });
    expect(r.code).toBe(0);
    expect(openRequest(r.stdout).secretType).toBe(1);
    expect(listDir(d)).toEqual([]);
  });

  it('is quiet with -q and more verbose with -v (options may follow the secret type word)', async ({ expect }) => {
    const d = tempDir();
    const q = await cli(createArgs(join(d, 'a'), 'meta', '-q'));
    expect(q.code).toBe(0);
    expect(q.err).toBe('');
    const v = await cli(createArgs(join(d, 'b'), '-v', 'meta'));
    expect(v.err).toContain(`Use host-key document at '${sample('HKD-sample-1.crt')}'`);
    expect(v.err).toContain(`Successfully wrote the request to '${join(d, 'b')}'`);
  });

  it('parses clap-style spellings: --opt=value, -kFILE, -k=FILE, clustered -fv, the --crt alias is only for --cert', async ({ expect }) => {
    const d = tempDir();
    const r = await cli(['create', `-k${sample('HKD-sample-1.crt')}`, `--hdr=${sample('sample.hdr')}`, `-o=${join(d, 'r')}`, '-fv', '--no-verify', 'meta']);
    expect(r.code).toBe(0);
    expect(openRequest(readFileSync(join(d, 'r'))).nks).toBe(1);
  });
});

describe.concurrent('create association', () => {
  it('writes NAME.yaml beside the output exactly as pvsecret does, and a random secret', async ({ expect }) => {
    const d = tempDir();
    const r = await cli(createArgs(join(d, 'req.bin'), 'association', 'myConfidentialSecret'));
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toContain(`Successfully wrote secret info to '${join(d, 'myConfidentialSecret.yaml')}'`);
    expect(readFileSync(join(d, 'myConfidentialSecret.yaml'), 'utf8')).toBe(
      '!Association\nname: myConfidentialSecret\nid: 0x3751487690cca3e4de532c98f4b1d450b0c86ca944485d4eaefc9818f83e0e7e\n',
    );
    const o = openRequest(readFileSync(join(d, 'req.bin')));
    expect(o.secretType).toBe(0x02);
    expect(o.secretLength).toBe(32);
    expect(o.secretId).toEqual(sha256('myConfidentialSecret'));
    expect(o.plaintext.subarray(0, 32)).not.toEqual(Buffer.alloc(32));
  });

  it('places NAME.yaml by pvsecret rules: parent of -o, whitespace to _, extension replaced; cwd for -o -', async ({ expect }) => {
    const d = tempDir();
    mkdirSync(join(d, 'out'));
    expect((await cli(createArgs('out/req.bin', 'association', 'my secret\tname'), { cwd: d })).code).toBe(0);
    expect(listDir(join(d, 'out'))).toEqual(['my_secret_name.yaml', 'req.bin']);
    expect((await cli(createArgs('out/r2', 'association', 'my.key'), { cwd: d })).code).toBe(0);
    expect(readFileSync(join(d, 'out', 'my.yaml'), 'utf8')).toBe(assocYaml('my.key', sha256('my.key')));
    const r = await cli(createArgs('./r3', 'association', 'v1.0'), { cwd: d });
    expect(r.err).toContain("Successfully wrote secret info to './v1.yaml'");
    const s = await cli(createArgs('-', 'association', 'piped'), { cwd: d });
    expect(s.code).toBe(0);
    expect(openRequest(s.stdout).secretId).toEqual(sha256('piped'));
    expect(readFileSync(join(d, 'piped.yaml'), 'utf8')).toBe(assocYaml('piped', sha256('piped')));
  });

  it('prints the YAML (plus an empty line) with --stdout and writes no YAML file', async ({ expect }) => {
    const d = tempDir();
    const r = await cli(createArgs(join(d, 'req'), 'association', 'n', '--stdout'));
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${assocYaml('n', sha256('n'))}\n`);
    expect(r.err).not.toContain('secret info');
    expect(listDir(d)).toEqual(['req']);
  });

  it('quotes names as pvsecret (serde_yaml) does', async ({ expect }) => {
    const d = tempDir();
    const cases: [string, string][] = [['true', "'true'"], ['0123', "'0123'"], ['a: b', "'a: b'"], ['-', "'-'"], ['1e3', "'1e3'"]];
    for (const [name, shown] of cases) {
      const r = await cli(createArgs(join(d, 'req'), 'association', '--stdout', '--', name));
      expect(r.code, name).toBe(0);
      expect(r.out, name).toBe(`!Association\nname: ${shown}\nid: 0x${sha256(name).toString('hex')}\n\n`);
    }
  });

  it('uses --input-secret, and saves a generated secret with --output-secret (mode 0600)', async ({ expect }) => {
    const d = tempDir();
    const secret = Buffer.alloc(32, 0x11);
    writeFileSync(join(d, 'in'), secret);
    expect((await cli(createArgs(join(d, 'a'), 'association', 'x', '--input-secret', join(d, 'in')))).code).toBe(0);
    expect(openRequest(readFileSync(join(d, 'a'))).plaintext.subarray(0, 32)).toEqual(secret);
    expect((await cli(createArgs(join(d, 'b'), 'association', 'y', `--output-secret=${join(d, 'saved')}`))).code).toBe(0);
    const saved = readFileSync(join(d, 'saved'));
    expect(statSync(join(d, 'saved')).mode & 0o777).toBe(0o600);
    expect(openRequest(readFileSync(join(d, 'b'))).plaintext.subarray(0, 32)).toEqual(saved);
  });

  it('takes the name itself as ID with --use-name (31 bytes at most), in the request and the YAML', async ({ expect }) => {
    const d = tempDir();
    const name = 'a-name-that-is-longer-than-31-bytes';
    const r = await cli(createArgs(join(d, 'req'), '--use-name', 'association', name, '--stdout'));
    expect(r.code).toBe(0);
    const id = Buffer.alloc(32);
    Buffer.from(name).copy(id, 0, 0, 31);
    expect(openRequest(readFileSync(join(d, 'req'))).secretId).toEqual(id);
    expect(r.out).toBe(`!Association\nname: ${name}\nid: 0x${id.toString('hex')}\n\n`);
    expect(r.err).toContain('keeps only the first 31');
  });
});

describe.concurrent('SE guest check', () => {
  it('refuses on an SE guest unless --force, and leaves nothing behind', async ({ expect }) => {
    const d = tempDir();
    writeFileSync(join(d, 'guest'), '1\n');
    const env = { SE_SECRETS_PROT_VIRT_GUEST_PATH: join(d, 'guest') };
    const r = await cli(createArgs(join(d, 'req'), 'meta'), { env });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/se-secrets: error: refusing to create an add-secret request on an IBM Secure Execution guest/);
    expect(listDir(d)).toEqual(['guest']);
    const f = await cli(createArgs(join(d, 'req'), '-f', 'meta'), { env });
    expect(f.code).toBe(0);
    expect(f.err).toContain('--force');
    writeFileSync(join(d, 'guest'), '0\n');
    expect((await cli(createArgs(join(d, 'req2'), 'meta'), { env })).code).toBe(0);
  });

  it('create --batch and plan refuse there too unless -f, writing nothing', async ({ expect }) => {
    const d = tempDir();
    const guest = join(d, 'guest');
    writeFileSync(guest, '1\n');
    const env = { SE_SECRETS_PROT_VIRT_GUEST_PATH: guest };
    const hkd = sample('HKD-sample-1.crt');
    writeFileSync(join(d, 'b.yaml'), `- {output: r.bin, hdr: '${sample('sample.hdr')}', hostKeyDocuments: ['${hkd}'], noVerify: true, secret: {type: meta}}\n`);
    writeFileSync(join(d, 'p.yaml'), `guest: g\nhdr: '${sample('sample.hdr')}'\nhostKeyDocuments: ['${hkd}']\nnoVerify: true\nqueues: [{apqn: '16.001e', mode: EP11, mkvp: '0x5a3ff2a8d3e1c4b79ad0e6f1c2b38475'}]\n`);
    const b = await cli(['create', '--batch', join(d, 'b.yaml')], { env });
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/^se-secrets: error: refusing to create add-secret requests on an IBM Secure Execution guest: build it on another, trusted machine \(override with --force\)$/m);
    const p = await cli(['plan', join(d, 'p.yaml'), '-o', join(d, 'out')], { env });
    expect(p.code).toBe(1);
    expect(p.err).toContain('refusing to create add-secret requests on an IBM Secure Execution guest');
    expect(listDir(d)).toEqual(['b.yaml', 'guest', 'p.yaml']);
    const bf = await cli(['create', '--batch', join(d, 'b.yaml'), '-f'], { env });
    expect(bf.code, bf.err).toBe(0);
    expect(bf.err).toContain('warning: --force: creating add-secret requests on an IBM Secure Execution guest anyway');
    const pf = await cli(['plan', join(d, 'p.yaml'), '-o', join(d, 'out'), '--force'], { env });
    expect(pf.code, pf.err).toBe(0);
    expect(listDir(d)).toEqual(['b.yaml', 'guest', 'out', 'p.yaml', 'r.bin']);
  });
});
