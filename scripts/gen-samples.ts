/**
 * Generates the bundled sample inputs in samples/ (run: npm run gen:samples).
 *
 * Everything here is made by this script — nothing is copied from anywhere:
 * - a fake IBM Z PKI: root CA, intermediate CA, IBM Z signing key, CRLs for each;
 * - two host-key documents (P-521) with their private keys (only a lab host has these);
 * - an SE header sealed for both hosts, and an SE image carrying it with 0xc000 metadata.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeBackend } from '../src/crypto/node.js';
import { buildSeImage, sealSeHeader } from '../test/fixtures/se-image.js';
import { pem, privateKeyPkcs8Pem, samplePki } from '../test/fixtures/pki.js';
import { webcrypto } from 'node:crypto';

const out = join(import.meta.dirname, '..', 'samples');
mkdirSync(out, { recursive: true });

const notBefore = new Date('2025-01-01T00:00:00Z');
const notAfter = new Date('2045-01-01T00:00:00Z');
const pki = await samplePki({ notBefore, notAfter, hosts: 2 });

const write = (name: string, data: string | Uint8Array) => writeFileSync(join(out, name), data);
write('root-ca.crt', pem(pki.root.cert));
write('intermediate-ca.crt', pem(pki.intermediate.cert));
write('ibm-z-host-key-signing.crt', pem(pki.signingKey.cert));
write('root-ca.crl', pem(pki.rootCrl));
write('intermediate-ca.crl', pem(pki.intermediateCrl));
write('ibm-z-host-key.crl', pem(pki.signingKeyCrl));

const points: Uint8Array[] = [];
for (const [i, hkd] of pki.hostKeyDocuments.entries()) {
  const n = i + 1;
  write(`HKD-sample-${n}.crt`, pem(hkd.cert));
  write(`HKD-sample-${n}.key`, await privateKeyPkcs8Pem(hkd.keys));
  points.push(new Uint8Array(await webcrypto.subtle.exportKey('raw', hkd.keys.publicKey as webcrypto.CryptoKey)));
}

const header = await sealSeHeader(nodeBackend, { hostKeys: points, seed: 'se-secrets sample guest' });
write('sample.hdr', header);
write('sample-se.img', buildSeImage(header));
console.log(`samples written to ${out}`);
