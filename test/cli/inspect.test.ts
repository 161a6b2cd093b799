/**
 * `inspect` on requests made by pvsecret itself (the upstream vectors), on our own
 * requests, SE headers and images; `extract-header`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { HAVE_UPSTREAM, UPSTREAM_DIR, UPSTREAM_SKIP_REASON } from '../helpers/upstream.js';
import { cli, createArgs, hostKeyHashOf, listDir, sample, sampleHeaderTag, tempDir } from './helpers.js';

const REQUEST_KEYS = [
  'formatVersion', 'format', 'file', 'fileSize', 'version', 'requestLength', 'secret', 'flags', 'cuid', 'userData', 'keySlots',
  'encryptedSize', 'iv', 'customerPublicKey', 'seHeader', 'requestTag',
];
const HEADER_KEYS = [
  'formatVersion', 'format', 'file', 'fileSize', 'offset', 'version', 'size', 'iv', 'pcf', 'nep', 'encryptedSize', 'keySlots',
  'customerPublicKey', 'pld', 'ald', 'tld', 'tag',
];
const up = (rel: string) => join(UPSTREAM_DIR, rel);

describe.skipIf(!HAVE_UPSTREAM)(`inspect decodes requests made by pvsecret${HAVE_UPSTREAM ? '' : ` — SKIPPED: ${UPSTREAM_SKIP_REASON}`}`, () => {
  const hostHash = () => hostKeyHashOf(readFileSync(up('keys/host.pem.crt'), 'utf8')).toString('hex');
  const cases: [string, number, string, string | null, number][] = [
    ['null_none_default_cuid_one', 1, 'meta', null, 0],
    ['assoc_none_default_cuid_one', 2, 'association', createHash('sha256').update('add_secret_request').digest('hex'), 32],
    ['null_simple_default_cuid_one', 1, 'meta', null, 0],
  ];
  for (const [file, type, typeName, id, length] of cases) {
    it(`${file} (--json)`, async ({ expect }) => {
      const r = await cli(['inspect', '--json', up(`exp/asrcb/${file}`)]);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      const j = JSON.parse(r.out);
      expect(Object.keys(j)).toEqual(REQUEST_KEYS);
      expect(j.format).toBe('add-secret-request');
      expect(j.version).toBe(0x100);
      expect(j.requestLength).toBe(readFileSync(up(`exp/asrcb/${file}`)).length);
      expect(j.secret).toEqual({ type, typeName, length, id, idAscii: null });
      expect(j.flags).toEqual({ hex: '0000000000000000', names: [], otherBits: [] });
      expect(j.cuid).toBe('42'.repeat(16));
      expect(j.userData).toEqual({ type: 0, typeName: 'none', dataSize: 0, signatureSize: null });
      expect(j.keySlots).toEqual([{ hostKeyHash: hostHash() }]);
      expect(j.encryptedSize).toBe(length + 32);
      expect(j.iv).toBe('55'.repeat(12));
      expect(j.seHeader).toEqual({ pld: '01'.repeat(64), ald: '02'.repeat(64), tld: '03'.repeat(64), tag: '04'.repeat(16) });
      expect(j.customerPublicKey).toBe(readFileSync(up('keys/public_cust.bin')).toString('hex'));
    });
  }

  it('shows the same in text', async ({ expect }) => {
    const r = await cli(['inspect', up('exp/asrcb/assoc_none_default_cuid_one')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Format: +add-secret request, version 0x100$/m);
    expect(r.out).toMatch(/^Secret type: +0x02 \(Association\)$/m);
    expect(r.out).toMatch(/^Secret ID: +0x[0-9a-f]{64}$/m);
    expect(r.out).toMatch(new RegExp(`^CUID: +0x${'42'.repeat(16)}$`, 'm'));
    expect(r.out).toMatch(new RegExp(`^  \\[0\\] host-key hash 0x${hostHash()}$`, 'm'));
    expect(r.out).toMatch(/^User data: +none$/m);
  });

  it('decodes the real extracted SE header', async ({ expect }) => {
    const j = JSON.parse((await cli(['inspect', '--json', up('exp/secure_guest.hdr')])).out);
    expect(Object.keys(j)).toEqual(HEADER_KEYS);
    expect(j).toMatchObject({ format: 'se-header', offset: 0, version: 0x100, size: 640, encryptedSize: 0x80, tag: '92309d4589b9a85b427f8753171d1520' });
    expect(j.keySlots).toHaveLength(1);
  });
});

describe.concurrent('inspect on our own files', () => {
  it('every --json object starts with formatVersion 1 (request, SE header, SE image, attestation request)', async ({ expect }) => {
    const d = tempDir();
    expect((await cli(createArgs(join(d, 'r'), 'meta'))).code).toBe(0);
    expect((await cli(['attest', 'create', '-k', sample('HKD-sample-1.crt'), '--no-verify', '-o', join(d, 'a'), '-a', join(d, 'k')])).code).toBe(0);
    for (const file of [join(d, 'r'), sample('sample.hdr'), sample('sample-se.img'), join(d, 'a')]) {
      const r = await cli(['inspect', '--json', file]);
      expect(r.code, r.err).toBe(0);
      expect(Object.entries(JSON.parse(r.out))[0], file).toEqual(['formatVersion', 1]);
    }
  });

  it('names flags, shows the CUID and a --use-name id as text', async ({ expect }) => {
    const d = tempDir();
    const c = await cli(createArgs(join(d, 'r'), '--use-name', '--flags', 'disable-dump', '--cuid-hex', '11'.repeat(16), 'association', 'my-name', '--stdout'));
    expect(c.code).toBe(0);
    const j = JSON.parse((await cli(['inspect', join(d, 'r'), '--json'])).out);
    expect(j.secret.idAscii).toBe('my-name');
    expect(j.flags).toEqual({ hex: '8000000000000000', names: ['disable-dump'], otherBits: [] });
    expect(j.cuid).toBe('11'.repeat(16));
    const t = await cli(['inspect', join(d, 'r')]);
    expect(t.out).toMatch(/^Secret ID \(ASCII\): +"my-name"$/m);
    expect(t.out).toMatch(/^Flags: +0x8000000000000000 \(disable-dump\)$/m);
  });

  it('lists unnamed flag bits by number', async ({ expect }) => {
    const d = tempDir();
    expect((await cli(createArgs(join(d, 'r'), '--pcf', '0x4000000000000001', 'meta'))).code).toBe(0);
    const j = JSON.parse((await cli(['inspect', '--json', join(d, 'r')])).out);
    expect(j.flags).toEqual({ hex: '4000000000000001', names: [], otherBits: [1, 63] });
  });

  it('decodes the sample SE header and image: offset, host-key hashes of both sample hosts, tag', async ({ expect }) => {
    const hashes = ['HKD-sample-1.crt', 'HKD-sample-2.crt'].map((f) => ({ hostKeyHash: hostKeyHashOf(readFileSync(sample(f), 'utf8')).toString('hex') }));
    const h = JSON.parse((await cli(['inspect', '--json', sample('sample.hdr')])).out);
    const i = JSON.parse((await cli(['inspect', '--json', sample('sample-se.img')])).out);
    expect(h).toMatchObject({ format: 'se-header', offset: 0, size: 720, keySlots: hashes, tag: sampleHeaderTag().toString('hex') });
    expect(i).toMatchObject({ format: 'se-image', offset: 0x14000, fileSize: 98304, keySlots: hashes, tag: h.tag, pcf: { hex: '0'.repeat(16), names: [], otherBits: [] } });
    const t = await cli(['inspect', sample('sample-se.img')]);
    expect(t.out).toMatch(/^Format: +SE image, header at offset 0x14000$/m);
  });

  const failures: [string, string, RegExp][] = [
    ['a missing file', 'nofile', /^se-secrets: error: cannot read 'nofile': no such file or directory$/m],
    ['a file that is neither', 'junk', /^se-secrets: error: 'junk' is neither an add-secret request nor an SE header or SE image$/m],
    ['a truncated request', 'short', /^se-secrets: error: request: length field says 1352 bytes, input has 1000$/m],
    ['a truncated header', 'shorthdr', /^se-secrets: error: shorthdr: se header: truncated/m],
  ];
  for (const [what, file, message] of failures) {
    it.concurrent(`fails on ${what}`, async ({ expect }) => {
      const d = tempDir();
      writeFileSync(join(d, 'junk'), 'hello world\n');
      await cli(createArgs(join(d, 'req'), '-q', 'meta'));
      writeFileSync(join(d, 'short'), readFileSync(join(d, 'req')).subarray(0, 1000));
      writeFileSync(join(d, 'shorthdr'), readFileSync(sample('sample.hdr')).subarray(0, 500));
      const r = await cli(['inspect', file], { cwd: d });
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(message);
    });
  }
});

describe.concurrent('extract-header', () => {
  it('copies exactly the SE header out of an image, to sehdr.bin by default', async ({ expect }) => {
    const d = tempDir();
    const r = await cli(['extract-header', sample('sample-se.img')], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toContain('SE header found at offset 0x14000');
    expect(r.err).toContain("SE header written to 'sehdr.bin' (720 bytes)");
    expect(readFileSync(join(d, 'sehdr.bin'))).toEqual(readFileSync(sample('sample.hdr')));
  });

  it('writes to -o, or stdout with -o -; an extracted header extracts to itself', async ({ expect }) => {
    const d = tempDir();
    expect((await cli(['extract-header', '-o', join(d, 'h'), sample('sample-se.img')])).code).toBe(0);
    expect(readFileSync(join(d, 'h'))).toEqual(readFileSync(sample('sample.hdr')));
    const s = await cli(['extract-header', sample('sample.hdr'), '-o', '-', '-q']);
    expect(s.code).toBe(0);
    expect(s.err).toBe('');
    expect(s.stdout).toEqual(readFileSync(sample('sample.hdr')));
  });

  it('fails without writing on a file without header, a truncated image, a missing file', async ({ expect }) => {
    const d = tempDir();
    writeFileSync(join(d, 'junk'), Buffer.alloc(0x20000));
    writeFileSync(join(d, 'cut.img'), readFileSync(sample('sample-se.img')).subarray(0, 0x14000 + 100));
    const cases: [string, RegExp][] = [
      ['junk', /^se-secrets: error: junk: se header: no SE header found/m],
      ['cut.img', /^se-secrets: error: cut.img: se header: truncated/m],
      ['nofile', /^se-secrets: error: cannot read SE image 'nofile': no such file or directory$/m],
    ];
    for (const [file, message] of cases) {
      const r = await cli(['extract-header', file, '-o', 'out'], { cwd: d });
      expect(r.code, file).toBe(1);
      expect(r.err, file).toMatch(message);
    }
    expect(listDir(d)).toEqual(['cut.img', 'junk']);
  });
});
