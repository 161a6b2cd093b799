import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, ftruncateSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ReadStats, createAddSecretRequest, locateSeHeader, parseSeHeader, readSeHeader } from './helpers/api.js';
import { toHex } from '../src/internal/bytes.js';
import { decodeSeHeader } from '../src/header/se-header.js';
import { buildSeImage, writeSparseSeImage } from './fixtures/se-image.js';

const samples = join(import.meta.dirname, '..', 'samples');
const hdr = new Uint8Array(readFileSync(join(samples, 'sample.hdr')));
const dir = mkdtempSync(join(tmpdir(), 'se-secrets-hdr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

function u32(b: Uint8Array, off: number, v: number): Uint8Array {
  const c = b.slice();
  new DataView(c.buffer).setUint32(off, v);
  return c;
}

describe('SE header', () => {
  it('decodes the sample header: every field independently of our parser', () => {
    const h = parseSeHeader(hdr);
    const dv = new DataView(hdr.buffer, hdr.byteOffset);
    expect(h.version).toBe(dv.getUint32(8));
    expect(h.size).toBe(hdr.length);
    expect(h.nks).toBe(2);
    expect(h.sea).toBe(0x80);
    expect(h.nep).toBe(0n);
    expect(h.pcf).toBe(0n);
    expect(toHex(h.customerPublicKey)).toBe(toHex(hdr.subarray(0x40, 0xe0)));
    expect(toHex(h.pld)).toBe(toHex(hdr.subarray(0xe0, 0x120)));
    expect(toHex(h.ald)).toBe(toHex(hdr.subarray(0x120, 0x160)));
    expect(toHex(h.tld)).toBe(toHex(hdr.subarray(0x160, 0x1a0)));
    expect(toHex(h.tag)).toBe(toHex(hdr.subarray(hdr.length - 16)));
    expect(h.hostKeyHashes.map(toHex)).toEqual([toHex(hdr.subarray(0x1a0, 0x1c0)), toHex(hdr.subarray(0x1f0, 0x210))]);
    expect(toHex(h.raw)).toBe(toHex(hdr));
  });

  it('finds the header in the sample image through its 0xc000 metadata', () => {
    const img = new Uint8Array(readFileSync(join(samples, 'sample-se.img')));
    const h = parseSeHeader(img);
    expect(h.offset).toBe(0x14000);
    expect(toHex(h.raw)).toBe(toHex(hdr));
  });

  it('warns on an unknown metadata version and still uses its offset (as the reference)', () => {
    const warnings: string[] = [];
    const h = parseSeHeader(buildSeImage(hdr, { metadataVersion: 7 }), { onWarning: (m) => warnings.push(m) });
    expect(h.offset).toBe(0x14000);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/version 7/);
  });

  it('with metadata, the header must be exactly at its offset (no fallback scan)', () => {
    const img = buildSeImage(hdr, { headerOffset: 0x14000 });
    new DataView(img.buffer).setBigUint64(0xc008, 0x13000n);
    expect(code(() => parseSeHeader(img))).toBe('ERR_HEADER_NOT_FOUND');
  });

  it('scans at most 0x15 pages without metadata', () => {
    const at = (off: number) => {
      const img = new Uint8Array(off + 0x1000);
      img.set(hdr, off);
      return img;
    };
    expect(parseSeHeader(at(0x14000)).offset).toBe(0x14000);
    expect(code(() => parseSeHeader(at(0x15000)))).toBe('ERR_HEADER_NOT_FOUND');
    expect(code(() => parseSeHeader(at(0x800)))).toBe('ERR_HEADER_NOT_FOUND');
  });

  it('typed errors: not found, truncated, version, size', () => {
    expect(code(() => parseSeHeader(new Uint8Array(0)))).toBe('ERR_HEADER_NOT_FOUND');
    expect(code(() => parseSeHeader(new TextEncoder().encode('not a header at all')))).toBe('ERR_HEADER_NOT_FOUND');
    expect(code(() => parseSeHeader(hdr.subarray(0, 0x100)))).toBe('ERR_HEADER_TRUNCATED');
    expect(code(() => parseSeHeader(hdr.subarray(0, hdr.length - 1)))).toBe('ERR_HEADER_TRUNCATED');
    expect(code(() => parseSeHeader(u32(hdr, 8, 0x200)))).toBe('ERR_HEADER_VERSION');
    expect(code(() => parseSeHeader(u32(hdr, 12, hdr.length + 16)))).toBe('ERR_HEADER_SIZE');
    const nks = hdr.slice();
    new DataView(nks.buffer).setBigUint64(0x20, 3n);
    expect(code(() => parseSeHeader(nks))).toBe('ERR_HEADER_SIZE');
    const sea = hdr.slice();
    new DataView(sea.buffer).setBigUint64(0x28, 0xffffffffffffffffn);
    expect(code(() => parseSeHeader(sea))).toBe('ERR_HEADER_SIZE');
    expect(code(() => decodeSeHeader(hdr, 1))).toBe('ERR_HEADER_NOT_FOUND');
  });

  it('every message names the failed check', () => {
    expect(() => parseSeHeader(u32(hdr, 8, 0x200))).toThrow(/unsupported version 0x200/);
    expect(() => parseSeHeader(u32(hdr, 12, 5))).toThrow(/size field does not match/);
  });
});

describe('readSeHeader (file on disk)', () => {
  it('reads an extracted header and an image, touching only the bytes it needs', async () => {
    const p1 = join(dir, 'x.hdr');
    writeFileSync(p1, hdr);
    expect(toHex((await readSeHeader(p1)).tag)).toBe(toHex(hdr.subarray(hdr.length - 16)));
    const stats = { bytesRead: 0, reads: 0 };
    const h = await readSeHeader(join(samples, 'sample-se.img'), { stats });
    expect(h.offset).toBe(0x14000);
    expect(stats.bytesRead).toBeLessThan(2 * 1024);
  });

  it('locates the header of a 4 GiB sparse image reading < 1 MiB', async () => {
    const p = join(dir, 'big.img');
    const fd = openSync(p, 'w');
    ftruncateSync(fd, 4 * 1024 ** 3);
    writeSync(fd, buildSeImage(hdr).subarray(0xc000, 0xc000 + 28), 0, 28, 0xc000);
    writeSync(fd, hdr, 0, hdr.length, 0x14000);
    closeSync(fd);
    const stats = { bytesRead: 0, reads: 0 };
    const h = await readSeHeader(p, { stats });
    expect(h.size).toBe(hdr.length);
    expect(stats.bytesRead).toBeLessThan(1024 * 1024);
  });

  it('names the file in errors and uses typed codes', async () => {
    const p = join(dir, 'junk.bin');
    writeFileSync(p, new Uint8Array(100));
    await expect(readSeHeader(p)).rejects.toMatchObject({ code: 'ERR_HEADER_NOT_FOUND', message: expect.stringContaining(p) });
    await expect(readSeHeader(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ERR_FILE' });
    await expect(readSeHeader(dir)).rejects.toMatchObject({ code: 'ERR_FILE' });
  });
});

describe('large images: constant I/O and memory', () => {
  /** A sparse image of `size` bytes with the sample header at 0x14000 (with or without metadata). */
  function sparseImage(name: string, size: number, o: { metadata: boolean }): string {
    const p = join(dir, name);
    writeSparseSeImage(p, hdr, { size, metadata: o.metadata });
    return p;
  }
  const GiB4 = 4 * 1024 ** 3;

  it('reads the same few bytes from a 4 GiB image as from a 1 MiB one (I/O does not grow with the file)', async () => {
    const big: ReadStats = { bytesRead: 0, reads: 0 };
    const small = { bytesRead: 0, reads: 0 };
    const hBig = await readSeHeader(sparseImage('big-meta.img', GiB4, { metadata: true }), { stats: big });
    const hSmall = await readSeHeader(sparseImage('small-meta.img', 1024 * 1024, { metadata: true }), { stats: small });
    expect(toHex(hBig.raw)).toBe(toHex(hdr));
    expect(toHex(hSmall.raw)).toBe(toHex(hdr));
    expect(big).toEqual(small);
    // metadata, the magic at its offset, the head, the header: nothing else
    expect(big.reads).toBe(4);
    expect(big.bytesRead).toBe(28 + 8 + 0x1a0 + hdr.length);
    expect(big.largestRead).toBe(hdr.length);
  });

  it('without metadata: at most 0x15 eight-byte page probes, whatever the size', async () => {
    const big: ReadStats = { bytesRead: 0, reads: 0 };
    const h = await readSeHeader(sparseImage('big-scan.img', GiB4, { metadata: false }), { stats: big });
    expect(h.offset).toBe(0x14000);
    expect(big.reads).toBe(1 + 0x15 + 2);
    expect(big.bytesRead).toBe(28 + 0x15 * 8 + 0x1a0 + hdr.length);
    const none: ReadStats = { bytesRead: 0, reads: 0 };
    const empty = join(dir, 'empty-4g.img');
    const fd = openSync(empty, 'w');
    ftruncateSync(fd, GiB4);
    closeSync(fd);
    await expect(readSeHeader(empty, { stats: none })).rejects.toMatchObject({ code: 'ERR_HEADER_NOT_FOUND' });
    expect(none.reads).toBe(1 + 0x15);
    expect(none.largestRead).toBe(28);
  });

  it('the header read from a 4 GiB image builds the same request as the header file', async () => {
    const h = await readSeHeader(join(dir, 'big-meta.img'));
    const det = { iv: new Uint8Array(12).fill(1), protectionKey: new Uint8Array(32).fill(2), customerPrivateKey: new Uint8Array(66).fill(3, 10) };
    const opts = { secret: { type: 'meta' as const }, hostKeys: [new Uint8Array(readFileSync(join(samples, 'HKD-sample-1.crt')))], verify: false as const, deterministic: det };
    const fromImage = await createAddSecretRequest({ ...opts, seHeader: h });
    const fromFile = await createAddSecretRequest({ ...opts, seHeader: hdr });
    expect(toHex(fromImage)).toBe(toHex(fromFile));
  });

  it('locateSeHeader asks only for the metadata, the magic and the header', async () => {
    const img = buildSeImage(hdr);
    const asked: [number, number][] = [];
    const h = await locateSeHeader((offset, length) => {
      asked.push([offset, length]);
      return img.subarray(offset, offset + length);
    });
    expect(h.offset).toBe(0x14000);
    expect(asked).toEqual([[0xc000, 28], [0x14000, 8], [0x14000, 0x1a0], [0x14000, hdr.length]]);
  });
});
