/**
 * Generates the project's request vectors in test/vectors/ (run: npm run gen:vectors).
 *
 * Every input is fixed — IV, protection key, customer key, the sample SE header and
 * host-key documents of samples/, the EC keys written to test/vectors/keys/ from
 * constant scalars — so the output is the same on every run. The vectors are made by
 * se-secrets itself; test/vectors.test.ts checks each one on an independent path
 * (node:crypto decryption with the sample host private keys) and that the builder
 * still reproduces it byte for byte.
 */
import { createECDH, createHash, createPrivateKey } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAddSecretRequest, parseAddSecretRequest, parseSeHeader, policyUserData } from '../src/node.js';
import { type Manifest, type ManifestVector, optionsOf, ROOT, VECTOR_DIR } from '../test/helpers/vectors.js';

const sha = (alg: string, label: string) => createHash(alg).update(`se-secrets vectors: ${label}`).digest();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const filled = (n: number, seed: string) => {
  // n deterministic bytes: SHA-512 in counter mode over a label.
  const out = Buffer.alloc(n);
  for (let i = 0, o = 0; o < n; i++, o += 64) sha('sha512', `${seed} ${i}`).copy(out, o);
  return out;
};

// ---- fixed inputs ---------------------------------------------------------------------
const customerPrivateKey = Buffer.concat([Buffer.alloc(2), sha('sha512', 'customer key')]); // < n(P-521)
const seHeaderFile = 'samples/sample.hdr';
const tags = parseSeHeader(new Uint8Array(readFileSync(join(ROOT, seHeaderFile))));

// ---- EC keys for retrievable secrets (and two unsupported ones for error scenarios) --------
rmSync(VECTOR_DIR, { recursive: true, force: true }); // no stale vectors
mkdirSync(join(VECTOR_DIR, 'keys'), { recursive: true });
function ecKey(curve: string, crv: string, d: Buffer, file: string, form: 'pkcs8-pem' | 'sec1-pem' | 'pkcs8-der' | 'sec1-der'): string {
  const ecdh = createECDH(curve);
  ecdh.setPrivateKey(d);
  const pub = ecdh.getPublicKey();
  const size = (pub.length - 1) / 2;
  const key = createPrivateKey({
    key: { kty: 'EC', crv, d: d.toString('base64url'), x: pub.subarray(1, 1 + size).toString('base64url'), y: pub.subarray(1 + size).toString('base64url') },
    format: 'jwk',
  });
  const [type, format] = form.split('-') as ['pkcs8' | 'sec1', 'pem' | 'der'];
  writeFileSync(join(VECTOR_DIR, 'keys', file), format === 'pem' ? key.export({ type, format: 'pem' }) : key.export({ type, format: 'der' }));
  return `keys/${file}`;
}
/** RFC 8410 PKCS#8 prefixes for a raw Ed25519 / Ed448 / X25519 private key. */
function rawPkcs8(prefixHex: string, raw: Buffer, file: string, format: 'pem' | 'der'): string {
  const key = createPrivateKey({ key: Buffer.concat([Buffer.from(prefixHex, 'hex'), raw]), format: 'der', type: 'pkcs8' });
  writeFileSync(join(VECTOR_DIR, 'keys', file), format === 'pem' ? key.export({ type: 'pkcs8', format: 'pem' }) : key.export({ type: 'pkcs8', format: 'der' }));
  return `keys/${file}`;
}
const keys = {
  p256: ecKey('prime256v1', 'P-256', sha('sha256', 'p256 key').subarray(0, 32), 'p256.pem', 'pkcs8-pem'),
  p384: ecKey('secp384r1', 'P-384', sha('sha384', 'p384 key'), 'p384-sec1.pem', 'sec1-pem'),
  // A leading zero byte in the scalar (OpenSSL drops it; the encoding pads it back).
  p521: ecKey('secp521r1', 'P-521', Buffer.concat([Buffer.alloc(3), sha('sha512', 'p521 key').subarray(0, 63)]), 'p521.der', 'pkcs8-der'),
  p521sec1: ecKey('secp521r1', 'P-521', Buffer.concat([Buffer.alloc(2), sha('sha512', 'p521 key 2')]), 'p521-sec1.der', 'sec1-der'),
  ed25519: rawPkcs8('302e020100300506032b657004220420', sha('sha256', 'ed25519 key'), 'ed25519.pem', 'pem'),
  ed448: rawPkcs8('3047020100300506032b6571043b0439', filled(57, 'ed448 key'), 'ed448.der', 'der'),
  secp256k1: ecKey('secp256k1', 'secp256k1', sha('sha256', 'secp256k1 key'), 'secp256k1.pem', 'pkcs8-pem'),
  x25519: rawPkcs8('302e020100300506032b656e04220420', sha('sha256', 'x25519 key'), 'x25519.pem', 'pem'),
};

