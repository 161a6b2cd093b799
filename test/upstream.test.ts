import { describe, expect, it } from 'vitest';
import { createAddSecretRequest, parseSeHeader, parseAddSecretRequest, toHexForTest } from './helpers/api.js';
import { HAVE_UPSTREAM, UPSTREAM_INPUTS as I, UPSTREAM_SKIP_REASON, upstream } from './helpers/upstream.js';
import { nodeBackend } from '../src/crypto/node.js';
import { nobleBackend, portableBackend, webCryptoBackend } from '../src/crypto/portable.js';
import { hostKeysFromDocuments } from '../src/request/host-key.js';
import { wrapKeySlot } from '../src/request/keyslot.js';
import type { SecretSpec } from '../src/request/guest-secret.js';
import type { ExtensionSecretOption } from '../src/request/ext-secret.js';

const backends = [nodeBackend, portableBackend, nobleBackend, webCryptoBackend];

interface Case {
  file: string;
  secret: SecretSpec;
  extensionSecret?: ExtensionSecretOption;
}

const CASES: Case[] = [
  { file: 'null_none_default_cuid_one', secret: { type: 'meta' } },
  { file: 'assoc_none_default_cuid_one', secret: { type: 'association', name: I.associationName, value: I.associationValue } },
  { file: 'null_simple_default_cuid_one', secret: { type: 'meta' }, extensionSecret: { value: I.extensionSimple } },
];

describe.skipIf(!HAVE_UPSTREAM)(`upstream known-answer vectors${HAVE_UPSTREAM ? '' : ` — SKIPPED: ${UPSTREAM_SKIP_REASON}`}`, () => {
  let ran = 0;

  for (const backend of backends) {
    for (const c of CASES) {
      it(`${c.file} matches byte for byte (${backend.name})`, async () => {
        const expected = upstream(`exp/asrcb/${c.file}`);
        const got = await createAddSecretRequest({
          secret: c.secret,
          seHeader: I.tags,
          hostKeys: [upstream('keys/host.pem.crt')],
          verify: false,
          cuid: I.cuid,
          ...(c.extensionSecret ? { extensionSecret: c.extensionSecret } : {}),
          deterministic: { iv: I.iv, protectionKey: I.protectionKey, customerPrivateKey: upstream('keys/private_cust.bin') },
          backend,
        });
        expect(toHexForTest(got)).toBe(toHexForTest(expected));
        ran++;
      });
    }

    it(`key slot matches exp/keyslot.bin (${backend.name})`, async () => {
      const [hk] = hostKeysFromDocuments([upstream('keys/host.pem.crt')]);
      const slot = await wrapKeySlot(backend, upstream('keys/private_cust.bin'), hk!.publicKey, hk!.hash, I.protectionKey);
      expect(toHexForTest(slot)).toBe(toHexForTest(upstream('exp/keyslot.bin')));
      ran++;
    });

    it(`customer public key matches keys/public_cust.bin (${backend.name})`, async () => {
      const point = await backend.p521PublicKey(upstream('keys/private_cust.bin'));
      const req = parseAddSecretRequest(upstream('exp/asrcb/null_none_default_cuid_one'));
      expect(toHexForTest(req.customerPublicKey)).toBe(toHexForTest(upstream('keys/public_cust.bin')));
      expect(toHexForTest(point.subarray(1, 67))).toBe(toHexForTest(upstream('keys/public_cust.bin').subarray(14, 80)));
      ran++;
    });
  }

  const hdrTags = {
    pld: 'be94b5eab3c1b118c757d7db7ea0f65d9b64823a8dc55bf8a8725b58072d9d4258c53e8a5da82dfb2192d91d07bc1c39b95d6321d3ba16a751a6e3e32f3e0161',
    ald: '2858c3368b2a0af0c5ea0fde7905eb15af9cd1dd737165933cdaa2b850b6a8e2f0f42c7b36dd5381096288dc092daa8a6facec2534137bc94ca80bda4fcb9328',
    tld: '4860ebcf7b9d24eb909a795356ad32c936b62165988a9ffcd66170dbc590c23010d7952fa882d1bb79558f9be0a549d8d7a94ae720e5c0760a825d479fe67af5',
    tag: '92309d4589b9a85b427f8753171d1520',
  };

  it('secure_guest.hdr yields the reference tags', () => {
    const h = parseSeHeader(upstream('exp/secure_guest.hdr'));
    expect(h.version).toBe(0x100);
    expect(h.size).toBe(640);
    expect(h.nks).toBe(1);
    expect(h.sea).toBe(0x80);
    expect(h.hostKeyHashes).toHaveLength(1);
    for (const k of ['pld', 'ald', 'tld', 'tag'] as const) expect(toHexForTest(h[k])).toBe(hdrTags[k]);
    ran++;
  });

  it('finds the header at 0x12000 of a 0x13000-byte image, not at 0x8', () => {
    const hdr = upstream('exp/secure_guest.hdr');
    const img = new Uint8Array(0x13000);
    img.set(hdr, 0x12000);
    const h = parseSeHeader(img);
    expect(h.offset).toBe(0x12000);
    expect(toHexForTest(h.tag)).toBe(hdrTags.tag);
    const bad = new Uint8Array(0x13000);
    bad.set(hdr, 0x8);
    expect(() => parseSeHeader(bad)).toThrowError(expect.objectContaining({ code: 'ERR_HEADER_NOT_FOUND' }));
    ran++;
  });

  it('parses every upstream request', () => {
    for (const c of CASES) {
      const bytes = upstream(`exp/asrcb/${c.file}`);
      const info = parseAddSecretRequest(bytes);
      expect(info.length).toBe(bytes.length);
      expect(info.nks).toBe(1);
      expect(toHexForTest(info.cuid)).toBe('42'.repeat(16));
    }
    ran++;
  });

  it('ran every vector (none silently skipped)', () => {
    expect(ran).toBe(backends.length * (CASES.length + 2) + 3);
  });
});
