/**
 * NAME.yaml byte for byte, without running anything: the scalar styles of serde_yaml
 * 0.9.34 + libyaml, the file-name rules, and the small value parsers.
 */
import { describe, expect, it } from 'vitest';
import { secretInfoYaml } from '../../src/cli/lib.js';
import { cuidFromFile, parseCuidHex, parsePcf } from '../../src/cli/values.js';
import { rustParent, secretInfoPath } from '../../src/cli/yaml-path.js';
import { createHash } from 'node:crypto';

/**
 * [name, the mapping text pvsecret writes]. Expected texts were produced by the C
 * libyaml emitter (through PyYAML's CEmitter, unlimited width, unicode on) from the
 * scalar style serde_yaml asks for (single quotes for text that reads as null, bool,
 * int or float, or digits with a leading zero; a literal block when it has a line
 * feed) — the same two steps pvsecret takes. `0xID` stands for the secret ID.
 */
const GOLDEN: [string, string][] = [
  ["my-secret", "name: my-secret\nid: 0xID\n"],
  ["myConfidentialSecret", "name: myConfidentialSecret\nid: 0xID\n"],
  ["a b", "name: a b\nid: 0xID\n"],
  ["a  b", "name: a  b\nid: 0xID\n"],
  [" lead", "name: ' lead'\nid: 0xID\n"],
  ["trail ", "name: 'trail '\nid: 0xID\n"],
  ["-x", "name: -x\nid: 0xID\n"],
  ["- x", "name: '- x'\nid: 0xID\n"],
  ["-", "name: '-'\nid: 0xID\n"],
  ["--", "name: --\nid: 0xID\n"],
  ["---", "name: '---'\nid: 0xID\n"],
  ["---x", "name: '---x'\nid: 0xID\n"],
  ["...", "name: '...'\nid: 0xID\n"],
  ["...x", "name: '...x'\nid: 0xID\n"],
  ["?x", "name: ?x\nid: 0xID\n"],
  ["? x", "name: '? x'\nid: 0xID\n"],
  [":x", "name: :x\nid: 0xID\n"],
  [": x", "name: ': x'\nid: 0xID\n"],
  ["a:b", "name: a:b\nid: 0xID\n"],
  ["a: b", "name: 'a: b'\nid: 0xID\n"],
  ["a :b", "name: a :b\nid: 0xID\n"],
  ["a#b", "name: a#b\nid: 0xID\n"],
  ["a #b", "name: 'a #b'\nid: 0xID\n"],
  ["#x", "name: '#x'\nid: 0xID\n"],
  ["x#", "name: x#\nid: 0xID\n"],
  ["[x", "name: '[x'\nid: 0xID\n"],
  ["x[y]", "name: x[y]\nid: 0xID\n"],
  ["{a}", "name: '{a}'\nid: 0xID\n"],
  ["a,b", "name: a,b\nid: 0xID\n"],
  [",a", "name: ',a'\nid: 0xID\n"],
  ["&a", "name: '&a'\nid: 0xID\n"],
  ["*a", "name: '*a'\nid: 0xID\n"],
  ["!a", "name: '!a'\nid: 0xID\n"],
  ["|a", "name: '|a'\nid: 0xID\n"],
  [">a", "name: '>a'\nid: 0xID\n"],
  ["'a", "name: '''a'\nid: 0xID\n"],
  ["a'b", "name: a'b\nid: 0xID\n"],
  ["\"a", "name: '\"a'\nid: 0xID\n"],
  ["a\"b", "name: a\"b\nid: 0xID\n"],
  ["%a", "name: '%a'\nid: 0xID\n"],
  ["@a", "name: '@a'\nid: 0xID\n"],
  ["`a", "name: '`a'\nid: 0xID\n"],
  ["true", "name: 'true'\nid: 0xID\n"],
  ["True", "name: 'True'\nid: 0xID\n"],
  ["TRUE", "name: 'TRUE'\nid: 0xID\n"],
  ["tRue", "name: tRue\nid: 0xID\n"],
  ["false", "name: 'false'\nid: 0xID\n"],
  ["null", "name: 'null'\nid: 0xID\n"],
  ["Null", "name: 'Null'\nid: 0xID\n"],
  ["NULL", "name: 'NULL'\nid: 0xID\n"],
  ["~", "name: '~'\nid: 0xID\n"],
  ["yes", "name: yes\nid: 0xID\n"],
  ["no", "name: no\nid: 0xID\n"],
  ["on", "name: on\nid: 0xID\n"],
  ["off", "name: off\nid: 0xID\n"],
  ["y", "name: y\nid: 0xID\n"],
  ["n", "name: n\nid: 0xID\n"],
  ["0", "name: '0'\nid: 0xID\n"],
  ["1", "name: '1'\nid: 0xID\n"],
  ["-1", "name: '-1'\nid: 0xID\n"],
  ["+1", "name: '+1'\nid: 0xID\n"],
  ["01", "name: '01'\nid: 0xID\n"],
  ["-01", "name: '-01'\nid: 0xID\n"],
  ["+01", "name: '+01'\nid: 0xID\n"],
  ["0123", "name: '0123'\nid: 0xID\n"],
  ["00", "name: '00'\nid: 0xID\n"],
  ["0x1F", "name: '0x1F'\nid: 0xID\n"],
  ["0X1F", "name: 0X1F\nid: 0xID\n"],
  ["0xg", "name: 0xg\nid: 0xID\n"],
  ["0x", "name: 0x\nid: 0xID\n"],
  ["0o17", "name: '0o17'\nid: 0xID\n"],
  ["0o8", "name: 0o8\nid: 0xID\n"],
  ["0b101", "name: '0b101'\nid: 0xID\n"],
  ["0b2", "name: 0b2\nid: 0xID\n"],
  ["-0x1F", "name: '-0x1F'\nid: 0xID\n"],
  ["+0x1F", "name: '+0x1F'\nid: 0xID\n"],
  ["0x+1", "name: 0x+1\nid: 0xID\n"],
  ["1_000", "name: 1_000\nid: 0xID\n"],
  ["1.5", "name: '1.5'\nid: 0xID\n"],
  ["-1.5", "name: '-1.5'\nid: 0xID\n"],
  ["+1.5", "name: '+1.5'\nid: 0xID\n"],
  ["1.", "name: '1.'\nid: 0xID\n"],
  [".5", "name: '.5'\nid: 0xID\n"],
  [".", "name: .\nid: 0xID\n"],
  ["1e3", "name: '1e3'\nid: 0xID\n"],
  ["1E3", "name: '1E3'\nid: 0xID\n"],
  ["1e", "name: 1e\nid: 0xID\n"],
  ["e3", "name: e3\nid: 0xID\n"],
  ["1e+3", "name: '1e+3'\nid: 0xID\n"],
  ["1e-3", "name: '1e-3'\nid: 0xID\n"],
  ["1e400", "name: 1e400\nid: 0xID\n"],
  ["-1e400", "name: -1e400\nid: 0xID\n"],
  [".inf", "name: '.inf'\nid: 0xID\n"],
  [".Inf", "name: '.Inf'\nid: 0xID\n"],
  ["-.inf", "name: '-.inf'\nid: 0xID\n"],
  ["+.inf", "name: '+.inf'\nid: 0xID\n"],
  [".nan", "name: '.nan'\nid: 0xID\n"],
  [".NaN", "name: '.NaN'\nid: 0xID\n"],
  ["nan", "name: nan\nid: 0xID\n"],
  ["inf", "name: inf\nid: 0xID\n"],
  ["infinity", "name: infinity\nid: 0xID\n"],
  ["NaN", "name: NaN\nid: 0xID\n"],
  ["1.5.6", "name: 1.5.6\nid: 0xID\n"],
  ["1,5", "name: 1,5\nid: 0xID\n"],
  ["12345678901234567890", "name: '12345678901234567890'\nid: 0xID\n"],
  ["123456789012345678901234567890123456789", "name: '123456789012345678901234567890123456789'\nid: 0xID\n"],
  ["340282366920938463463374607431768211455", "name: '340282366920938463463374607431768211455'\nid: 0xID\n"],
  ["340282366920938463463374607431768211456", "name: '340282366920938463463374607431768211456'\nid: 0xID\n"],
  ["-170141183460469231731687303715884105728", "name: '-170141183460469231731687303715884105728'\nid: 0xID\n"],
  ["-170141183460469231731687303715884105729", "name: '-170141183460469231731687303715884105729'\nid: 0xID\n"],
  ["+-1", "name: +-1\nid: 0xID\n"],
  ["++1", "name: ++1\nid: 0xID\n"],
  ["-+1", "name: -+1\nid: 0xID\n"],
  ["a\tb", "name: \"a\\tb\"\nid: 0xID\n"],
  ["\tab", "name: \"\\tab\"\nid: 0xID\n"],
  ["a\rb", "name: \"a\\rb\"\nid: 0xID\n"],
  ["a\u0085b", "name: \"a\\Nb\"\nid: 0xID\n"],
  ["a\u2028b", "name: 'a\u2028  b'\nid: 0xID\n"],
  ["a\u2029b", "name: 'a\u2029  b'\nid: 0xID\n"],
  ["a\u00a0b", "name: a\u00a0b\nid: 0xID\n"],
  ["\u00a0", "name: \u00a0\nid: 0xID\n"],
  ["caf\u00e9", "name: caf\u00e9\nid: 0xID\n"],
  ["\u65e5\u672c", "name: \u65e5\u672c\nid: 0xID\n"],
  // libyaml 0.2.5 (C) escapes characters above U+FFFF; unsafe-libyaml 0.2.11, which pvsecret
  // links through serde_yaml, counts them printable (its IS_PRINTABLE has 0xF0..=0xF4).
  ["\ud83d\ude00", "name: \ud83d\ude00\nid: 0xID\n"],
  ["a\u0007b", "name: \"a\\ab\"\nid: 0xID\n"],
  ["a\u007fb", "name: \"a\\x7Fb\"\nid: 0xID\n"],
  ["a\u0080b", "name: \"a\\x80b\"\nid: 0xID\n"],
  ["\ufeffa", "name: \"\\uFEFFa\"\nid: 0xID\n"],
  ["a\ufeff", "name: \"a\\uFEFF\"\nid: 0xID\n"],
  ["a\ufffe", "name: \"a\\uFFFE\"\nid: 0xID\n"],
  ["a\nb", "name: |-\n  a\n  b\nid: 0xID\n"],
  ["a\n", "name: |\n  a\nid: 0xID\n"],
  ["a\n\n", "name: |+\n  a\n\nid: 0xID\n...\n"],
  ["\na", "name: |2-\n\n  a\nid: 0xID\n"],
  ["\n", "name: |2+\n\nid: 0xID\n...\n"],
  [" \na", "name: \" \\na\"\nid: 0xID\n"],
  ["a \nb", "name: \"a \\nb\"\nid: 0xID\n"],
  ["a\n b", "name: |-\n  a\n   b\nid: 0xID\n"],
  ["a\n\nb", "name: |-\n  a\n\n  b\nid: 0xID\n"],
  ["a\n\n\n", "name: |+\n  a\n\n\nid: 0xID\n...\n"],
  ["line1\nline2\n", "name: |\n  line1\n  line2\nid: 0xID\n"],
  ["a\u2028\nb", "name: |-\n  a\u2028\n  b\nid: 0xID\n"],
  ["x\ty\nz", "name: \"x\\ty\\nz\"\nid: 0xID\n"],
  ["a\"b'c", "name: a\"b'c\nid: 0xID\n"],
  ["back\\slash", "name: back\\slash\nid: 0xID\n"],
  ["a\\nb", "name: a\\nb\nid: 0xID\n"],
  ["percent%", "name: percent%\nid: 0xID\n"],
  ["at@x", "name: at@x\nid: 0xID\n"],
  ["x!", "name: x!\nid: 0xID\n"],
  ["x&", "name: x&\nid: 0xID\n"],
  ["x*", "name: x*\nid: 0xID\n"],
  ["x|", "name: x|\nid: 0xID\n"],
  ["x>", "name: x>\nid: 0xID\n"],
  ["x?", "name: x?\nid: 0xID\n"],
  ["x:", "name: 'x:'\nid: 0xID\n"],
  ["x-", "name: x-\nid: 0xID\n"],
  ["x=", "name: x=\nid: 0xID\n"],
  ["=x", "name: =x\nid: 0xID\n"],
  ["<x", "name: <x\nid: 0xID\n"],
  ["a/b", "name: a/b\nid: 0xID\n"],
  ["./x", "name: ./x\nid: 0xID\n"],
  ["~x", "name: ~x\nid: 0xID\n"],
  ["x~", "name: x~\nid: 0xID\n"],
  ["~/a", "name: ~/a\nid: 0xID\n"],
];

