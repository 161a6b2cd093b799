/**
 * An independent reading of an add-secret request, written against the wire format
 * with node:crypto only — no code of se-secrets — to check what our builder writes.
 */
import { createDecipheriv, createECDH, createHash, createPrivateKey } from 'node:crypto';

export interface Opened {
  userDataType: number;
  version: number;
  rql: number;
  iv: Buffer;
  nks: number;
  sea: number;
  flags: bigint;
  pld: Buffer;
  ald: Buffer;
  tld: Buffer;
  tag: Buffer;
  cuid: Buffer;
  userData: Buffer;
  customerPublicKey: Buffer;
  slots: { hash: Buffer; wrapped: Buffer; tag: Buffer }[];
  secretType: number;
  secretLength: number;
  secretId: Buffer | undefined;
  /** Decrypted: secret value ‖ extension secret. */
  plaintext: Buffer;
  protectionKey: Buffer;
  /** Index of the key slot that opened. */
  slotIndex: number;
}

/** The raw 66-byte scalar of a PKCS#8/SEC1 P-521 private key PEM. */
export function p521ScalarFromPem(pem: string | Buffer): Buffer {
  const jwk = createPrivateKey(pem).export({ format: 'jwk' }) as { d: string };
  return Buffer.from(jwk.d, 'base64url');
}

/**
 * Opens a request with a P-521 private key (either the host's, used with the request's
 * customer public key, or the customer's, used with `peerPoint` = the host's point).
 */
export function openRequest(req: Uint8Array, privateScalar: Buffer, peerPoint?: Buffer): Opened {
  const b = Buffer.from(req);
  const nks = b[0x27]!;
  const secretType = b.readUInt16BE(0x4b8 + 80 * nks + 2);
  const shs = secretType === 1 ? 16 : 48;
  const aadLen = 0x4b8 + 80 * nks + shs;
  const sea = b.readUInt32BE(0x2c);
  const cust = b.subarray(0x418, 0x4b8);
  const custPoint = Buffer.concat([Buffer.from([4]), cust.subarray(14, 80), cust.subarray(94, 160)]);
  const ecdh = createECDH('secp521r1');
  ecdh.setPrivateKey(privateScalar);
  const z = ecdh.computeSecret(peerPoint ?? custPoint);
  const kek = createHash('sha256').update(z).update(Buffer.from([0, 0, 0, 1])).digest();
  const slots = [];
  for (let i = 0; i < nks; i++) {
    const s = b.subarray(0x4b8 + 80 * i, 0x4b8 + 80 * (i + 1));
    slots.push({ hash: s.subarray(0, 32), wrapped: s.subarray(32, 64), tag: s.subarray(64, 80) });
  }
  let protectionKey: Buffer | undefined;
  let slotIndex = -1;
  for (const [i, s] of slots.entries()) {
    try {
      const d = createDecipheriv('aes-256-gcm', kek, Buffer.alloc(12));
      d.setAuthTag(s.tag);
      protectionKey = Buffer.concat([d.update(s.wrapped), d.final()]);
      slotIndex = i;
      break;
    } catch {
      // not this slot
    }
  }
  if (!protectionKey) throw new Error('no key slot opens with this key');
  const iv = b.subarray(0x10, 0x1c);
  const d = createDecipheriv('aes-256-gcm', protectionKey, iv);
  d.setAAD(b.subarray(0, aadLen));
  d.setAuthTag(b.subarray(b.length - 16));
  const plaintext = Buffer.concat([d.update(b.subarray(aadLen, aadLen + sea)), d.final()]);
  return {
    userDataType: b.readUInt16BE(6),
    version: b.readUInt32BE(8),
    rql: b.readUInt32BE(12),
    iv,
    nks,
    sea,
    flags: b.readBigUInt64BE(0x30),
    pld: b.subarray(0x38, 0x78),
    ald: b.subarray(0x78, 0xb8),
    tld: b.subarray(0xb8, 0xf8),
    tag: b.subarray(0xf8, 0x108),
    cuid: b.subarray(0x108, 0x118),
    userData: b.subarray(0x218, 0x418),
    customerPublicKey: cust,
    slots,
    secretType,
    secretLength: b.readUInt32BE(0x4b8 + 80 * nks + 4),
    secretId: shs === 48 ? b.subarray(0x4b8 + 80 * nks + 16, aadLen) : undefined,
    plaintext,
    protectionKey,
    slotIndex,
  };
}

/** SHA-256 of the 160-byte padded X ‖ Y of a 133-byte point. */
export function independentHostKeyHash(point: Buffer): Buffer {
  const pad = (c: Buffer) => Buffer.concat([Buffer.alloc(80 - c.length), c]);
  return createHash('sha256').update(pad(point.subarray(1, 67))).update(pad(point.subarray(67))).digest();
}