// ---- scenarios -----------------------------------------------------------------------
const one = ['HKD-sample-1.crt'];
const two = ['HKD-sample-1.crt', 'HKD-sample-2.crt'];
const seven = ['HKD-sample-1.crt', 'HKD-sample-2.crt', 'HKD-sample-1.crt', 'HKD-sample-2.crt', 'HKD-sample-1.crt', 'HKD-sample-2.crt', 'HKD-sample-1.crt'];
const cuid = hex(Buffer.alloc(16, 0x42));
const simple = hex(filled(32, 'extension secret'));
const cck = hex(filled(32, 'cck'));
const policy = { content: hex(Buffer.from('toc policy file contents\n')), path: 'ebc/toc.pol' };

type Scenario = Omit<ManifestVector, 'expected'> & { error?: string };
const retr = (kind: 'plain' | 'aes' | 'aes-xts' | 'hmac-sha', size: number, name = `${kind}-${size}`) => ({
  type: 'retrievable' as const,
  kind,
  name,
  value: hex(filled(size, `${kind} ${size}`)),
});
const ec = (name: string, valueFile: string) => ({ type: 'retrievable' as const, kind: 'ec' as const, name, valueFile });

const scenarios: Scenario[] = [
  { file: 'null_none_default_ncuid_one', comment: 'meta secret, nothing else', secret: { type: 'meta' }, hostKeys: one },
  { file: 'null_none_dump_ncuid_one', comment: 'meta secret with the disable-dump flag', secret: { type: 'meta' }, flags: 'disable-dump', hostKeys: one },
  {
    file: 'null_none_pcf_ncuid_one',
    comment: 'meta secret with raw flags (--pcf 0x40000000000000ff)',
    secret: { type: 'meta' },
    flags: { pcf: '40000000000000ff' },
    hostKeys: one,
  },
  {
    file: 'null_simple_default_cuid_one',
    comment: 'meta secret, simple extension secret, CUID',
    secret: { type: 'meta' },
    extension: { simple },
    cuid,
    hostKeys: one,
  },
  {
    file: 'null_derived_default_cuid_one',
    comment: 'meta secret, extension secret derived from a CCK, CUID',
    secret: { type: 'meta' },
    extension: { cck },
    cuid,
    hostKeys: one,
  },
  { file: 'null_none_default_cuid_seven', comment: 'meta secret for seven host keys (two keys, repeated)', secret: { type: 'meta' }, cuid, hostKeys: seven },
  {
    file: 'null+udata512_none_default_ncuid_one',
    comment: 'meta secret with 512 bytes of unsigned user data',
    secret: { type: 'meta' },
    userData: hex(filled(512, 'user data')),
    hostKeys: one,
  },
  {
    file: 'null+udata0_none_default_ncuid_one',
    comment: 'meta secret with empty unsigned user data (type 1, area zero)',
    secret: { type: 'meta' },
    userData: '',
    hostKeys: one,
  },
  {
    file: 'null+policy_none_default_ncuid_one',
    comment: 'meta secret with a --policy reference as user data',
    secret: { type: 'meta' },
    policy,
    hostKeys: one,
  },
  {
    file: 'assoc_none_default_ncuid_one',
    comment: 'association secret',
    secret: { type: 'association', name: 'vector association', value: hex(filled(32, 'association')) },
    hostKeys: one,
  },
  {
    file: 'assoc_simple_dump_cuid_two',
    comment: 'association secret, simple extension, disable-dump, CUID, two hosts',
    secret: { type: 'association', name: 'vector association', value: hex(filled(32, 'association')) },
    extension: { simple },
    flags: 'disable-dump',
    cuid,
    hostKeys: two,
  },
  {
    file: 'assoc+usename_none_default_ncuid_one',
    comment: 'association secret, id = name bytes (--use-name)',
    secret: { type: 'association', name: 'short name', value: hex(filled(32, 'association')), useName: true },
    hostKeys: one,
  },
  {
    file: 'assoc+usename32_none_default_ncuid_one',
    comment: 'association secret, --use-name with a 32-byte name (cut to 31)',
    secret: { type: 'association', name: 'abcdefghijklmnopqrstuvwxyz012345', value: hex(filled(32, 'association')), useName: true },
    hostKeys: one,
  },
  {
    file: 'assoc+udata5_none_default_ncuid_one',
    comment: 'association secret with 5 bytes of unsigned user data',
    secret: { type: 'association', name: 'vector association', value: hex(filled(32, 'association')) },
    userData: '0102030405',
    hostKeys: one,
  },
  ...[0, 1, 13, 14, 40, 8190].map((n) => ({
    file: `plain-${n}_none_default_ncuid_one`,
    comment: `retrievable plaintext of ${n} bytes`,
    secret: retr('plain', n),
    hostKeys: one,
  })),
  ...[16, 24, 32].map((n) => ({ file: `aes-${n * 8}_none_default_ncuid_one`, comment: `retrievable AES-${n * 8} key`, secret: retr('aes', n), hostKeys: one })),
  ...[32, 64].map((n) => ({
    file: `aes-xts-${n * 4}_none_default_ncuid_one`,
    comment: `retrievable AES-XTS-${n * 4} key (${n} bytes)`,
    secret: retr('aes-xts', n),
    hostKeys: one,
  })),
  ...[64, 128].map((n) => ({
    file: `hmac-sha-${n * 4}_none_default_ncuid_one`,
    comment: `retrievable HMAC-SHA-${n * 4} key (${n} bytes)`,
    secret: retr('hmac-sha', n),
    hostKeys: one,
  })),
  {
    file: 'aes-256+usename_derived_default_cuid_two',
    comment: 'retrievable AES-256 key, --use-name, derived extension, CUID, two hosts',
    secret: { ...retr('aes', 32, 'aes key by name'), useName: true },
    extension: { cck },
    cuid,
    hostKeys: two,
  },
  { file: 'ec-p256_none_default_ncuid_one', comment: 'retrievable EC P-256 key (PKCS#8 PEM)', secret: ec('ec p256', keys.p256), hostKeys: one },
  { file: 'ec-p384_none_default_ncuid_one', comment: 'retrievable EC P-384 key (SEC 1 PEM)', secret: ec('ec p384', keys.p384), hostKeys: one },
  {
    file: 'ec-p521_none_default_ncuid_one',
    comment: 'retrievable EC P-521 key (PKCS#8 DER, scalar with a leading zero byte)',
    secret: ec('ec p521', keys.p521),
    hostKeys: one,
  },
  { file: 'ec-p521sec1_none_default_ncuid_one', comment: 'retrievable EC P-521 key (SEC 1 DER)', secret: ec('ec p521 sec1', keys.p521sec1), hostKeys: one },
  { file: 'ec-ed25519_none_default_ncuid_one', comment: 'retrievable Ed25519 key (PKCS#8 PEM)', secret: ec('ec ed25519', keys.ed25519), hostKeys: one },
  {
    file: 'ec-ed448_none_default_ncuid_one',
    comment: 'retrievable Ed448 key (PKCS#8 DER; 57 bytes padded to 64)',
    secret: ec('ec ed448', keys.ed448),
    hostKeys: one,
  },
  { file: 'cck_none_default_ncuid_one', comment: 'update-CCK', secret: { type: 'update-cck', value: hex(filled(32, 'new cck')) }, hostKeys: one },
  {
    file: 'cck_derived_dump_cuid_two',
    comment: 'update-CCK with derived extension, disable-dump, CUID, two hosts',
    secret: { type: 'update-cck', value: hex(filled(32, 'new cck')) },
    extension: { cck },
    flags: 'disable-dump',
    cuid,
    hostKeys: two,
  },
  // error scenarios: no file, the exact code
  { comment: 'AES key of 20 bytes', secret: retr('aes', 20), hostKeys: one, error: 'ERR_SECRET_SIZE' },
  {
    comment: 'AES-XTS key material of 33 bytes (pvsecret accepts it; se-secrets does not)',
    secret: retr('aes-xts', 33),
    hostKeys: one,
    error: 'ERR_SECRET_SIZE',
  },
  { comment: 'HMAC key of 65 bytes (pvsecret accepts it; se-secrets does not)', secret: retr('hmac-sha', 65), hostKeys: one, error: 'ERR_SECRET_SIZE' },
  { comment: 'HMAC key of 32 bytes', secret: retr('hmac-sha', 32), hostKeys: one, error: 'ERR_SECRET_SIZE' },
  { comment: 'plaintext of 8191 bytes', secret: retr('plain', 8191), hostKeys: one, error: 'ERR_SECRET_SIZE' },
  { comment: 'EC key on secp256k1', secret: ec('k1', keys.secp256k1), hostKeys: one, error: 'ERR_SECRET_KEY_TYPE' },
  { comment: 'X25519 key as an EC secret', secret: ec('x', keys.x25519), hostKeys: one, error: 'ERR_SECRET_KEY_TYPE' },
  { comment: 'a certificate as an EC secret', secret: ec('cert', '../../samples/HKD-sample-1.crt'), hostKeys: one, error: 'ERR_KEY_PARSE' },
  { comment: 'update-CCK of 31 bytes', secret: { type: 'update-cck', value: hex(filled(31, 'short cck')) }, hostKeys: one, error: 'ERR_SECRET_SIZE' },
  {
    comment: 'association value of 33 bytes',
    secret: { type: 'association', name: 'a', value: hex(filled(33, 'x')) },
    hostKeys: one,
    error: 'ERR_SECRET_SIZE',
  },
  { comment: '513 bytes of unsigned user data', secret: { type: 'meta' }, userData: hex(filled(513, 'too much')), hostKeys: one, error: 'ERR_USER_DATA_SIZE' },
];

