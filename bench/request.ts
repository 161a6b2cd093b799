/**
 * One request with 1 and with 8 host keys, beside its baseline measured in the same run:
 * node:crypto's own P-521 key generation plus one ECDH per host key (`createECDH`,
 * `generateKeys`, `computeSecret`), the irreducible public-key work of a request. Every
 * backend is measured, to justify which one the `node` export condition binds.
 */
import { createECDH, createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto';

/** DER prefix of a P-521 SubjectPublicKeyInfo (RFC 5480); the 133-byte point follows. */
const SPKI_P521_PREFIX = Buffer.from('30819b301006072a8648ce3d020106052b8104002303818600', 'hex');

import type { CryptoBackend } from '../src/crypto/backend.js';
import { HostPointCache } from '../src/crypto/host-point-cache.js';
import { nodeBackend } from '../src/crypto/node.js';
import { nobleBackend, portableBackend, webCryptoBackend } from '../src/crypto/portable.js';
import { createAddSecretRequest } from '../src/request/create.js';
import { hostKeysFromDocuments } from '../src/request/host-key.js';
import { header, hostKeyDocuments } from './inputs.js';
import { type Check, compare, fmt, load, QUICK, table } from './lib.js';

/** Target of issue 7: a request costs at most twice node:crypto's keygen + ECDH. */
export const REQUEST_RATIO_TARGET = 2;
/** Issue 12 §2: one request, one host key, no verification, at most 0.75x the same baseline. */
export const REQUEST_12_TARGET = 0.75;

export async function benchRequest(): Promise<Check[]> {
  const checks: Check[] = [];
  const rows: string[][] = [];
  for (const n of [1, 8]) {
    const docs = hostKeyDocuments(n);
    const keys = hostKeysFromDocuments(docs);
    const points = keys.map((k) => k.publicKey);
    const baseline = () => {
      const e = createECDH('secp521r1');
      e.generateKeys();
      for (const p of points) e.computeSecret(p);
    };
    const build = (backend: CryptoBackend, hostKeys: typeof docs | typeof keys, hostPointCache?: HostPointCache) => () =>
      createAddSecretRequest({ secret: { type: 'association', name: 'bench' }, seHeader: header, hostKeys, verify: false, backend, hostPointCache });
    // node:crypto's other API for the same work, for comparison: key objects and EVP derive
    const peerObjects = points.map((p) => createPublicKey({ key: Buffer.concat([SPKI_P521_PREFIX, p]), format: 'der', type: 'spki' }));
    const keyObjects = () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
      for (const publicKey of peerObjects) diffieHellman({ privateKey, publicKey });
    };
    const node = await compare([baseline, build(nodeBackend, docs), build(nodeBackend, keys), keyObjects]);
    rows.push([`${n}`, 'baseline: node:crypto keygen + ECDH per host key (createECDH, generateKeys, computeSecret)', fmt(node.ms[0] as number), '1.00x']);
    rows.push([
      `${n}`,
      'node:crypto generateKeyPairSync + diffieHellman per host key (key objects)',
      fmt(node.ms[3] as number),
      `${(node.ratio[3] as number).toFixed(2)}x`,
    ]);
    rows.push([
      `${n}`,
      'se-secrets, node backend, host-key documents (PEM parsed per request)',
      fmt(node.ms[1] as number),
      `${(node.ratio[1] as number).toFixed(2)}x`,
    ]);
    rows.push([`${n}`, 'se-secrets, node backend, parsed host keys', fmt(node.ms[2] as number), `${(node.ratio[2] as number).toFixed(2)}x`]);
    for (const backend of [webCryptoBackend, portableBackend, nobleBackend]) {
      if (QUICK && n === 8) continue;
      const t = await compare([baseline, build(backend, keys)], { rounds: QUICK ? 3 : 5, warmup: 2 });
      rows.push([`${n}`, `se-secrets, ${backend.name} backend, parsed host keys`, fmt(t.ms[1] as number), `${(t.ratio[1] as number).toFixed(2)}x`]);
    }
    // In a batch the host keys repeat and get precomputed tables (src/crypto/host-point-cache.ts).
    const tables = new HostPointCache({ afterUses: 1 });
    const tabled = await compare([baseline, build(nodeBackend, keys, tables), build(nobleBackend, keys, tables)], { rounds: QUICK ? 3 : 5 });
    for (const [i, name] of [
      [1, 'node'],
      [2, 'noble'],
    ] as const) {
      rows.push([
        `${n}`,
        `se-secrets, ${name} backend, parsed host keys, host-key tables built (a batch)`,
        fmt(tabled.ms[i] as number),
        `${(tabled.ratio[i] as number).toFixed(2)}x`,
      ]);
    }
    checks.push({
      name: `one request, ${n} host key${n > 1 ? 's' : ''} (node backend, documents) / node:crypto keygen + ECDH`,
      value: `${(node.ratio[1] as number).toFixed(2)}x`,
      target: `≤ ${REQUEST_RATIO_TARGET}x`,
      met: (node.ratio[1] as number) <= REQUEST_RATIO_TARGET,
    });
    if (n === 1) {
      // Issue 12 §2, for both readings of "one host-key document": parsed once, and parsed per request.
      for (const [i, what] of [
        [2, 'parsed host key'],
        [1, 'host-key document parsed per request'],
      ] as const) {
        checks.push({
          name: `issue 12: one request, 1 host key (node backend, ${what}) / node:crypto keygen + ECDH (key objects in the same run: ${(node.ratio[3] as number).toFixed(2)}x)`,
          value: `${(node.ratio[i] as number).toFixed(2)}x`,
          target: `≤ ${REQUEST_12_TARGET}x`,
          met: (node.ratio[i] as number) <= REQUEST_12_TARGET,
        });
      }
    }
  }
  console.log(`## One request (ms per request, median of interleaved rounds; ratio = median of per-round ratios; load ${load()})\n`);
  table(['host keys', 'what', 'ms', 'vs baseline'], rows);
  return checks;
}
