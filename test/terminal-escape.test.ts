/**
 * Text from certificates, CRLs and file names never reaches a terminal raw (issue 11
 * §3): a certificate whose subject holds ESC and BEL (made by OpenSSL, as an attacker
 * would), and file names holding them, through verify-hkd, create's warnings, inspect,
 * and error lines. The CLI runs in-process through `main(argv, streams)`, and once as
 * the built binary.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeControl } from '../src/cli/log.js';
import { main } from '../src/cli/main.js';

const SAMPLES = resolve(import.meta.dirname, '../samples');
const ESC = '\x1b';
const BEL = '\x07';
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we look for
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const dir = mkdtempSync(join(tmpdir(), 'se-escape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const evilCert = join(dir, 'evil.crt');
const evilName = join(dir, `req${ESC}[2J${BEL}.bin`);

beforeAll(() => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:secp521r1',
      '-nodes',
      '-keyout',
      join(dir, 'k.pem'),
      '-out',
      evilCert,
      '-days',
      '1',
    ].concat(['-utf8', '-subj', `/CN=evil${ESC}[31mred${BEL}/O=IBM`]),
    { stdio: 'pipe' },
  );
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: async (c) => void out.push(typeof c === 'string' ? c : Buffer.from(c).toString('latin1')),
    err: (l) => void err.push(`${l}\n`),
  });
  return { code, out: out.join(''), err: err.join('') };
}

describe('no raw control character from an input reaches stdout or stderr', () => {
  it('escapeControl keeps newline and tab, escapes C0, DEL and C1', () => {
    expect(escapeControl(`a${ESC}[31m${BEL}\r\b\x7f\u009b\tb\nc`)).toBe('a\\x1b[31m\\x07\\x0d\\x08\\x7f\\x9b\tb\nc');
    expect(escapeControl('é ü — ✓')).toBe('é ü — ✓');
  });

  it('verify-hkd prints the subject escaped (OpenSSL shows \\1B)', async () => {
    const r = await run(['verify-hkd', '--no-verify', '-k', evilCert]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('CN=evil\\x1b[31mred\\x07');
    expect(r.out + r.err).not.toMatch(RAW_CONTROL);
  });

  it("create's host-key warning and the file name in inspect and in errors are escaped", async () => {
    const create = await run(['create', '--no-verify', '-k', evilCert, '--hdr', join(SAMPLES, 'sample.hdr'), '-o', evilName, 'meta']);
    expect(create.code).toBe(0);
    expect(create.err).toMatch(/^warning: host-key match: host key CN=evil\\x1b\[31mred\\x07, O=IBM/m);
    expect(create.out + create.err).not.toMatch(RAW_CONTROL);

    const inspect = await run(['inspect', evilName]);
    expect(inspect.code).toBe(0);
    expect(inspect.out).toContain('req\\x1b[2J\\x07.bin');
    expect(inspect.out + inspect.err).not.toMatch(RAW_CONTROL);

    const missing = await run(['inspect', `${evilName}.missing`]);
    expect(missing.err).toMatch(/^se-secrets: error: cannot read '.*req\\x1b\[2J\\x07\.bin\.missing': no such file or directory$/m);
    const missingHkd = await run(['create', '-k', `nope${ESC}]0;title${BEL}`, '--hdr', join(SAMPLES, 'sample.hdr'), '-o', 'r', '--no-verify', 'meta']);
    expect(missingHkd.err).toContain("cannot read host-key document 'nope\\x1b]0;title\\x07'");
    expect(missing.out + missing.err + missingHkd.out + missingHkd.err).not.toMatch(RAW_CONTROL);
  });

  it('plan and create --batch warnings and errors go through the same layer', async () => {
    const bad = join(dir, `plan${ESC}[5m.yaml`);
    copyFileSync(join(SAMPLES, 'sample.hdr'), join(dir, 'sample.hdr'));
    const plan = await run(['plan', bad, '-o', join(dir, 'out')]);
    expect(plan.err).toContain('plan\\x1b[5m.yaml');
    const batch = await run(['create', '--batch', bad]);
    expect(batch.err).toContain('plan\\x1b[5m.yaml');
    expect(plan.err + batch.err).not.toMatch(RAW_CONTROL);
  });

  it('the built binary escapes too', () => {
    const r = spawnSync(process.execPath, [resolve(import.meta.dirname, '../dist/cli/main.js'), 'verify-hkd', '--no-verify', '-k', evilCert], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('CN=evil\\x1b[31mred\\x07');
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
  });
});