describe('NAME.yaml scalar styles (serde_yaml + libyaml)', () => {
  it.each(GOLDEN)('%j', (name, expected) => {
    const id = `0x${createHash('sha256').update(name).digest('hex')}`;
    expect(secretInfoYaml({ type: 'association', name, value: new Uint8Array(32) })).toBe(`!Association\n${expected.replace('0xID', id)}`);
  });

  it('writes the association YAML of the reference example', () => {
    expect(secretInfoYaml({ type: 'association', name: 'myConfidentialSecret', value: new Uint8Array(32) })).toBe(
      '!Association\nname: myConfidentialSecret\nid: 0x3751487690cca3e4de532c98f4b1d450b0c86ca944485d4eaefc9818f83e0e7e\n',
    );
  });

  it('puts the --use-name id (name bytes, zero padded) in the YAML', () => {
    const id = Buffer.alloc(32);
    id.write('abc');
    expect(secretInfoYaml({ type: 'association', name: 'abc', value: new Uint8Array(32), useName: true })).toBe(
      `!Association\nname: abc\nid: 0x${id.toString('hex')}\n`,
    );
  });
});

describe('NAME.yaml location (Rust Path rules)', () => {
  const cases: [string, string, string][] = [
    ['EXAMPLE', 'req.bin', 'EXAMPLE.yaml'],
    ['EXAMPLE', '-', 'EXAMPLE.yaml'],
    ['EXAMPLE', './req.bin', './EXAMPLE.yaml'],
    ['EXAMPLE', 'out/req.bin', 'out/EXAMPLE.yaml'],
    ['EXAMPLE', '/abs/dir/req', '/abs/dir/EXAMPLE.yaml'],
    ['EXAMPLE', '/req', '/EXAMPLE.yaml'],
    ['my secret\tname', 'r', 'my_secret_name.yaml'],
    ['a\u00a0b\u3000c', 'r', 'a_b_c.yaml'],
    ['my.key', 'r', 'my.yaml'],
    ['v1.0', 'r', 'v1.yaml'],
    ['a.b.c', 'r', 'a.b.yaml'],
    ['foo.', 'r', 'foo.yaml'],
    ['.hidden', 'r', '.hidden.yaml'],
    ['sub/name', 'out/r', 'out/sub/name.yaml'],
    ['/abs/name', 'out/r', '/abs/name.yaml'],
    ['name/', 'r', 'name.yaml'],
    ['..', 'r', '..'],
  ];
  it.each(cases)('%j beside %j is %j', (name, output, expected) => {
    expect(secretInfoPath(name, output)).toBe(expected);
  });

  it('treats a backslash in -o as a separator on Windows only', () => {
    expect(secretInfoPath('n', 'out\\req', 'win32')).toBe('out/n.yaml');
    expect(secretInfoPath('n', 'out\\req', 'linux')).toBe('n.yaml');
  });

  it('has no place for NAME.yaml when -o has no parent', () => {
    expect(() => secretInfoPath('n', '/')).toThrowError(expect.objectContaining({ code: 'ERR_VALUE' }));
    expect(() => secretInfoPath('n', '')).toThrowError(expect.objectContaining({ code: 'ERR_VALUE' }));
    expect(rustParent('.')).toBe('');
    expect(rustParent('a//b')).toBe('a');
  });
});

