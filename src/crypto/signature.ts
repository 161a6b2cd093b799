/**
 * Signature encodings and the pieces WebCrypto lacks for the user-data signature:
 *
 * - ECDSA signatures in DER (`SEQUENCE { r INTEGER, s INTEGER }`, SEC 1 §C.8 / RFC 3279
 *   §2.2.3), which OpenSSL writes and the reference stores, versus WebCrypto's fixed
 *   `r ‖ s` form;
 * - RSASSA-PSS verification with the salt length read from the signature (RFC 8017
 *   §8.1.2 and §9.1.2), as OpenSSL's `RSA_PSS_SALTLEN_AUTO` does — WebCrypto needs the
 *   salt length up front;
 * - the maximum PSS salt length, OpenSSL 3.0's default when signing.
 *
 * Verification handles only public data, so plain BigInt arithmetic is fine here.
 *
 * @module
 */

import { pow } from '@noble/curves/abstract/modular.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { TAG_SEQUENCE, children, expectUniversal, orUndefined, readSingle, unsignedInteger } from '../internal/der.js';
import { sha512 } from './hash.js';

/** SHA-512 output size, the PSS hash length `hLen` (FIPS 180-4). */
export const SHA512_SIZE = 64;
/** Size of one P-521 signature component (r or s) in WebCrypto's fixed form. */
export const P521_COMPONENT_SIZE = 66;

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

function derInteger(magnitude: Uint8Array): number[] {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const v = [...magnitude.subarray(i)];
  if (((v[0] as number) & 0x80) !== 0) v.unshift(0);
  return [0x02, ...derLength(v.length), ...v];
}

/** WebCrypto's `r ‖ s` → DER `SEQUENCE { r, s }`. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  const body = [...derInteger(raw.subarray(0, half)), ...derInteger(raw.subarray(half))];
  return new Uint8Array([0x30, ...derLength(body.length), ...body]);
}

/**
 * DER `SEQUENCE { r, s }` → `r ‖ s` with each component left-padded to `size`;
 * undefined when malformed (not DER, negative, or a component longer than `size`).
 */
export function ecdsaDerToRaw(der: Uint8Array, size = P521_COMPONENT_SIZE): Uint8Array | undefined {
  return orUndefined(() => {
    const [rTlv, sTlv, extra] = children(expectUniversal(readSingle(der), TAG_SEQUENCE, 'ecdsa signature'));
    if (extra) return undefined;
    const r = unsignedInteger(rTlv, 'ecdsa r');
    const s = unsignedInteger(sTlv, 'ecdsa s');
    if (r.length > size || s.length > size) return undefined;
    const out = new Uint8Array(2 * size);
    out.set(r, size - r.length);
    out.set(s, 2 * size - s.length);
    return out;
  });
}

/** emLen of RFC 8017 §9.1: ⌈(modBits − 1) / 8⌉. */
function emLength(modulusBits: number): number {
  return Math.ceil((modulusBits - 1) / 8);
}

/**
 * The largest PSS salt for a key and SHA-512: `emLen − hLen − 2` (190 bytes for
 * RSA-2048, 318 for RSA-3072). OpenSSL 3.0 signs with it by default; OpenSSL ≥ 3.1
 * defaults to the digest length (64). Both verify the same way.
 */
export function pssMaxSaltLength(modulusBits: number): number {
  return emLength(modulusBits) - SHA512_SIZE - 2;
}

function toBytes(x: bigint, size: number): Uint8Array | undefined {
  const out = new Uint8Array(size);
  for (let i = size - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return x === 0n ? out : undefined;
}

/** MGF1 with SHA-512 (RFC 8017 §B.2.1). */
function mgf1Sha512(seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const block = new Uint8Array(seed.length + 4);
  block.set(seed);
  for (let counter = 0, o = 0; o < length; counter++, o += SHA512_SIZE) {
    new DataView(block.buffer).setUint32(seed.length, counter);
    const h = sha512(block);
    out.set(h.subarray(0, Math.min(SHA512_SIZE, length - o)), o);
  }
  return out;
}

/**
 * RSASSA-PSS-VERIFY with SHA-512 and MGF1-SHA-512, any salt length (recovered from the
 * encoded message). `n` and `e` are big-endian magnitudes.
 */
export function rsaPssSha512Verify(n: Uint8Array, e: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const modulus = bytesToNumberBE(n);
  if (modulus === 0n) return false;
  const modBits = modulus.toString(2).length;
  const k = Math.ceil(modBits / 8);
  if (signature.length !== k) return false;
  const s = bytesToNumberBE(signature);
  if (s >= modulus) return false;
  const emBits = modBits - 1;
  const emLen = emLength(modBits);
  const em = toBytes(pow(s, bytesToNumberBE(e), modulus), emLen);
  if (!em || emLen < SHA512_SIZE + 2 || em[emLen - 1] !== 0xbc) return false;
  const dbLen = emLen - SHA512_SIZE - 1;
  const h = em.subarray(dbLen, dbLen + SHA512_SIZE);
  const topMask = 0xff >> (8 * emLen - emBits);
  if (((em[0] as number) & ~topMask) !== 0) return false;
  const db = mgf1Sha512(h, dbLen);
  for (let i = 0; i < dbLen; i++) db[i] = (db[i] as number) ^ (em[i] as number);
  db[0] = (db[0] as number) & topMask;
  let i = 0;
  while (i < dbLen && db[i] === 0) i++;
  if (i === dbLen || db[i] !== 0x01) return false;
  const salt = db.subarray(i + 1);
  const mPrime = new Uint8Array(8 + SHA512_SIZE + salt.length);
  mPrime.set(sha512(message), 8);
  mPrime.set(salt, 8 + SHA512_SIZE);
  const expected = sha512(mPrime);
  let diff = 0;
  for (let j = 0; j < SHA512_SIZE; j++) diff |= (expected[j] as number) ^ (h[j] as number);
  return diff === 0;
}
