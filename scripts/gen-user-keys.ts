/**
 * Generates user-signing keys and their self-signed certificates in
 * test/fixtures/user-keys/ (run: node --import tsx scripts/gen-user-keys.ts).
 *
 * The keys are random (RSA cannot be derived from a constant with the tools at hand), so
 * the files are made once and committed; tests read them instead of generating RSA-3072
 * keys on every run. Each key is written as PKCS#8 PEM plus the key's other usual form
 * (SEC 1 or PKCS#1, PEM and DER), with a certificate for `verify --user-cert`.
 */
import 'reflect-metadata';
import { createPrivateKey, webcrypto } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issue } from '../test/fixtures/pki.js';

const out = join(import.meta.dirname, '..', 'test', 'fixtures', 'user-keys');
mkdirSync(out, { recursive: true });
const subtle = webcrypto.subtle as unknown as SubtleCrypto;
const rsa = (modulusLength: number) => ({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512', publicExponent: new Uint8Array([1, 0, 1]), modulusLength });

const specs: [string, RsaHashedKeyGenParams | EcKeyGenParams | Algorithm][] = [
  ['ec-p521', { name: 'ECDSA', namedCurve: 'P-521' }],
  ['ec-p521-other', { name: 'ECDSA', namedCurve: 'P-521' }],
  ['rsa-2048', rsa(2048)],
  ['rsa-3072', rsa(3072)],
  // keys pvsecret refuses for signing
  ['rsa-1024', rsa(1024)],
  ['ec-p256', { name: 'ECDSA', namedCurve: 'P-256' }],
  ['ec-p384', { name: 'ECDSA', namedCurve: 'P-384' }],
  ['ed25519', { name: 'Ed25519' }],
];

for (const [name, alg] of specs) {
  const keys = (await subtle.generateKey(alg as EcKeyGenParams, true, ['sign', 'verify'])) as CryptoKeyPair;
  const key = createPrivateKey({ key: Buffer.from(await subtle.exportKey('pkcs8', keys.privateKey)), format: 'der', type: 'pkcs8' });
  writeFileSync(join(out, `${name}.pem`), key.export({ type: 'pkcs8', format: 'pem' }));
  const legacy = key.asymmetricKeyType === 'rsa' ? 'pkcs1' : key.asymmetricKeyType === 'ec' ? 'sec1' : undefined;
  if (legacy) {
    writeFileSync(join(out, `${name}.${legacy}.pem`), key.export({ type: legacy, format: 'pem' }));
    writeFileSync(join(out, `${name}.${legacy}.der`), key.export({ type: legacy, format: 'der' }));
  }
  if (name !== 'ed25519') {
    const issued = await issue(undefined, {
      name: `CN=se-secrets test user ${name}`,
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2045-01-01T00:00:00Z'),
      keys,
    });
    writeFileSync(join(out, `${name}.crt`), issued.cert.toString('pem'));
  }
}
console.log(`user keys written to ${out}`);
