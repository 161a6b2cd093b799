#!/usr/bin/env node
// npm run demo: builds an association request and a meta request from the bundled
// samples (samples/: a sealed SE header and image, two host-key documents and a fake
// IBM Z PKI, all made by scripts/gen-samples.ts) and prints what it built.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAddSecretRequest, parseAddSecretRequest, readSeHeader, secretId, secretInfoYaml, secretTypeName, verifyHostKeyDocuments } from '../dist/node.js';

const samples = join(import.meta.dirname, '..', 'samples');
const read = (f) => new Uint8Array(readFileSync(join(samples, f)));
const hex = (b) => Buffer.from(b).toString('hex');
const out = mkdtempSync(join(tmpdir(), 'se-secrets-demo-'));

const header = await readSeHeader(join(samples, 'sample-se.img'));
console.log(`SE image samples/sample-se.img: header at 0x${header.offset.toString(16)}, ${header.size} bytes, built for ${header.nks} host key(s)`);
for (const h of header.hostKeyHashes) console.log(`  host-key hash ${hex(h)}`);

// Verify the host-key documents once against the sample PKI (a fake IBM Z signing key,
// intermediate and root CA, with a CRL for every link), offline; then build on them.
const hostKeys = await verifyHostKeyDocuments({
  hostKeyDocuments: [read('HKD-sample-1.crt'), read('HKD-sample-2.crt')],
  certificates: [read('ibm-z-host-key-signing.crt'), read('intermediate-ca.crt')],
  crls: [read('ibm-z-host-key.crl'), read('intermediate-ca.crl'), read('root-ca.crl')],
  rootCa: read('root-ca.crt'),
  offline: true,
});
console.log('\nhost-key documents verified against the sample PKI (samples/root-ca.crt, offline, with CRLs):');
for (const k of hostKeys) console.log(`  ${k.subject}\n    host-key hash ${hex(k.hash)}`);
const common = { seHeader: header, hostKeys };

const name = 'demo-association';
const assoc = await createAddSecretRequest({ ...common, secret: { type: 'association', name } });
writeFileSync(join(out, 'association.bin'), assoc);
writeFileSync(join(out, `${name}.yaml`), secretInfoYaml({ type: 'association', name }));
const meta = await createAddSecretRequest({ ...common, secret: { type: 'meta' }, flags: { disableDump: true } });
writeFileSync(join(out, 'meta.bin'), meta);

for (const [file, bytes] of [['association.bin', assoc], ['meta.bin', meta]]) {
  const r = parseAddSecretRequest(bytes);
  console.log(`\n${join(out, file)}: ${r.length} bytes`);
  console.log(`  secret      ${secretTypeName(r.secret.type)}${r.secret.id ? `, id 0x${hex(r.secret.id)}` : ''}`);
  console.log(`  flags       0x${r.flags.toString(16).padStart(16, '0')}${r.flags & 0x8000000000000000n ? ' (disable-dump)' : ''}`);
  console.log(`  bound to    SE-header tag ${hex(r.tag)}`);
  for (const [i, s] of r.keySlots.entries()) {
    const known = header.hostKeyHashes.some((h) => hex(h) === hex(s.hostKeyHash));
    console.log(`  key slot ${i}  ${hex(s.hostKeyHash)}${known ? ' (listed in the SE header)' : ' (NOT in the SE header)'}`);
  }
}
console.log(`\nsecret id of "${name}" = SHA-256(name) = 0x${hex(secretId(name))}`);
console.log(`${join(out, `${name}.yaml`)}:\n${secretInfoYaml({ type: 'association', name }).replace(/^/gm, '  ')}`);
console.log(`\nIn the guest: pvsecret add ${join(out, 'association.bin')}`);
