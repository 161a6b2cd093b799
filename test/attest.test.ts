/**
 * Attestation (pvattest) against the reference's vectors in ../shared/vectors/upstream/pvattest:
 * the attestation request rebuilt byte for byte, the measurement known answers, and every
 * exchange file round-tripped. The request is also opened with node:crypto only.
 */
import { createDecipheriv, createECDH, createHash, createHmac } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  attestationMeasurement,
  checkAttestation,
  createAttestationRequest,
  encodeAttestationExchange,
  parseAttestationExchange,
  parseAttestationRequest,
  readAttestationResponse,
  secretStoreHash,
  verifyAttestation,
} from '../src/attest/index.js';
import { nodeBackend } from '../src/crypto/node.js';
import { nobleBackend, portableBackend, webCryptoBackend } from '../src/crypto/portable.js';
import { toHex } from '../src/internal/bytes.js';
import { hostKeysFromDocuments } from '../src/request/host-key.js';
import { HAVE_UPSTREAM, UPSTREAM_DIR, UPSTREAM_SKIP_REASON, upstream } from './helpers/upstream.js';
import { codeOf } from './helpers/samples.js';

const backends = [nodeBackend, portableBackend, nobleBackend, webCryptoBackend];
const fill = (n: number, v: number) => new Uint8Array(n).fill(v);
const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

interface Kat {
  measurementKey: string;
  tags: { pld: string; ald: string; tld: string; tag: string };
  cuid: string;
  userData: string;
  nonce: string;
  additionalData: string;
  cases: Record<string, { hmac: string; with: ('userData' | 'nonce' | 'additionalData')[] }>;
  arcb: { iv: string; arpk: string; nonce: string; measurementKey: string; flags: string[]; version: number };
}

