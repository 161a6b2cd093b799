/**
 * Cross-check of the chain decisions with OpenSSL itself: for every fixture scenario
 * that reaches the chain check, `openssl verify` with the flags the reference sets
 * (s390-tools `verify/helper.rs` `store_setup`) must agree on success and on the
 * failing depth. Skipped, visibly, where no `openssl` binary is installed.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCertificates, readCrlsLeniently, readCrlFile, readRootCa } from '../src/certs/inputs.js';
import { isIbmSigningKeySubject } from '../src/certs/ibm-names.js';
import { encodePem } from '../src/internal/pem.js';
import { verifyHostKeyDocuments } from './helpers/api.js';
import { FIXTURE_NOW, buildTestPki, type TestPki } from './fixtures/ibm-test-pki.js';
import { OWN_SCENARIOS, REFERENCE_SCENARIOS, type Scenario } from './fixtures/hkd-scenarios.js';

const OPENSSL = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const HAVE_OPENSSL = OPENSSL.status === 0;
if (!HAVE_OPENSSL) console.warn('SKIPPING the OpenSSL cross-check: no openssl binary found');

/** Scenarios whose outcome is decided at or after the chain check, offline, with a root CA file. */
const CANDIDATES = [...REFERENCE_SCENARIOS, ...OWN_SCENARIOS].filter(
  (s) => !s.online && s.rootCa && s.rootCa !== 'garbage.bin' && !['ERR_NO_SIGNING_KEY', 'ERR_MANY_SIGNING_KEYS', 'ERR_CRL_PARSE'].includes(s.expect) && !s.certs.includes('bad-pem.crt'),
);

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  if (!HAVE_OPENSSL) return;
  pki = await buildTestPki();
  dir = mkdtempSync(join(tmpdir(), 'se-secrets-openssl-'));
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const file = (n: string) => pki.files.get(n) as Uint8Array;

/** `openssl verify` on the signing key: `ok` or the failing depth. */
function opensslVerify(s: Scenario, n: number): { ok: true } | { ok: false; depth: number; text: string } {
  const certs = s.certs.flatMap((c) => readCertificates(file(c), c));
  const target = certs.find((c) => isIbmSigningKeySubject(c.subject));
  if (!target) throw new Error('no signing key');
  const others = certs.filter((c) => c !== target);
  const crls = [...(s.crls ?? []).flatMap((c) => readCrlFile(file(c), c)), ...s.certs.flatMap((c) => readCrlsLeniently(file(c), c))];
  const root = readRootCa(file(s.rootCa as string), 'root');
  const p = (name: string) => join(dir, `${n}-${name}`);
  writeFileSync(p('target.pem'), encodePem('CERTIFICATE', target.der));
  writeFileSync(p('ca.pem'), [...root.certs.map((c) => encodePem('CERTIFICATE', c.der)), ...root.crls.map((c) => encodePem('X509 CRL', c.der))].join(''));
  const args = ['verify', '-x509_strict', '-crl_check_all', '-trusted_first', '-check_ss_sig', '-policy_check', '-auth_level', '2', '-verify_depth', '2', '-purpose', 'any'];
  args.push('-attime', String(Math.floor(FIXTURE_NOW.getTime() / 1000)), '-CAfile', p('ca.pem'));
  if (others.length > 0) {
    writeFileSync(p('untrusted.pem'), others.map((c) => encodePem('CERTIFICATE', c.der)).join(''));
    args.push('-untrusted', p('untrusted.pem'));
  }
  if (crls.length > 0) {
    writeFileSync(p('crls.pem'), crls.map((c) => encodePem('X509 CRL', c.der)).join(''));
    args.push('-CRLfile', p('crls.pem'));
  }
  args.push(p('target.pem'));
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`;
  if (r.status === 0 && /: OK/.test(out)) return { ok: true };
  const m = /error (\d+) at (\d+) depth lookup: ([^\n]*)/.exec(out);
  if (!m) throw new Error(`unexpected openssl output: ${out}`);
  return { ok: false, depth: Number(m[2]), text: `${m[1]} ${m[3]}` };
}

describe.skipIf(!HAVE_OPENSSL)(`chain decisions agree with ${HAVE_OPENSSL ? OPENSSL.stdout.trim() : 'openssl (missing)'}`, () => {
  let ran = 0;
  CANDIDATES.forEach((s, n) => {
    it(s.name, async () => {
      const expected = opensslVerify(s, n);
      const ours = await verifyHostKeyDocuments({
        hostKeyDocuments: s.hkds.map(file),
        certificates: s.certs.map(file),
        ...(s.crls ? { crls: s.crls.map(file) } : {}),
        rootCa: file(s.rootCa as string),
        offline: true,
        now: FIXTURE_NOW,
      }).then(
        () => ({ chain: 'ok' as const }),
        (e: { code?: string; depth?: number }) => (e.code === 'ERR_SIGNING_KEY_UNTRUSTED' ? { chain: 'fail' as const, depth: e.depth } : { chain: 'ok' as const }),
      );
      if (expected.ok) expect(ours).toEqual({ chain: 'ok' });
      else expect(ours, `openssl: error ${expected.text}`).toEqual({ chain: 'fail', depth: expected.depth });
      ran++;
    });
  });
  it('compared every scenario that reaches the chain check', () => {
    expect(ran).toBe(CANDIDATES.length);
    expect(ran).toBeGreaterThan(40);
  });
});