describe('value parsers', () => {
  it('--pcf is always hexadecimal', () => {
    expect(parsePcf('10')).toBe(0x10n);
    expect(parsePcf('0x8000000000000000')).toBe(0x8000000000000000n);
    expect(parsePcf('FFFFFFFFFFFFFFFF')).toBe(0xffffffffffffffffn);
    for (const bad of ['', '0x', '0X10', '-1', '+1', '1 ', '12345678901234567']) {
      expect(() => parsePcf(bad), bad).toThrowError(expect.objectContaining({ code: 'ERR_VALUE' }));
    }
  });

  it('--cuid-hex takes 32 digits with an optional lowercase 0x', () => {
    const want = Uint8Array.from({ length: 16 }, (_, i) => i);
    expect(parseCuidHex('000102030405060708090a0b0c0d0e0f')).toEqual(want);
    expect(parseCuidHex('0x000102030405060708090A0B0C0D0E0F')).toEqual(want);
    for (const bad of ['0x', '0X000102030405060708090a0b0c0d0e0f', '0x0102', '000102030405060708090a0b0c0d0eXX', '+0x000102030405060708090a0b0c0d0e']) {
      expect(() => parseCuidHex(bad), bad).toThrowError(expect.objectContaining({ code: 'ERR_VALUE' }));
    }
  });

  it('--cuid files: raw 16 bytes, or YAML searched 8 mappings deep, first hit in document order', async () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const h = (b: string) => `0x${b.repeat(16)}`;
    expect(await cuidFromFile(new Uint8Array(16).fill(7), 'f')).toEqual(new Uint8Array(16).fill(7));
    expect(await cuidFromFile(enc(`a:\n  x: 1\nb:\n  cuid: ${h('22')}\ncuid2: 1\n`), 'f')).toEqual(new Uint8Array(16).fill(0x22));
    expect(await cuidFromFile(enc(`a:\n  cuid: ${h('11')}\nb:\n  cuid: ${h('22')}\n`), 'f')).toEqual(new Uint8Array(16).fill(0x11));
    // A cuid key whose value is not text ends that branch; the search goes on.
    expect(await cuidFromFile(enc(`a:\n  cuid:\n    x: 1\nb:\n  cuid: '${h('33')}'\n`), 'f')).toEqual(new Uint8Array(16).fill(0x33));
    // Sequences are not searched (as the reference).
    await expect(cuidFromFile(enc(`- cuid: ${h('44')}\n`), 'f')).rejects.toThrowError(/no 'cuid' entry found/);
  });
});
