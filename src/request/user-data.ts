/**
 * The 512-byte user-data area of a request (offset 0x218): arbitrary data the request
 * carries and authenticates, optionally signed with a user key. The type sits in the
 * last two bytes of the request magic.
 *
 * ```text
 *  type 1, unsigned      type 2, ECDSA P-521               type 3, RSA-2048     type 4, RSA-3072
 *  0x000 ┌──────────┐    0x000 ┌─────────────────────┐     0x000 ┌──────────┐   0x000 ┌──────────┐
 *        │ data 512 │          │ data            256 │           │ data 256 │         │ data 128 │
 *        │          │    0x100 │ signature (DER) 139 │     0x100 │ sig  256 │   0x080 │ sig  384 │
 *        │          │    0x18b │ reserved18b       5 │           │          │         │          │
 *        │          │    0x190 │ signature length u16│           │          │         │          │
 *        │          │    0x192 │ reserved192     110 │           │          │         │          │
 *  0x200 └──────────┘    0x200 └─────────────────────┘     0x200 └──────────┘   0x200 └──────────┘
 * ```
 *
 * Data shorter than its slot is zero-padded; type 0 (none) leaves all 512 bytes zero.
 * Signatures are SHA-512 over the request without its tag, made with the signature
 * region (from the end of the data slot to 0x200) zeroed; the tag is computed after
 * the signature is in place. Source: s390-tools `rust/pv/src/uvsecret/user_data.rs`
 * (`UserData`, `EcUserData`, `verify_asrcb_and_get_user_data`) and
 * `rust/pv_core/src/uvsecret.rs` (`UserDataType`).
 *
 * @module
 */
import type { SealingBackend, SigningKey } from '../crypto/backend.js';
import { signingKeyFromPrivateKey } from '../crypto/keys.js';
import { describePrivateKey, parsePrivateKey, zeroizePrivateKey } from '../crypto/private-key.js';
import { CryptoError, InputError, RequestError } from '../errors.js';
import { ByteReader, copyBytes, isAllZero } from '../internal/bytes.js';

/** The user-data type in the magic's last two bytes (`UserDataType`). */
export const UserDataType = {
  None: 0,
  Unsigned: 1,
  SignedEcP521: 2,
  SignedRsa2048: 3,
  SignedRsa3072: 4,
} as const;
export type UserDataTypeCode = (typeof UserDataType)[keyof typeof UserDataType];

/** Offset of the user-data area in a request, and its size. */
export const USER_DATA_OFFSET = 0x218;
export const USER_DATA_SIZE = 0x200;
/** Room for a DER ECDSA P-521 signature (`EC_SIGN_MAX_SIZE`). */
export const EC_SIGNATURE_MAX_SIZE = 139;
const EC_SIGNATURE_OFFSET = 0x100;
const EC_SIGNATURE_LENGTH_OFFSET = 0x190;

/** The largest data of each type (`UserDataType::max`). */
const MAX_DATA: readonly number[] = [0, 512, 256, 256, 128];
/** Names as pvsecret prints them (`UserDataType` Display), for messages. */
const NAMES: readonly string[] = ['none', 'unsigned', 'ECDSA signed', 'RSA 2048 signed', 'RSA 3072 signed'];

/**
 * The most data a user-data type carries: 0, 512, 256, 256 or 128 bytes.
 *
 * @example
 * ```ts
 * maxUserDataSize(UserDataType.SignedRsa3072); // 128
 * ```
 */
export function maxUserDataSize(type: UserDataTypeCode): number {
  return MAX_DATA[type] as number;
}

export function userDataTypeName(type: number): string {
  return NAMES[type] ?? `unknown (${type})`;
}

/** The user-data area decoded by type. */
export interface DecodedUserData {
  /** The data slot as stored (zero padding included): 512, 256 or 128 bytes; absent for type 0. */
  readonly userData?: Uint8Array;
  /** The signature (types 2–4); for ECDSA cut to its stored length. */
  readonly signature?: Uint8Array;
}

/**
 * Splits a 512-byte user-data area by type. Strict: unused and reserved bytes must be
 * zero and an ECDSA signature length must fit its field.
 *
 * @throws FormatError `ERR_REQUEST_RESERVED`; RequestError `ERR_REQUEST_LENGTH`
 */
export function decodeUserDataArea(type: number, area: Uint8Array): DecodedUserData {
  const r = new ByteReader(area, 'request user data', 'ERR_REQUEST_LENGTH');
  switch (type) {
    case UserDataType.None:
      r.reserved(USER_DATA_SIZE, 'user data (type none)', 'ERR_REQUEST_RESERVED');
      return {};
    case UserDataType.Unsigned:
      return { userData: copyBytes(area) };
    case UserDataType.SignedEcP521: {
      const userData = r.bytesOf(EC_SIGNATURE_OFFSET, 'data');
      const field = r.bytesOf(EC_SIGNATURE_MAX_SIZE, 'signature');
      r.reserved(5, 'reserved18b', 'ERR_REQUEST_RESERVED');
      const length = r.u16('signature length');
      r.reserved(110, 'reserved192', 'ERR_REQUEST_RESERVED');
      if (length > EC_SIGNATURE_MAX_SIZE) {
        throw new RequestError('ERR_REQUEST_LENGTH', `request: ecdsa signature length is ${length} (expected at most ${EC_SIGNATURE_MAX_SIZE})`);
      }
      if (!isAllZero(field.subarray(length))) {
        throw new RequestError('ERR_REQUEST_RESERVED', `request: bytes after the ${length}-byte ecdsa signature are not zero`);
      }
      return { userData, signature: copyBytes(field, 0, length) };
    }
    case UserDataType.SignedRsa2048:
    case UserDataType.SignedRsa3072: {
      const max = MAX_DATA[type] as number;
      return { userData: copyBytes(area, 0, max), signature: copyBytes(area, max) };
    }
    default:
      throw new RequestError('ERR_REQUEST_USER_DATA_TYPE', `request: unknown user-data type ${type}`);
  }
}

