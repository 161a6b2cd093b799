/**
 * Every fixture scenario (ours and the reference's own test cases) decided with its
 * exact error code, at a fixed time.
 */
import 'reflect-metadata';
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ChainOfTrustError, isVerifiedHostKey, verifyHostKeyDocuments } from './helpers/api.js';
import { FIXTURE_NOW, buildTestPki, type TestPki } from './fixtures/ibm-test-pki.js';
import { CHAIN_REASONS, OWN_SCENARIOS, REFERENCE_SCENARIOS, type Scenario } from './fixtures/hkd-scenarios.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await buildTestPki();
}, 60_000);

function file(name: string): Uint8Array {
  const f = pki.files.get(name);
  if (!f) throw new Error(`fixture ${name} does not exist`);
  return f;
}

/** Runs a scenario; online scenarios fetch distribution points from the fixture files. */
async function runScenario(s: Scenario) {
  const fetched: string[] = [];
  return {
    fetched,
    result: await verifyHostKeyDocuments({
      hostKeyDocuments: s.hkds.map(file),
      certificates: s.certs.map(file),
      ...(s.crls ? { crls: s.crls.map(file) } : {}),
      ...(s.rootCa ? { rootCa: file(s.rootCa) } : {}),
      offline: !s.online,
      now: FIXTURE_NOW,
      fetchCrl: async (url: string) => {
        fetched.push(url);
        return pki.files.get(s.downloads?.[url] ?? url);
      },
    }),
  };
}

async function check(s: Scenario): Promise<void> {
  if (s.expect === 'ok') {
    const { result } = await runScenario(s);
    expect(result).toHaveLength(s.keys ?? 1);
    for (const k of result) expect(isVerifiedHostKey(k)).toBe(true);
    return;
  }
  const err = await runScenario(s).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `${s.name}: expected ${s.expect}, got success`).toBeDefined();
  expect((err as { code?: string }).code, (err as Error).message).toBe(s.expect);
  if (s.expect === 'ERR_SIGNING_KEY_UNTRUSTED') {
    expect(err).toBeInstanceOf(ChainOfTrustError);
    expect((err as ChainOfTrustError).depth, (err as Error).message).toBe(s.depth);
    expect((err as Error).message).toContain(`error at level ${s.depth}`);
    expect((err as ChainOfTrustError).reason, (err as Error).message).toBe(CHAIN_REASONS[s.name]);
  }
}

describe('the reference test cases are decided the same way', () => {
  let ran = 0;
  for (const s of REFERENCE_SCENARIOS) {
    it(`${s.name} → ${s.expect}${s.depth !== undefined ? ` at level ${s.depth}` : ''}`, async () => {
      await check(s);
      ran++;
    });
  }
  it('ran every reference scenario', () => expect(ran).toBe(REFERENCE_SCENARIOS.length));
});

describe('named fixtures', () => {
  let ran = 0;
  for (const s of OWN_SCENARIOS) {
    it(`${s.name} → ${s.expect}${s.depth !== undefined ? ` at level ${s.depth}` : ''}`, async () => {
      await check(s);
      ran++;
    });
  }
  it('ran every fixture scenario, at least 30 failures among them', () => {
    expect(ran).toBe(OWN_SCENARIOS.length);
    expect(OWN_SCENARIOS.filter((s) => s.expect !== 'ok').length).toBeGreaterThanOrEqual(30);
  });
});

describe('the fixtures are what their names say (checked with node:crypto)', () => {
  const cert = (name: string) => new X509Certificate(Buffer.from(file(name)));
  it('signatures', () => {
    const ibm = cert('ibm.crt');
    const inter = cert('inter_ca.crt');
    for (const good of ['host.crt', 'host_rev.crt', 'host_armonk.crt', 'hkd-akid-mismatch.crt', 'hkd-rsa2048.crt', 'hkd-p256.crt']) {
      expect(cert(good).verify(ibm.publicKey), good).toBe(true);
    }
    for (const bad of ['hkd-bad-signature.crt', 'hkd-issuer-mismatch.crt', 'fake_host.crt']) expect(cert(bad).verify(ibm.publicKey), bad).toBe(false);
    expect(cert('ibm.crt').verify(inter.publicKey)).toBe(true);
    expect(cert('ibm-bad-signature.crt').verify(inter.publicKey)).toBe(false);
    expect(cert('inter_ca.crt').verify(cert('root_ca.crt').publicKey)).toBe(true);
    expect(cert('inter_ca.crt').verify(cert('fake_root_ca.crt').publicKey)).toBe(false);
  });
  it('dates and keys', () => {
    expect(new Date(cert('host_crt_expired.crt').validTo).getTime()).toBeLessThan(FIXTURE_NOW.getTime());
    expect(new Date(cert('hkd-not-yet-valid.crt').validFrom).getTime()).toBeGreaterThan(FIXTURE_NOW.getTime());
    expect(cert('host.crt').publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp521r1');
    expect(cert('hkd-p256.crt').publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(cert('hkd-rsa1024.crt').publicKey.asymmetricKeyDetails?.modulusLength).toBe(1024);
  });
});
