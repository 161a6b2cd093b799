/**
 * The one CUID rule (reference notes §4), as every reader applies it: the library's
 * parseCuidText/parseCuidFile, the CLI's --cuid-hex and --cuid FILE, batch files and
 * the page all call these.
 */
import { describe, expect, it } from 'vitest';
import { parseCuidFile, parseCuidText } from '../src/index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const h = (b: string) => `0x${b.repeat(16)}`;
const bytes = (b: number) => new Uint8Array(16).fill(b);

describe('the CUID rule', () => {
  it('an option value: optional lowercase 0x, then exactly 32 hex digits of either case', () => {
    expect(parseCuidText(h('4a'))).toEqual(bytes(0x4a));
    expect(parseCuidText('4A'.repeat(16))).toEqual(bytes(0x4a));
    for (const bad of ['0x1234', h('4a').slice(0, -1), `${h('4a')}0`, `0X${'4a'.repeat(16)}`, `0x${'g0'.repeat(16)}`, '', ' 0x00']) {
      expect(() => parseCuidText(bad), bad).toThrowError(expect.objectContaining({ code: 'ERR_CUID' }));
    }
  });

  it('a YAML value needs 0x', () => {
    expect(parseCuidText(h('01'), 'cuid', { yaml: true })).toEqual(bytes(1));
    expect(() => parseCuidText('01'.repeat(16), 'x.cuid', { yaml: true })).toThrowError(/^x\.cuid: the CUID must start with 0x/);
  });

  it('a file: 16 raw bytes, or YAML with the value quoted or unquoted, at the top or nested', async () => {
    expect(await parseCuidFile(bytes(0x30))).toEqual(bytes(0x30));
    expect(await parseCuidFile(enc(`cuid: '${h('42')}'\n`))).toEqual(bytes(0x42));
    expect(await parseCuidFile(enc(`cuid: ${h('42')}\n`))).toEqual(bytes(0x42));
    expect(await parseCuidFile(enc(`"${h('43')}"\n`))).toEqual(bytes(0x43));
    expect(await parseCuidFile(enc(`a:\n  b:\n    cuid: ${h('44')}\n`))).toEqual(bytes(0x44));
    await expect(parseCuidFile(enc('cuid: 42\n'), 'f')).rejects.toThrowError(
      expect.objectContaining({ code: 'ERR_CUID', message: expect.stringMatching(/^f: the CUID must start with 0x/) }),
    );
    await expect(parseCuidFile(enc('other: 1\n'), 'f')).rejects.toThrowError(
      expect.objectContaining({ code: 'ERR_CUID', message: expect.stringMatching(/no 'cuid' entry found/) }),
    );
  });

  it('the 16 raw bytes are a copy', async () => {
    const raw = Buffer.alloc(16, 7);
    const got = await parseCuidFile(raw);
    got.fill(0);
    expect(raw).toEqual(Buffer.alloc(16, 7));
  });
});