/** What goes into a request's user-data area, and the key that will sign it. */
export interface ResolvedUserData {
  readonly type: UserDataTypeCode;
  /** The 512-byte area with the data in place and the signature region zero. */
  readonly area: Uint8Array;
  /** Confidential. */
  readonly signingKey?: SigningKey;
}

/** The user-data type a signing key selects, by key type and size (`user_data_type`). */
function signedType(key: SigningKey): UserDataTypeCode | undefined {
  if (key.type === 'ec-p521') return UserDataType.SignedEcP521;
  const bytes = Math.ceil(key.modulusBits / 8);
  return bytes === 256 ? UserDataType.SignedRsa2048 : bytes === 384 ? UserDataType.SignedRsa3072 : undefined;
}

/**
 * The user-data area for `createAddSecretRequest`: unsigned (≤ 512 bytes) without a key;
 * signed with an EC P-521 (≤ 256 bytes), RSA-2048 (≤ 256) or RSA-3072 key (≤ 128). A key
 * without data signs empty data. The key type is checked before the size, as pvsecret does.
 *
 * @throws InputError `ERR_USER_DATA_SIZE`, `ERR_USER_KEY_TYPE`, `ERR_KEY_PARSE`,
 *   `ERR_INVALID_OPTION`; CryptoError `ERR_INVALID_PRIVATE_KEY`
 */
export function resolveUserData(userData: Uint8Array | undefined, userSigningKey: Uint8Array | undefined): ResolvedUserData {
  if (userData !== undefined && !(userData instanceof Uint8Array)) {
    throw new InputError('ERR_INVALID_OPTION', `options.userData: expected bytes (got ${typeof userData})`);
  }
  if (userSigningKey !== undefined && !(userSigningKey instanceof Uint8Array)) {
    throw new InputError('ERR_INVALID_OPTION', `options.userSigningKey: expected pem or der bytes (got ${typeof userSigningKey})`);
  }
  const area = new Uint8Array(USER_DATA_SIZE);
  if (userSigningKey === undefined && userData === undefined) return { type: UserDataType.None, area };
  let type: UserDataTypeCode = UserDataType.Unsigned;
  let signingKey: SigningKey | undefined;
  if (userSigningKey !== undefined) {
    const parsed = parsePrivateKey(userSigningKey, 'user-signing key');
    signingKey = signingKeyFromPrivateKey(parsed);
    const signed = signingKey && signedType(signingKey);
    if (signed === undefined) {
      const what = describePrivateKey(parsed);
      zeroizePrivateKey(parsed);
      throw new InputError('ERR_USER_KEY_TYPE', `user-signing key: unsupported key ${what} (expected ec secp521r1, rsa 2048 or rsa 3072)`);
    }
    if (parsed.kind === 'ec') zeroizePrivateKey(parsed); // the signing key holds its own padded copy
    type = signed;
  }
  const data = userData ?? new Uint8Array(0);
  const max = MAX_DATA[type] as number;
  if (data.length > max) {
    throw new InputError('ERR_USER_DATA_SIZE', `user data: ${data.length} bytes is too long for ${NAMES[type]} user data (expected at most ${max})`);
  }
  area.set(data);
  return signingKey ? { type, area, signingKey } : { type, area };
}

/** Overwrites the confidential parts of a signing key. */
export function zeroizeSigningKey(key: SigningKey | undefined): void {
  if (key?.type === 'ec-p521') key.privateKey.fill(0);
  else if (key?.type === 'rsa') for (const v of Object.values(key.components)) (v as Uint8Array).fill(0);
}

/**
 * Signs an encrypted request in place: zero the signature region, sign bytes
 * `[0, length − 16)` with SHA-512, write the signature in, then encrypt again with the
 * same key and IV so the tag covers the signature (`encrypt_with_signed_user_data`).
 */
export async function signRequest(
  backend: SealingBackend,
  request: Uint8Array,
  seal: { aadLength: number; iv: Uint8Array; protectionKey: Uint8Array; plaintext: Uint8Array },
  type: UserDataTypeCode,
  key: SigningKey,
): Promise<void> {
  const area = request.subarray(USER_DATA_OFFSET, USER_DATA_OFFSET + USER_DATA_SIZE);
  const max = MAX_DATA[type] as number;
  area.fill(0, max);
  const signature = await backend.signSha512(key, request.subarray(0, request.length - 16));
  if (type === UserDataType.SignedEcP521) {
    if (signature.length > EC_SIGNATURE_MAX_SIZE) {
      throw new CryptoError('ERR_CRYPTO', `sign: ecdsa signature has ${signature.length} bytes (expected at most ${EC_SIGNATURE_MAX_SIZE})`);
    }
    area.set(signature, EC_SIGNATURE_OFFSET);
    new DataView(area.buffer, area.byteOffset).setUint16(EC_SIGNATURE_LENGTH_OFFSET, signature.length);
  } else {
    if (signature.length !== USER_DATA_SIZE - max) {
      throw new CryptoError('ERR_CRYPTO', `sign: rsa signature has ${signature.length} bytes (expected ${USER_DATA_SIZE - max})`);
    }
    area.set(signature, max);
  }
  const sealed = await backend.aesGcmEncrypt(seal.protectionKey, seal.iv, seal.plaintext, request.subarray(0, seal.aadLength));
  request.set(sealed, seal.aadLength);
}