// ---- build -----------------------------------------------------------------------------
const manifest: Manifest = {
  comment: 'Made by scripts/gen-vectors.ts (npm run gen:vectors); checked by test/vectors.test.ts. Bytes are hex.',
  inputs: {
    iv: hex(Buffer.from('000102030405060708090a0b', 'hex')),
    protectionKey: hex(sha('sha256', 'protection key')),
    customerPrivateKey: hex(customerPrivateKey),
    seHeader: seHeaderFile,
    tags: { pld: hex(tags.pld), ald: hex(tags.ald), tld: hex(tags.tld), tag: hex(tags.tag) },
  },
  vectors: [],
};

for (const { error, ...s } of scenarios) {
  const v = { ...s } as ManifestVector;
  if (v.policy) v.userData = hex(policyUserData(Buffer.from(v.policy.content, 'hex'), v.policy.path).userData);
  try {
    const request = await createAddSecretRequest(optionsOf(manifest, { ...v, expected: { outcome: 'error', code: '' } }));
    if (error) throw new Error(`${v.comment}: expected ${error}, but it built`);
    const info = parseAddSecretRequest(request);
    v.expected = { outcome: 'ok', size: request.length, userDataType: info.userDataType, secretType: info.secret.type, secretLength: info.secret.length };
    writeFileSync(join(VECTOR_DIR, v.file as string), request);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (!error || code !== error) throw e;
    v.expected = { outcome: 'error', code };
  }
  manifest.vectors.push(v);
}
writeFileSync(join(VECTOR_DIR, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(
  `${manifest.vectors.filter((v) => v.file).length} vectors and ${manifest.vectors.filter((v) => !v.file).length} error scenarios written to ${VECTOR_DIR}`,
);
