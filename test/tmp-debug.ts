import 'reflect-metadata';
import { buildTestPki, FIXTURE_NOW } from './fixtures/ibm-test-pki.js';
import { OWN_SCENARIOS, REFERENCE_SCENARIOS } from './fixtures/hkd-scenarios.js';
import { verifyHostKeyDocuments } from './helpers/api.js';
const pki = await buildTestPki();
const f = (n: string) => pki.files.get(n)!;
for (const s of [...REFERENCE_SCENARIOS, ...OWN_SCENARIOS]) {
  if (s.expect === 'ok') continue;
  try {
    await verifyHostKeyDocuments({ hostKeyDocuments: s.hkds.map(f), certificates: s.certs.map(f), ...(s.crls ? { crls: s.crls.map(f) } : {}), ...(s.rootCa ? { rootCa: f(s.rootCa) } : {}), offline: !s.online, now: FIXTURE_NOW, fetchCrl: async (u: string) => pki.files.get(s.downloads?.[u] ?? u) });
  } catch (e: any) { console.log(s.name.padEnd(60).slice(0,60), e.code, e.reason ?? '', '|', e.message.replace(/.*\): /, '').slice(0, 110)); }
}
