/**
 * Retrievable secrets: values the guest can later read back from the Ultravisor
 * (`pvsecret retrieve`). Each kind has its own encoding inside the encrypted area;
 * the secret header's length is the length of that encoding.
 *
 * ```text
 *  plaintext            ┌ length u16 ┬ data (0..8190) ┬ zeros to a multiple of 16 ┐
 *  aes / aes-xts / hmac ┌ raw key ─────────────────────────────────────────────────┐
 *  ec (Weierstrass)     ┌ zeros ┬ private scalar ┐  32 / 48 / 80 bytes
 *  ec (Edwards)         ┌ zeros ┬ raw private key ┐ 32 / 64 bytes
 * ```
 *
 * Source: s390-tools `rust/pv/src/uvsecret/guest_secret.rs` (`plaintext`, `aes`,
 * `aes_xts`, `hmac_sha`, `ec`) and `rust/pv_core/src/uvdevice/retr_secret.rs`
 * (`EcCurves::exp_key_size`, `RetrieveCmd::MAX_SIZE`).
 *
 * @module
 */
import { describePrivateKey, type PrivateKeyInfo, parsePrivateKey, zeroizePrivateKey } from '../crypto/private-key.js';
import { InputError } from '../errors.js';
import { ByteWriter, copyBytes, leftPad } from '../internal/bytes.js';
import { SecretType, type SecretTypeCode } from './secret.js';

/** The `--type` values of `pvsecret create retrievable`. */
export type RetrievableKind = 'plain' | 'aes' | 'aes-xts' | 'hmac-sha' | 'ec';
export const RETRIEVABLE_KINDS: readonly RetrievableKind[] = ['plain', 'aes', 'aes-xts', 'hmac-sha', 'ec'];

/** The largest retrievable value (`RetrieveCmd::MAX_SIZE`, 8192 bytes = 2 pages). */
export const MAX_RETRIEVABLE_SIZE = 8192;
/** The largest plaintext payload: 8192 minus its 2-byte length prefix. */
export const MAX_PLAINTEXT_SIZE = MAX_RETRIEVABLE_SIZE - 2;
/** Plaintext values are zero-padded to a multiple of the AES block (16 bytes). */
export const PLAINTEXT_ALIGNMENT = 16;

/** Key sizes in bytes, and the type each selects. */
const AES: Record<number, SecretTypeCode> = { 16: SecretType.Aes128, 24: SecretType.Aes192, 32: SecretType.Aes256 };
/** AES-XTS keys are two AES keys: 2 × 16 or 2 × 32 bytes. */
const AES_XTS: Record<number, SecretTypeCode> = { 32: SecretType.AesXts128, 64: SecretType.AesXts256 };
/** HMAC keys are twice the digest size ("maximum resistance" keys the firmware expects). */
const HMAC_SHA: Record<number, SecretTypeCode> = { 64: SecretType.HmacSha256, 128: SecretType.HmacSha512 };

/** Curve → secret type and the encoded size (`EcCurves::exp_key_size`). */
const EC = {
  'P-256': { type: SecretType.EcSecp256r1, size: 32 },
  'P-384': { type: SecretType.EcSecp384r1, size: 48 },
  'P-521': { type: SecretType.EcSecp521r1, size: 80 },
  ed25519: { type: SecretType.Ed25519, size: 32 },
  ed448: { type: SecretType.Ed448, size: 64 },
} as const;

/** A retrievable secret's type code and confidential encoded value. */
export interface EncodedRetrievable {
  readonly type: SecretTypeCode;
  /** Confidential: zero after use. */
  readonly value: Uint8Array;
}

function sized(table: Record<number, SecretTypeCode>, value: Uint8Array, what: string): EncodedRetrievable {
  const type = table[value.length];
  if (type === undefined) {
    const sizes = Object.keys(table)
      .join(' or ')
      .replace(/ or (?=.* or )/g, ', ');
    throw new InputError('ERR_SECRET_SIZE', `retrievable ${what}: key is ${value.length} bytes (expected ${sizes})`);
  }
  return { type, value: copyBytes(value) };
}

function plaintext(data: Uint8Array): EncodedRetrievable {
  if (data.length > MAX_PLAINTEXT_SIZE) {
    throw new InputError('ERR_SECRET_SIZE', `retrievable plaintext: data is ${data.length} bytes (expected at most ${MAX_PLAINTEXT_SIZE})`);
  }
  const size = Math.ceil((data.length + 2) / PLAINTEXT_ALIGNMENT) * PLAINTEXT_ALIGNMENT;
  const value = new ByteWriter(size)
    .u16(data.length)
    .put(data)
    .zeros(size - 2 - data.length)
    .finish();
  return { type: SecretType.PlainText, value };
}

function ecKey(keyBytes: Uint8Array): EncodedRetrievable {
  let key: PrivateKeyInfo | undefined;
  try {
    key = parsePrivateKey(keyBytes, 'retrievable ec key');
    let raw: Uint8Array | undefined;
    let spec: (typeof EC)[keyof typeof EC] | undefined;
    if (key.kind === 'ec' && key.curve) {
      spec = EC[key.curve];
      raw = key.scalar;
    } else if (key.kind === 'ed25519' || key.kind === 'ed448') {
      spec = EC[key.kind];
      raw = key.privateKey;
    }
    if (!spec || !raw) {
      throw new InputError(
        'ERR_SECRET_KEY_TYPE',
        `retrievable ec key: unsupported key ${describePrivateKey(key)} (expected secp256r1, secp384r1, secp521r1, ed25519 or ed448)`,
      );
    }
    return { type: spec.type, value: leftPad(raw, spec.size) };
  } finally {
    if (key) zeroizePrivateKey(key);
  }
}

/**
 * Encodes a retrievable secret value; the kind and the value's size (or the key's
 * curve) select the secret type.
 *
 * @throws InputError `ERR_SECRET_SIZE` (wrong size), `ERR_SECRET_KEY_TYPE` (unsupported
 *   EC key), `ERR_KEY_PARSE` (unreadable EC key), `ERR_INVALID_OPTION` (unknown kind);
 *   CryptoError `ERR_INVALID_PRIVATE_KEY`
 */
export function encodeRetrievable(kind: RetrievableKind, value: Uint8Array): EncodedRetrievable {
  if (!(value instanceof Uint8Array)) {
    throw new InputError('ERR_INVALID_OPTION', `options.secret.value: expected bytes (got ${typeof value})`);
  }
  switch (kind) {
    case 'plain':
      return plaintext(value);
    case 'aes':
      return sized(AES, value, 'aes key');
    case 'aes-xts':
      return sized(AES_XTS, value, 'aes-xts key');
    case 'hmac-sha':
      return sized(HMAC_SHA, value, 'hmac-sha key');
    case 'ec':
      return ecKey(value);
    default:
      throw new InputError(
        'ERR_INVALID_OPTION',
        `options.secret.kind: unknown retrievable kind ${JSON.stringify(kind)} (expected ${RETRIEVABLE_KINDS.join(', ')})`,
      );
  }
}

/**
 * The encoded lengths a secret header may carry for a type (strict parsing):
 * `undefined` for types whose length is not fixed.
 */
export function expectedSecretLengths(type: number): readonly number[] | undefined {
  for (const table of [AES, AES_XTS, HMAC_SHA]) {
    const sizes = Object.entries(table)
      .filter(([, t]) => t === type)
      .map(([s]) => Number(s));
    if (sizes.length > 0) return sizes;
  }
  for (const spec of Object.values(EC)) if (spec.type === type) return [spec.size];
  return undefined;
}
