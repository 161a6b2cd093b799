/**
 * NAME.yaml: the YAML text pvsecret writes for association and retrievable secrets, and
 * where it goes. The libyaml half is checked against PyYAML's C emitter (fixture made by
 * scripts/gen-yaml-fixtures.py); the serde_yaml half against cases worked out from its
 * source and the research notes.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needsQuotes, type RequestedStyle, yamlMappingValue } from '../src/internal/yaml-scalar.js';
import { secretInfoFileName, secretInfoYaml } from './helpers/api.js';

const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'yaml-scalars.json'), 'utf8')) as {
  cases: { value: string; requested: RequestedStyle; yaml: string }[];
};
const idOf = (name: string) => `0x${createHash('sha256').update(name, 'utf8').digest('hex')}`;

function doc(value: string, requested: RequestedStyle): string {
  const v = yamlMappingValue(value, requested);
  return `!Association\nname:${v.text}${v.endsLine ? '' : '\n'}id: 0xabc\n${v.openEnded ? '...\n' : ''}`;
}

describe('yaml scalar writer (libyaml half), against PyYAML + libyaml 0.2.5', () => {
  it(`matches all ${fixture.cases.length} fixture cases`, () => {
    expect(fixture.cases.length).toBeGreaterThan(1000);
    const wrong = fixture.cases.filter((c) => doc(c.value, c.requested) !== c.yaml);
    expect(wrong.map((c) => ({ ...c, got: doc(c.value, c.requested) }))).toEqual([]);
  });

  it('characters above U+FFFF stay plain (unsafe-libyaml counts them printable)', () => {
    expect(doc('😀', 'any')).toBe('!Association\nname: 😀\nid: 0xabc\n');
    expect(doc('a\t😀', 'any')).toBe('!Association\nname: "a\\t😀"\nid: 0xabc\n');
  });
});

describe('serde_yaml style request: names that would not read back as strings are quoted', () => {
  const quoted = [
    '',
    '~',
    'null',
    'Null',
    'NULL',
    'true',
    'True',
    'TRUE',
    'false',
    'False',
    'FALSE',
    '123',
    '0123',
    '-007',
    '+5',
    '-5',
    '0x1f',
    '0o17',
    '0b101',
    '+0x1f',
    '-0x1f',
    '1.5',
    '1e3',
    '0.',
    '.5',
    '-2.5E-3',
    '1.e5',
    '.inf',
    '.Inf',
    '-.inf',
    '+.inf',
    '.nan',
    '.NaN',
    '.NAN',
    `0x${'f'.repeat(32)}`,
    '1'.repeat(40),
    '00',
  ];
  const plain = [
    'yes',
    'no',
    'on',
    'off',
    'inf',
    'nan',
    'NaN',
    'Infinity',
    '1_000',
    '0x',
    '1e',
    '+.nan',
    '++5',
    '+-5',
    '0x+5',
    '-0x-5',
    `0x${'f'.repeat(33)}`,
    '1e400',
    '0xZZ',
    'e5',
    '.',
    '-',
    '+',
    'myConfidentialSecret',
    '1 2',
    `0x${'1'.repeat(64)}`,
  ];
  for (const s of quoted) it(`${JSON.stringify(s)} is quoted`, () => expect(needsQuotes(s)).toBe(true));
  for (const s of plain) it(`${JSON.stringify(s)} is not`, () => expect(needsQuotes(s)).toBe(false));
  it('an id whose first 16 bytes are zero fits a u128 and is quoted', () => {
    expect(needsQuotes(`0x${'0'.repeat(32)}${'ab'.repeat(16)}`)).toBe(true);
  });
});

describe('secretInfoYaml', () => {
  it('association (the example of the pvsecret man page)', () => {
    expect(secretInfoYaml({ type: 'association', name: 'myConfidentialSecret' })).toBe(
      '!Association\nname: myConfidentialSecret\nid: 0x3751487690cca3e4de532c98f4b1d450b0c86ca944485d4eaefc9818f83e0e7e\n',
    );
  });

  it('association with useName: the id is the name bytes', () => {
    expect(secretInfoYaml({ type: 'association', name: 'abc', useName: true })).toBe(`!Association\nname: abc\nid: 0x616263${'00'.repeat(29)}\n`);
  });

  const retrievable: [string, Parameters<typeof secretInfoYaml>[0], string][] = [
    ['plain', { type: 'retrievable', kind: 'plain', name: 'n', value: new Uint8Array(5) }, '3 (PLAINTEXT)'],
    ['aes 16', { type: 'retrievable', kind: 'aes', name: 'n', value: new Uint8Array(16) }, '4 (AES-128-KEY)'],
    ['aes 24', { type: 'retrievable', kind: 'aes', name: 'n', value: new Uint8Array(24) }, '5 (AES-192-KEY)'],
    ['aes 32', { type: 'retrievable', kind: 'aes', name: 'n', value: new Uint8Array(32) }, '6 (AES-256-KEY)'],
    ['aes-xts 32', { type: 'retrievable', kind: 'aes-xts', name: 'n', value: new Uint8Array(32) }, '7 (AES-XTS-128-KEY)'],
    ['aes-xts 64', { type: 'retrievable', kind: 'aes-xts', name: 'n', value: new Uint8Array(64) }, '8 (AES-XTS-256-KEY)'],
    ['hmac 64', { type: 'retrievable', kind: 'hmac-sha', name: 'n', value: new Uint8Array(64) }, '9 (HMAC-SHA-256-KEY)'],
    ['hmac 128', { type: 'retrievable', kind: 'hmac-sha', name: 'n', value: new Uint8Array(128) }, '10 (HMAC-SHA-512-KEY)'],
  ];
  const pem = (k: ReturnType<typeof generateKeyPairSync>['privateKey']) => new Uint8Array(Buffer.from(k.export({ type: 'pkcs8', format: 'pem' }) as string));
  for (const [curve, kind] of [
    ['prime256v1', '17 (EC-SECP256R1-PRIVATE-KEY)'],
    ['secp384r1', '18 (EC-SECP384R1-PRIVATE-KEY)'],
    ['secp521r1', '19 (EC-SECP521R1-PRIVATE-KEY)'],
  ] as const) {
    retrievable.push([
      `ec ${curve}`,
      { type: 'retrievable', kind: 'ec', name: 'n', value: pem(generateKeyPairSync('ec', { namedCurve: curve }).privateKey) },
      kind,
    ]);
  }
  retrievable.push([
    'ed25519',
    { type: 'retrievable', kind: 'ec', name: 'n', value: pem(generateKeyPairSync('ed25519').privateKey) },
    '20 (EC-ED25519-PRIVATE-KEY)',
  ]);
  retrievable.push(['ed448', { type: 'retrievable', kind: 'ec', name: 'n', value: pem(generateKeyPairSync('ed448').privateKey) }, '21 (EC-ED448-PRIVATE-KEY)']);

  for (const [label, secret, kind] of retrievable) {
    it(`retrievable ${label}: kind: ${kind}`, () => {
      expect(secretInfoYaml(secret)).toBe(`!Retrievable\nkind: ${kind}\nname: n\nid: ${idOf('n')}\n`);
    });
  }

  it('quotes and escapes names as serde_yaml does', () => {
    const name = (n: string) => secretInfoYaml({ type: 'association', name: n }).split('\nid: ')[0]!.slice('!Association\n'.length);
    expect(name('my secret')).toBe('name: my secret');
    expect(name('123')).toBe("name: '123'");
    expect(name('true')).toBe("name: 'true'");
    expect(name("it's")).toBe("name: it's");
    expect(name("'q'")).toBe("name: '''q'''");
    expect(name('- x')).toBe("name: '- x'");
    expect(name('x\ty')).toBe('name: "x\\ty"');
    expect(name('a\nb')).toBe('name: |-\n  a\n  b');
    expect(name('xé中😀')).toBe('name: xé中😀');
  });

  it('a kept trailing newline ends the document with "..."', () => {
    expect(secretInfoYaml({ type: 'association', name: 'a\n\n' })).toBe(`!Association\nname: |+\n  a\n\nid: ${idOf('a\n\n')}\n...\n`);
  });

  it('refuses meta and update-CCK secrets, and reports bad secrets like createAddSecretRequest', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    expect(code(() => secretInfoYaml({ type: 'meta' }))).toBe('ERR_INVALID_OPTION');
    expect(code(() => secretInfoYaml({ type: 'update-cck', value: new Uint8Array(32) }))).toBe('ERR_INVALID_OPTION');
    expect(code(() => secretInfoYaml({ type: 'retrievable', kind: 'aes', name: 'n', value: new Uint8Array(17) }))).toBe('ERR_SECRET_SIZE');
  });
});

describe('secretInfoFileName (Rust Path::join + set_extension)', () => {
  const cases: [string, string, string][] = [
    ['my secret', '', 'my_secret.yaml'],
    ['tab\there', '', 'tab_here.yaml'],
    ['nbsp\u00a0nel\u0085', '', 'nbsp_nel_.yaml'],
    ['zwsp\u200bbom\ufeff', '', 'zwsp\u200bbom\ufeff.yaml'],
    ['key', 'out', 'out/key.yaml'],
    ['key', 'out/', 'out/key.yaml'],
    ['my.key', '', 'my.yaml'],
    ['v1.2.3', '', 'v1.2.yaml'],
    ['a.yaml', '', 'a.yaml'],
    ['a.', '', 'a.yaml'],
    ['a..b', '', 'a..yaml'],
    ['.hidden', '', '.hidden.yaml'],
    ['x/y', 'out', 'out/x/y.yaml'],
    ['x/', 'out', 'out/x.yaml'],
    ['/abs', 'out', '/abs.yaml'],
    ['.', 'out', 'out.yaml'],
    ['..', 'out', 'out/..'],
    ['', '', ''],
  ];
  for (const [name, dir, expected] of cases) {
    it(`${JSON.stringify(name)} in ${JSON.stringify(dir)} → ${JSON.stringify(expected)}`, () => expect(secretInfoFileName(name, dir)).toBe(expected));
  }
});
