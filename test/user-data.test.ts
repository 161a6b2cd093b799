/**
 * Signed and unsigned user data: built requests are checked with node:crypto's verify
 * on the signature taken out at the offsets of the format (and with the openssl CLI when
 * it is installed), and by verifyAddSecretRequest with both backends. No signed request
 * from the real pvsecret exists here; the user-signing keys were generated for the tests
 * (test/fixtures/user-keys/, scripts/gen-user-keys.ts).
 */
import { execFileSync } from 'node:child_process';
import { constants, verify as nodeVerify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeBackend } from '../src/crypto/node.js';
import { portableBackend } from '../src/crypto/portable.js';
import { createAddSecretRequest, parseAddSecretRequest, verifyAddSecretRequest } from './helpers/api.js';
import { openRequest, p521ScalarFromPem } from './helpers/independent.js';

const samples = join(import.meta.dirname, '..', 'samples');
const hkd = new Uint8Array(readFileSync(join(samples, 'HKD-sample-1.crt')));
const hostScalar = p521ScalarFromPem(readFileSync(join(samples, 'HKD-sample-1.key')));
const hdr = new Uint8Array(readFileSync(join(samples, 'sample.hdr')));
const base = { seHeader: hdr, hostKeys: [hkd], verify: false as const };

interface UserKey {
  label: string;
  type: number;
  max: number;
  pkcs8: Uint8Array;
  /** Other encodings of the same key that must be accepted too. */
  forms: [string, Uint8Array][];
  cert: Uint8Array;
}

/** Fixed user-signing keys and certificates (scripts/gen-user-keys.ts). */
const userKeys = join(import.meta.dirname, 'fixtures', 'user-keys');
const readKey = (f: string) => new Uint8Array(readFileSync(join(userKeys, f)));

function userKey(file: string, label: string, type: number, max: number): UserKey {
  const legacy = file.startsWith('rsa') ? 'pkcs1' : 'sec1';
  return {
    label,
    type,
    max,
    pkcs8: readKey(`${file}.pem`),
    forms: [
      [`${legacy} pem`, readKey(`${file}.${legacy}.pem`)],
      [`${legacy} der`, readKey(`${file}.${legacy}.der`)],
    ],
    cert: readKey(`${file}.crt`),
  };
}

const ec521 = userKey('ec-p521', 'EC P-521', 2, 256);
const rsa2048 = userKey('rsa-2048', 'RSA-2048', 3, 256);
const rsa3072 = userKey('rsa-3072', 'RSA-3072', 4, 128);
const keys = [ec521, rsa2048, rsa3072];

/** The signature at the offsets of the format, and the message it signs (node:crypto only). */
function extract(req: Uint8Array, type: number): { signature: Buffer; message: Buffer } {
  const b = Buffer.from(req);
  const ud = 0x218;
  let signature: Buffer;
  let sigStart: number;
  if (type === 2) {
    const len = b.readUInt16BE(ud + 0x190);
    signature = Buffer.from(b.subarray(ud + 0x100, ud + 0x100 + len));
    sigStart = ud + 0x100;
    expect(b.subarray(ud + 0x100 + len, ud + 0x18b).equals(Buffer.alloc(0x8b - len))).toBe(true);
    expect(b.subarray(ud + 0x18b, ud + 0x190).equals(Buffer.alloc(5))).toBe(true);
    expect(b.subarray(ud + 0x192, ud + 0x200).equals(Buffer.alloc(110))).toBe(true);
  } else {
    sigStart = ud + (type === 3 ? 0x100 : 0x80);
    signature = Buffer.from(b.subarray(sigStart, ud + 0x200));
  }
  const message = Buffer.from(b.subarray(0, b.length - 16));
  message.fill(0, sigStart, ud + 0x200);
  return { signature, message };
}

