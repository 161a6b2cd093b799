/**
 * A simulated Ultravisor for attestation, written from the wire formats with node:crypto
 * only — no code of se-secrets. It does what `pvattest perform` gets done on a real
 * guest: opens the attestation request with a host private key, opens the guest's SE
 * header with the same key (so it answers only for a header sealed for that host),
 * and returns the exchange response with the measurement over the header's tags, the
 * chosen CUID, user data, nonce and additional data.
 */
import { createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';

const u32 = (b: Buffer, o: number) => b.readUInt32BE(o);

/** ECDH + SHA-256(Z ‖ 00000001) + AES-GCM unwrap of the key slot whose hash is ours. */
function openSlot(hostKey: KeyObject, hostHash: Buffer, custWire: Buffer, slots: Buffer, nks: number): Buffer {
  const coord = (c: Buffer) => c.subarray(14).toString('base64url');
  const cust = createPublicKey({ key: { kty: 'EC', crv: 'P-521', x: coord(custWire.subarray(0, 80)), y: coord(custWire.subarray(80, 160)) }, format: 'jwk' });
  const kek = createHash('sha256').update(diffieHellman({ privateKey: hostKey, publicKey: cust })).update(Buffer.from([0, 0, 0, 1])).digest();
  for (let i = 0; i < nks; i++) {
    const s = slots.subarray(80 * i, 80 * i + 80);
    if (!s.subarray(0, 32).equals(hostHash)) continue;
    const d = createDecipheriv('aes-256-gcm', kek, Buffer.alloc(12));
    d.setAuthTag(s.subarray(64, 80));
    return Buffer.concat([d.update(s.subarray(32, 64)), d.final()]);
  }
  throw new Error('uv: no key slot for this host key');
}

function gcmOpen(key: Buffer, iv: Buffer, data: Buffer, aadEnd: number, sea: number): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, iv);
  d.setAAD(data.subarray(0, aadEnd));
  d.setAuthTag(data.subarray(aadEnd + sea, aadEnd + sea + 16));
  return Buffer.concat([d.update(data.subarray(aadEnd, aadEnd + sea)), d.final()]);
}

export interface UvAnswer {
  cuid: Buffer;
  userData?: Buffer;
  /** Add-secret requests accepted so far, in order, and the lock state (for the secret-store hash). */
  secrets?: Buffer[];
  locked?: boolean;
  /** Replaces the firmware state (320 bytes) when asked for. */
  firmwareState?: Buffer;
}

/** Answers the exchange request `exchange` for the SE header `seHeader` on the host with `hostKeyPem`. */
export function performAttestation(exchange: Uint8Array, seHeader: Uint8Array, hostKeyPem: string | Buffer, answer: UvAnswer): Buffer {
  const x = Buffer.from(exchange);
  if (x.subarray(0, 8).toString('latin1') !== 'pvattest') throw new Error('uv: not an exchange file');
  const req = x.subarray(u32(x, 0x1c), u32(x, 0x1c) + u32(x, 0x18));
  const hostKey = createPrivateKey(hostKeyPem);
  const jwk = createPublicKey(hostKey).export({ format: 'jwk' }) as { x: string; y: string };
  const pad = (s: string) => { const b = Buffer.from(s, 'base64url'); return Buffer.concat([Buffer.alloc(80 - b.length), b]); };
  const hostHash = createHash('sha256').update(Buffer.concat([pad(jwk.x), pad(jwk.y)])).digest();

  // The attestation request: header (0x30), flags, algorithm, customer key, key slots, encrypted, tag.
  if (!req.subarray(0, 8).equals(Buffer.alloc(8)) || u32(req, 8) !== 0x100 || u32(req, 0x38) !== 1) throw new Error('uv: not an attestation request');
  const nks = req[0x27] as number;
  const sea = u32(req, 0x2c);
  const flags = req.readBigUInt64BE(0x30);
  const arpk = openSlot(hostKey, hostHash, req.subarray(0x40, 0xe0), req.subarray(0xe0), nks);
  const conf = gcmOpen(arpk, req.subarray(0x10, 0x1c), req, 0xe0 + 80 * nks, sea);
  const measurementKey = conf.subarray(0, 64);
  const nonce = conf.length === 80 ? conf.subarray(64) : Buffer.alloc(0);

  // The SE header: the Ultravisor unpacked the image with the same host key.
  const h = Buffer.from(seHeader);
  if (h.subarray(0, 8).toString('latin1') !== 'IBMSecEx') throw new Error('uv: not an SE header');
  const hnks = Number(h.readBigUInt64BE(0x20));
  const hsea = Number(h.readBigUInt64BE(0x28));
  const hkey = openSlot(hostKey, hostHash, h.subarray(0x40, 0xe0), h.subarray(0x1a0), hnks);
  gcmOpen(hkey, h.subarray(0x10, 0x1c), h, 0x1a0 + 80 * hnks, hsea); // authenticates the header
  const size = u32(h, 0x0c);
  const tags = Buffer.concat([h.subarray(0xe0, 0x1a0), h.subarray(size - 16, size)]);

  const bit = (n: number) => (flags & (1n << BigInt(63 - n))) !== 0n;
  const add: Buffer[] = [];
  if (bit(2)) add.push(hostHash); // image PHKH
  if (bit(3)) add.push(hostHash); // attestation PHKH
  if (bit(4)) {
    const s = createHash('sha512');
    for (const r of answer.secrets ?? []) s.update(r.subarray(r.length - 16));
    add.push(s.update(Buffer.from([answer.locked ? 1 : 0])).digest());
  }
  if (bit(5)) add.push(answer.firmwareState ?? Buffer.alloc(320, 0x5f));
  const additional = Buffer.concat(add);
  const user = answer.userData ?? Buffer.alloc(0);
  const lens = Buffer.alloc(8);
  lens.writeUInt16BE(user.length, 0);
  lens.writeUInt32BE(additional.length, 4);
  const measurement = createHmac('sha512', measurementKey).update(Buffer.concat([tags, answer.cuid, lens, user, nonce, additional])).digest();

  // The response: the request, the measurement, additional data, user data, CUID.
  const parts = [req, measurement, additional, user, answer.cuid];
  const hdr = Buffer.alloc(0x40);
  hdr.write('pvattest', 0, 'latin1');
  hdr.writeUInt32BE(0x100, 8);
  let off = 0x40;
  parts.forEach((p, i) => {
    hdr.writeUInt32BE(p.length, 0x18 + 8 * i);
    hdr.writeUInt32BE(p.length ? off : 0, 0x1c + 8 * i);
    off += p.length;
  });
  hdr.writeUInt32BE(off, 0x0c);
  return Buffer.concat([hdr, ...parts]);
}