describe.skipIf(!HAVE_UPSTREAM)(`pvattest known answers${HAVE_UPSTREAM ? '' : ` — SKIPPED: ${UPSTREAM_SKIP_REASON}`}`, () => {
  const kat = (HAVE_UPSTREAM ? JSON.parse(readFileSync(join(UPSTREAM_DIR, 'pvattest/kat.json'), 'utf8')) : {}) as Kat;
  const exchangeFiles = HAVE_UPSTREAM ? readdirSync(join(UPSTREAM_DIR, 'pvattest/exchange')).sort() : [];
  let ran = 0;

  const deterministic = () => ({
    iv: hex(kat.arcb.iv),
    customerPrivateKey: upstream('keys/private_cust.bin'),
    protectionKey: hex(kat.arcb.arpk),
    nonce: hex(kat.arcb.nonce),
    measurementKey: hex(kat.arcb.measurementKey),
  });

  for (const backend of backends) {
    it(`rebuilds arcb.bin byte for byte (${backend.name})`, async () => {
      expect(kat.arcb.flags).toEqual(['image_phkh', 'attest_phkh']);
      const det = deterministic();
      const before = toHex(det.customerPrivateKey) + toHex(det.protectionKey);
      const { request, exchange, protectionKey } = await createAttestationRequest({
        hostKeys: [upstream('keys/host.pem.crt')],
        verify: false,
        flags: { imagePhkh: true, attestPhkh: true },
        deterministic: det,
        backend,
      });
      expect(toHex(request)).toBe(toHex(upstream('pvattest/arcb.bin')));
      expect(toHex(protectionKey)).toBe(kat.arcb.arpk);
      expect(toHex(det.customerPrivateKey) + toHex(det.protectionKey)).toBe(before);
      // The exchange file announces a 64-byte measurement and 2 x 32 bytes of additional data.
      const x = parseAttestationExchange(exchange);
      expect(toHex(x.request as Uint8Array)).toBe(toHex(request));
      expect(x.measurement).toBe(64);
      expect(x.additionalData).toBe(64);
      expect(x.userData).toBeUndefined();
      expect(x.cuid).toBeUndefined();
      ran++;
    });
  }

  it('decodes arcb.bin and opens it with node:crypto only (customer key side)', () => {
    const arcb = upstream('pvattest/arcb.bin');
    const info = parseAttestationRequest(arcb);
    expect(info.version).toBe(kat.arcb.version * 0x100);
    expect(info.mai).toBe(1);
    expect(info.nks).toBe(1);
    expect(info.requested).toEqual({ imagePhkh: true, attestPhkh: true, secretStoreHash: false, firmwareState: false });
    // Independent: ECDH customer key x host key, KDF, unwrap the ARPK, decrypt.
    const [hk] = hostKeysFromDocuments([upstream('keys/host.pem.crt')]);
    const ecdh = createECDH('secp521r1');
    const d = Buffer.from(upstream('keys/private_cust.bin'));
    ecdh.setPrivateKey(d.subarray(d.length - 66));
    const z = ecdh.computeSecret(Buffer.from(hk!.publicKey));
    const kek = createHash('sha256').update(z).update(Buffer.from([0, 0, 0, 1])).digest();
    const b = Buffer.from(arcb);
    expect(toHex(b.subarray(0xe0, 0x100))).toBe(toHex(hk!.hash));
    const slot = b.subarray(0xe0, 0x130);
    const unwrap = createDecipheriv('aes-256-gcm', kek, Buffer.alloc(12));
    unwrap.setAuthTag(slot.subarray(64, 80));
    const arpk = Buffer.concat([unwrap.update(slot.subarray(32, 64)), unwrap.final()]);
    expect(arpk.toString('hex')).toBe(kat.arcb.arpk);
    const dec = createDecipheriv('aes-256-gcm', arpk, b.subarray(0x10, 0x1c));
    dec.setAAD(b.subarray(0, 0x130));
    dec.setAuthTag(b.subarray(0x180));
    const conf = Buffer.concat([dec.update(b.subarray(0x130, 0x180)), dec.final()]);
    expect(conf.toString('hex')).toBe(kat.arcb.measurementKey + kat.arcb.nonce);
    ran++;
  });

  it('matches every measurement known answer, and node:crypto agrees', () => {
    const names = Object.keys(kat.cases).sort();
    expect(names).toEqual(['measurement_add', 'measurement_all', 'measurement_minimal', 'measurement_user_add']);
    const tags = { pld: hex(kat.tags.pld), ald: hex(kat.tags.ald), tld: hex(kat.tags.tld), tag: hex(kat.tags.tag) };
    for (const name of names) {
      const c = kat.cases[name]!;
      const parts = {
        ...(c.with.includes('userData') ? { userData: hex(kat.userData) } : {}),
        ...(c.with.includes('nonce') ? { nonce: hex(kat.nonce) } : {}),
        ...(c.with.includes('additionalData') ? { additionalData: hex(kat.additionalData) } : {}),
      };
      const got = attestationMeasurement({ seHeader: tags, cuid: hex(kat.cuid), measurementKey: hex(kat.measurementKey), ...parts });
      expect(toHex(got), name).toBe(c.hmac);
      // Independent: the measured items laid out by hand.
      const u = parts.userData ?? new Uint8Array(0);
      const a = parts.additionalData ?? new Uint8Array(0);
      const lens = Buffer.alloc(8);
      lens.writeUInt16BE(u.length, 0);
      lens.writeUInt32BE(a.length, 4);
      const h = createHmac('sha512', hex(kat.measurementKey));
      for (const p of [tags.pld, tags.ald, tags.tld, tags.tag, hex(kat.cuid), lens, u, parts.nonce ?? new Uint8Array(0), a]) h.update(p);
      expect(h.digest('hex'), `${name} (node:crypto)`).toBe(c.hmac);
    }
    ran++;
  });

  it('round-trips every exchange file of the reference to the same bytes', () => {
    expect(exchangeFiles).toEqual(['add_req.bin', 'add_resp.bin', 'full.bin', 'full_req.bin', 'full_resp.bin', 'min_req.bin', 'min_resp.bin', 'user_req.bin', 'user_resp.bin']);
    for (const f of exchangeFiles) {
      const bytes = upstream(`pvattest/exchange/${f}`);
      const x = parseAttestationExchange(bytes);
      expect(toHex(encodeAttestationExchange(x)), f).toBe(toHex(bytes));
      // The reference's dummy contents (exchange.rs tests): request 16 x 0x11, measurement 64 x 0x12, …
      expect(toHex(x.request as Uint8Array), f).toBe('11'.repeat(16));
      if (f.includes('resp') || f === 'full.bin') {
        expect(toHex(x.measurement as Uint8Array), f).toBe('12'.repeat(64));
        expect(toHex(x.cuid as Uint8Array), f).toBe('14'.repeat(16));
      } else {
        expect(x.measurement, f).toBe(64);
        expect(x.cuid, f).toBeUndefined();
      }
      if (f.startsWith('add') || f.startsWith('full')) {
        expect(f.includes('req') ? x.additionalData : toHex(x.additionalData as Uint8Array), f).toBe(f.includes('req') ? 32 : '13'.repeat(32));
      } else expect(x.additionalData, f).toBeUndefined();
      if (f.startsWith('user') || (f.startsWith('full') && !f.includes('req'))) expect(toHex(x.userData as Uint8Array), f).toBe('15'.repeat(256));
    }
    ran++;
  });

  it('refuses malformed exchange files with ERR_ATTESTATION_EXCHANGE', async () => {
    const min = upstream('pvattest/exchange/min_req.bin');
    const resp = upstream('pvattest/exchange/min_resp.bin');
    const tamper = (b: Uint8Array, at: number, v: number) => {
      const c = b.slice();
      c[at] = v;
      return c;
    };
    const cases: [string, Uint8Array][] = [
      ['magic', tamper(min, 0, 0x8f)],
      ['version', tamper(min, 8, 0xff)],
      ['short', min.subarray(0, min.length - 1)],
      ['header only partly there', min.subarray(0, 12)],
      ['no request', (() => { const c = min.slice(); c.fill(0, 0x18, 0x20); return c; })()],
      ['CUID of 15 bytes', tamper(resp, 0x3b, 0x0f)],
      ['entry past the end', tamper(resp, 0x3f, 0xf0)],
    ];
    for (const [what, b] of cases) expect(await codeOf(() => parseAttestationExchange(b)), what).toBe('ERR_ATTESTATION_EXCHANGE');
    // A request-only exchange is no response.
    expect(await codeOf(() => readAttestationResponse(min))).toBe('ERR_ATTESTATION_EXCHANGE');
    ran++;
  });

  it('refuses a tampered request: magic, version, algorithm, reserved, length', async () => {
    const arcb = upstream('pvattest/arcb.bin');
    for (const at of [0, 0x8, 0x0c, 0x1c, 0x28, 0x2c, 0x3b, 0x3c]) {
      const c = arcb.slice();
      c[at] = (c[at] as number) ^ 0x11;
      expect(await codeOf(() => parseAttestationRequest(c)), `offset 0x${at.toString(16)}`).toBe('ERR_ATTESTATION_REQUEST');
    }
    expect(await codeOf(() => parseAttestationRequest(arcb.subarray(0, 0x100)))).toBe('ERR_ATTESTATION_REQUEST');
    ran++;
  });

  it('verifies a response made from arcb.bin, refuses a changed one, a wrong ARPK and a wrong header', async () => {
    const tags = { pld: fill(64, 1), ald: fill(64, 2), tld: fill(64, 3), tag: fill(16, 4) };
    const cuid = fill(16, 0x42);
    const additionalData = new Uint8Array([...fill(32, 0xa1), ...fill(32, 0xa2)]);
    const userData = new Uint8Array([1, 2, 3]);
    const measurement = attestationMeasurement({ seHeader: tags, cuid, userData, nonce: hex(kat.arcb.nonce), additionalData, measurementKey: hex(kat.arcb.measurementKey) });
    const exchange = encodeAttestationExchange({ request: upstream('pvattest/arcb.bin'), measurement, additionalData, userData, cuid });
    const arpk = hex(kat.arcb.arpk);
    const r = await verifyAttestation({ exchange, protectionKey: arpk, seHeader: tags });
    expect(r.verified).toBe(true);
    expect(toHex(r.cuid)).toBe('42'.repeat(16));
    expect(toHex(r.additional!.imagePhkh!)).toBe('a1'.repeat(32));
    expect(toHex(r.additional!.attestationPhkh!)).toBe('a2'.repeat(32));
    expect(r.additional!.unrecognized).toBeUndefined();
    expect(toHex(arpk)).toBe(kat.arcb.arpk); // the caller's key is left alone
    const flipped = exchange.slice();
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 1; // the CUID
    expect(await codeOf(verifyAttestation({ exchange: flipped, protectionKey: arpk, seHeader: tags }))).toBe('ERR_ATTESTATION_MISMATCH');
    expect(await codeOf(verifyAttestation({ exchange, protectionKey: fill(32, 0x18), seHeader: tags }))).toBe('ERR_ATTESTATION_AUTH');
    expect(await codeOf(verifyAttestation({ exchange, protectionKey: arpk, seHeader: { ...tags, tag: fill(16, 5) } }))).toBe('ERR_ATTESTATION_MISMATCH');
    // Host-key check on the unverified read: the reference's host key is neither PHKH here.
    const check = checkAttestation(r, { hostKeyDocuments: [upstream('keys/host.pem.crt')], hostKeyCheck: ['att-key-hash'] });
    expect(check.successful).toBe(false);
    expect(check.issues).toHaveLength(2);
    ran++;
  });

  it('secret-store hash: SHA-512 over the request tags in order, then the lock byte (node:crypto agrees)', () => {
    const reqs = ['null_none_default_cuid_one', 'assoc_none_default_cuid_one'].map((f) => upstream(`exp/asrcb/${f}`));
    for (const locked of [true, false]) {
      const h = createHash('sha512');
      for (const r of reqs) h.update(r.subarray(r.length - 16));
      h.update(Buffer.from([locked ? 1 : 0]));
      expect(toHex(secretStoreHash(reqs, locked))).toBe(h.digest('hex'));
    }
    // The reference's known answer for no secrets (secret_store.rs, hash_empty): SHA-512 of one byte.
    expect(toHex(secretStoreHash([], true))).toBe(createHash('sha512').update(Buffer.from([1])).digest('hex'));
    ran++;
  });

  it('ran every vector (none silently skipped)', () => {
    expect(ran).toBe(backends.length + 7);
  });
});