function nodeVerifies(k: UserKey, req: Uint8Array): boolean {
  const pub = new X509Certificate(Buffer.from(k.cert)).publicKey;
  const { signature, message } = extract(req, k.type);
  const options =
    k.type === 2
      ? { key: pub, dsaEncoding: 'der' as const }
      : { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO };
  return nodeVerify('sha512', message, options, signature);
}

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const OPENSSL = hasOpenssl();

describe('signed user data', () => {
  for (const backend of [nodeBackend, portableBackend]) {
    for (const k of keys) {
      it(`${k.label}, ${k.max} bytes of data (${backend.name}): node:crypto verifies, the tag covers the signature`, async () => {
        const data = new Uint8Array(k.max).map((_, i) => (i * 7 + 1) & 0xff);
        const req = await createAddSecretRequest({
          ...base,
          secret: { type: 'association', name: 'signed' },
          userData: data,
          userSigningKey: k.pkcs8,
          backend,
        });
        const b = Buffer.from(req);
        expect(b.readUInt16BE(6)).toBe(k.type);
        expect(b.subarray(0x218, 0x218 + k.max).equals(Buffer.from(data))).toBe(true);
        expect(nodeVerifies(k, req)).toBe(true);
        // The request opens with the host key: its GCM tag is over the signed AAD.
        expect(openRequest(req, hostScalar).plaintext.length).toBe(64);
        const info = parseAddSecretRequest(req);
        expect(info.userDataType).toBe(k.type);
        expect(Buffer.from(info.userData!).equals(Buffer.from(data))).toBe(true);
        expect(Buffer.from(info.signature!).equals(extract(req, k.type).signature)).toBe(true);
        for (const v of [nodeBackend, portableBackend]) {
          const r = await verifyAddSecretRequest(req, { userCertificate: k.cert, backend: v });
          expect(r.signatureVerified).toBe(true);
          expect(Buffer.from(r.userData!).equals(Buffer.from(data))).toBe(true);
        }
      });
    }
  }

  for (const k of keys) {
    for (const [form, bytes] of k.forms) {
      it(`${k.label} accepted as ${form}; no data means empty signed data`, async () => {
        const req = await createAddSecretRequest({ ...base, secret: { type: 'meta' }, userSigningKey: bytes });
        expect(Buffer.from(req).readUInt16BE(6)).toBe(k.type);
        expect(
          Buffer.from(req)
            .subarray(0x218, 0x218 + k.max)
            .equals(Buffer.alloc(k.max)),
        ).toBe(true);
        expect(nodeVerifies(k, req)).toBe(true);
      });
    }
  }

  it('RSA signatures use the maximum PSS salt length (OpenSSL 3.0 default)', async () => {
    const req = await createAddSecretRequest({ ...base, secret: { type: 'meta' }, userSigningKey: rsa2048.pkcs8 });
    const pub = new X509Certificate(Buffer.from(rsa2048.cert)).publicKey;
    const { signature, message } = extract(req, 3);
    expect(nodeVerify('sha512', message, { key: pub, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 190 }, signature)).toBe(true);
  });

  it.skipIf(!OPENSSL)(`the openssl CLI verifies every kind${OPENSSL ? '' : ' — SKIPPED: openssl not installed'}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'se-secrets-sig-'));
    for (const k of keys) {
      const req = await createAddSecretRequest({ ...base, secret: { type: 'meta' }, userData: new Uint8Array([1, 2, 3]), userSigningKey: k.pkcs8 });
      const { signature, message } = extract(req, k.type);
      const pub = new X509Certificate(Buffer.from(k.cert)).publicKey;
      writeFileSync(join(dir, 'pub.pem'), pub.export({ type: 'spki', format: 'pem' }));
      writeFileSync(join(dir, 'sig.bin'), signature);
      writeFileSync(join(dir, 'msg.bin'), message);
      const pss = k.type === 2 ? [] : ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:auto'];
      const out = execFileSync('openssl', [
        'dgst',
        '-sha512',
        '-verify',
        join(dir, 'pub.pem'),
        ...pss,
        '-signature',
        join(dir, 'sig.bin'),
        join(dir, 'msg.bin'),
      ]);
      expect(out.toString().trim()).toBe('Verified OK');
    }
  });
});

describe('user data options: sizes and key types', () => {
  const code = async (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: { code?: string }) => e.code,
    );
  const build = (o: { userData?: Uint8Array; userSigningKey?: Uint8Array }) => createAddSecretRequest({ ...base, secret: { type: 'meta' }, ...o });

  it('unsigned: up to 512 bytes, type 1 even when empty', async () => {
    expect(Buffer.from(await build({ userData: new Uint8Array(512).fill(9) })).readUInt16BE(6)).toBe(1);
    expect(Buffer.from(await build({ userData: new Uint8Array(0) })).readUInt16BE(6)).toBe(1);
    expect(await code(build({ userData: new Uint8Array(513) }))).toBe('ERR_USER_DATA_SIZE');
  });

  it('signed: 256 / 256 / 128 bytes at most', async () => {
    for (const k of keys) {
      expect(await code(build({ userData: new Uint8Array(k.max + 1), userSigningKey: k.pkcs8 })), k.label).toBe('ERR_USER_DATA_SIZE');
    }
    await expect(build({ userData: new Uint8Array(257), userSigningKey: ec521.pkcs8 })).rejects.toThrow(/257 bytes .* \(expected at most 256\)/);
  });

  it('other keys are refused before the size is checked', async () => {
    for (const f of ['ec-p256.pem', 'ec-p384.sec1.der', 'rsa-1024.pkcs1.pem', 'ed25519.pem']) {
      expect(await code(build({ userData: new Uint8Array(600), userSigningKey: readKey(f) })), f).toBe('ERR_USER_KEY_TYPE');
    }
    expect(await code(build({ userSigningKey: new TextEncoder().encode('not a key') }))).toBe('ERR_KEY_PARSE');
    expect(await code(build({ userSigningKey: hkd }))).toBe('ERR_KEY_PARSE');
  });
});

describe('verifyAddSecretRequest', () => {
  const code = async (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: { code?: string }) => e.code,
    );
  const signedEc = createAddSecretRequest({ ...base, secret: { type: 'meta' }, userData: new Uint8Array([5]), userSigningKey: ec521.pkcs8 });
  const signedRsa = createAddSecretRequest({ ...base, secret: { type: 'meta' }, userSigningKey: rsa3072.pkcs8 });
  const unsigned = createAddSecretRequest({ ...base, secret: { type: 'meta' }, userData: new Uint8Array([1, 2, 3]) });
  const none = createAddSecretRequest({ ...base, secret: { type: 'meta' } });

  it('returns the user data: 512 bytes unsigned, nothing for type 0 (even with a certificate)', async () => {
    const u = await verifyAddSecretRequest(await unsigned);
    expect(u.userDataType).toBe(1);
    expect(Buffer.from(u.userData!).equals(Buffer.concat([Buffer.from([1, 2, 3]), Buffer.alloc(509)]))).toBe(true);
    expect(await verifyAddSecretRequest(await none)).toEqual({ userDataType: 0, signatureVerified: false });
    expect(await verifyAddSecretRequest(await none, { userCertificate: ec521.cert })).toEqual({ userDataType: 0, signatureVerified: false });
  });

  it('typed errors for each failed check', async () => {
    expect(await code(verifyAddSecretRequest(await unsigned, { userCertificate: ec521.cert }))).toBe('ERR_REQUEST_NO_SIGNATURE');
    expect(await code(verifyAddSecretRequest(await signedEc))).toBe('ERR_USER_CERT_REQUIRED');
    expect(await code(verifyAddSecretRequest(await signedEc, { userCertificate: rsa2048.cert }))).toBe('ERR_REQUEST_SIGNATURE_KEY_TYPE');
    expect(await code(verifyAddSecretRequest(await signedRsa, { userCertificate: rsa2048.cert }))).toBe('ERR_REQUEST_SIGNATURE_KEY_TYPE');
    expect(await code(verifyAddSecretRequest(await signedRsa, { userCertificate: hkd }))).toBe('ERR_REQUEST_SIGNATURE_KEY_TYPE');
    for (const f of ['ec-p384.crt', 'rsa-1024.crt']) {
      expect(await code(verifyAddSecretRequest(await signedEc, { userCertificate: readKey(f) })), f).toBe('ERR_REQUEST_SIGNATURE_KEY_TYPE');
    }
    const otherEc = userKey('ec-p521-other', 'other EC P-521', 2, 256);
    for (const backend of [nodeBackend, portableBackend]) {
      expect(await code(verifyAddSecretRequest(await signedEc, { userCertificate: otherEc.cert, backend }))).toBe('ERR_REQUEST_SIGNATURE');
      for (const [req, cert] of [
        [await signedEc, ec521.cert],
        [await signedRsa, rsa3072.cert],
      ] as const) {
        for (const at of [0x30, 0x218, 0x420, req.length - 17]) {
          const bad = req.slice();
          bad[at] = (bad[at] as number) ^ 0x01;
          expect(await code(verifyAddSecretRequest(bad, { userCertificate: cert, backend })), `flip at 0x${at.toString(16)}`).toBe('ERR_REQUEST_SIGNATURE');
        }
      }
    }
    expect(await code(verifyAddSecretRequest(await signedEc, { userCertificate: new TextEncoder().encode('x') }))).toBe('ERR_CERT_PARSE');
  });

  it('the tag is not part of the signature (as in pvsecret)', async () => {
    const req = (await signedEc).slice();
    req[req.length - 1] = (req[req.length - 1] as number) ^ 0xff;
    expect((await verifyAddSecretRequest(req, { userCertificate: ec521.cert })).signatureVerified).toBe(true);
  });

  it('rejects what is not a version-1 request', async () => {
    const req = await none;
    const at = (f: (b: Uint8Array) => void) => {
      const b = req.slice();
      f(b);
      return b;
    };
    expect(await code(verifyAddSecretRequest(new Uint8Array(0)))).toBe('ERR_REQUEST_MAGIC');
    expect(await code(verifyAddSecretRequest(new TextEncoder().encode('asrcbM')))).toBe('ERR_REQUEST_MAGIC');
    expect(await code(verifyAddSecretRequest(hdr))).toBe('ERR_REQUEST_MAGIC');
    expect(await code(verifyAddSecretRequest(hkd))).toBe('ERR_REQUEST_MAGIC');
    expect(await code(verifyAddSecretRequest(at((b) => (b[7] = 5))))).toBe('ERR_REQUEST_USER_DATA_TYPE');
    expect(await code(verifyAddSecretRequest(at((b) => (b[10] = 2))))).toBe('ERR_REQUEST_VERSION');
    expect(await code(verifyAddSecretRequest(req.subarray(0, req.length - 1)))).toBe('ERR_REQUEST_LENGTH');
    expect(await code(verifyAddSecretRequest(req.subarray(0, 40)))).toBe('ERR_REQUEST_LENGTH');
    expect(await code(verifyAddSecretRequest(new Uint8Array([...req, 0])))).toBe('ERR_REQUEST_LENGTH');
    expect(await code(verifyAddSecretRequest(at((b) => (b[0x2c] = 0xff))))).toBe('ERR_REQUEST_LENGTH');
    const short = req.slice(0, 0x400);
    new DataView(short.buffer).setUint32(0x0c, 0x400);
    new DataView(short.buffer).setUint32(0x2c, 0);
    expect(await code(verifyAddSecretRequest(short))).toBe('ERR_REQUEST_LENGTH');
  });
});
