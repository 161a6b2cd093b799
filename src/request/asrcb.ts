/**
 * The add-secret request control block ("asrcb"), version 0x0100.
 *
 * ```text
 *  0x000 ┌──────────────────────────────────────┐
 *        │ magic "asrcbM"                    6  │
 *  0x006 │ user-data type              u16      │  0 none, 1 unsigned, 2 EC P-521, 3 RSA-2048, 4 RSA-3072
 *  0x008 │ version (0x0100)            u32      │
 *  0x00c │ rql: request length         u32      │
 *  0x010 │ IV                               12  │
 *  0x01c │ reserved1c                       11  │
 *  0x027 │ nks: number of key slots     u8      │
 *  0x028 │ reserved28                  u32      │
 *  0x02c │ sea: encrypted area size    u32      │
 *  0x030 │ flags                       u64      │  bit 0 (MSB): disable dump
 *  0x038 │ pld                              64  │
 *  0x078 │ ald                              64  │
 *  0x0b8 │ tld                              64  │
 *  0x0f8 │ SE-header tag                    16  │
 *  0x108 │ CUID                             16  │
 *  0x118 │ reserved118                     256  │
 *  0x218 │ user data                       512  │
 *  0x418 │ customer public key             160  │  X ‖ Y, each left-padded to 80
 *  0x4b8 ├──────────────────────────────────────┤
 *        │ key slots                    80·nks  │
 *        ├──────────────────────────────────────┤
 *        │ secret header              16 or 48  │
 *        ├──────────────────────────────────────┤  ← everything above is the AAD
 *        │ secret value ‖ extension secret sea  │  AES-256-GCM encrypted
 *        ├──────────────────────────────────────┤
 *        │ tag                              16  │
 *        └──────────────────────────────────────┘
 * ```
 *
 * Source: s390-tools `rust/pv/src/uvsecret/asrcb.rs`, `rust/pv/src/req/header.rs`,
 * `rust/pv/src/req/request.rs`.
 *
 * @module
 */
import { RequestError } from '../errors.js';
import { ByteReader, ByteWriter, equalBytes } from '../internal/bytes.js';
import { WIRE_PUBLIC_KEY_SIZE } from '../crypto/p521.js';
import { EXTENSION_SECRET_SIZE } from './ext-secret.js';
import { type KeySlot, KEY_SLOT_SIZE, decodeKeySlot } from './keyslot.js';
import { REQUEST_HEADER_SIZE, REQUEST_MAGIC_FIELD_SIZE, type RequestHeaderInfo, writeRequestHeader } from './request-header.js';
import { expectedSecretLengths, MAX_RETRIEVABLE_SIZE, PLAINTEXT_ALIGNMENT } from './retrievable.js';
import { type SecretHeader, SecretType, decodeSecretHeader, secretHeaderSize, secretTypeName } from './secret.js';
import { USER_DATA_SIZE, UserDataType, decodeUserDataArea } from './user-data.js';

/** ASCII "asrcbM": first six bytes of the request magic; the user-data type follows. */
export const REQUEST_MAGIC = new Uint8Array([0x61, 0x73, 0x72, 0x63, 0x62, 0x4d]);

/** True when `bytes` starts with the request magic "asrcbM" (the one test for it). */
export function hasRequestMagic(bytes: Uint8Array): boolean {
  return bytes.length >= REQUEST_MAGIC.length && equalBytes(bytes.subarray(0, REQUEST_MAGIC.length), REQUEST_MAGIC);
}
/** The add-secret request version this library writes (the reference's `AddSecretVersion::One`). */
export const REQUEST_VERSION_1 = 0x0100;
export { REQUEST_HEADER_SIZE };
/** Offset of `sea`, the size of the encrypted area. */
export const SEA_OFFSET = 0x2c;
export const FLAGS_OFFSET = 0x30;
export const CUID_OFFSET = 0x108;
export const CUID_SIZE = 16;
export const CUSTOMER_KEY_OFFSET = 0x418;
export const KEY_SLOTS_OFFSET = 0x4b8;
export const REQUEST_TAG_SIZE = 16;
/** At most 255 key slots: nks is one byte. */
export const MAX_KEY_SLOTS = 255;

export { UserDataType, type UserDataTypeCode, USER_DATA_OFFSET, USER_DATA_SIZE } from './user-data.js';

/** The disable-dump flag: bit 0 (most significant) of the flags word. */
export const FLAG_DISABLE_DUMP = 0x8000000000000000n;

/** Every non-confidential field of an add-secret request. */
export interface AddSecretRequestInfo extends RequestHeaderInfo {
  readonly userDataType: number;
  readonly flags: bigint;
  readonly pld: Uint8Array;
  readonly ald: Uint8Array;
  readonly tld: Uint8Array;
  /** The SE-header tag the request is bound to. */
  readonly tag: Uint8Array;
  readonly cuid: Uint8Array;
  /** The 512-byte user-data area as it is (signature included where signed). */
  readonly userDataArea: Uint8Array;
  /**
   * The user data by type: all 512 bytes when unsigned, the 256 or 128-byte data slot
   * when signed (zero padding included); absent for type 0.
   */
  readonly userData?: Uint8Array;
  /** The user-data signature (types 2–4): DER ECDSA, or RSA-PSS. */
  readonly signature?: Uint8Array;
  /** The customer public key in wire form (160 bytes). */
  readonly customerPublicKey: Uint8Array;
  readonly keySlots: readonly KeySlot[];
  readonly secret: SecretHeader;
  /** The encrypted area (`sea` bytes). */
  readonly encrypted: Uint8Array;
  /** The request's AES-GCM tag. */
  readonly requestTag: Uint8Array;
  /** Number of bytes authenticated as AAD (everything before the encrypted area). */
  readonly aadLength: number;
}

/**
 * The fields written into the plaintext part of a request: those of
 * {@link AddSecretRequestInfo} that a writer chooses (version, lengths and counts follow
 * from them), with the key slots and the secret header already encoded.
 */
export interface RequestLayout
  extends Pick<AddSecretRequestInfo, 'userDataType' | 'iv' | 'flags' | 'pld' | 'ald' | 'tld' | 'tag' | 'cuid' | 'userDataArea' | 'customerPublicKey'> {
  readonly keySlots: readonly Uint8Array[];
  readonly secretHeader: Uint8Array;
  /** Size of the plaintext to encrypt: secret value + extension secret. */
  readonly sea: number;
}

/** Total request length for a layout. */
export function requestLength(nks: number, secretHeaderLength: number, sea: number): number {
  return KEY_SLOTS_OFFSET + nks * KEY_SLOT_SIZE + secretHeaderLength + sea + REQUEST_TAG_SIZE;
}

/**
 * Writes everything a request authenticates (its AAD), leaving room for the
 * encrypted area and tag. Returns the whole request buffer and the AAD length.
 */
export function encodeRequestAad(l: RequestLayout): { request: Uint8Array; aadLength: number } {
  const nks = l.keySlots.length;
  const rql = requestLength(nks, l.secretHeader.length, l.sea);
  const w = new ByteWriter(rql);
  const magic = new ByteWriter(REQUEST_MAGIC_FIELD_SIZE).put(REQUEST_MAGIC).u16(l.userDataType).bytes;
  writeRequestHeader(w, { magic, version: REQUEST_VERSION_1, rql, iv: l.iv, nks, sea: l.sea });
  w.u64(l.flags).put(l.pld, 64).put(l.ald, 64).put(l.tld, 64).put(l.tag, 16).put(l.cuid, CUID_SIZE).zeros(256);
  w.put(l.userDataArea, USER_DATA_SIZE).put(l.customerPublicKey, WIRE_PUBLIC_KEY_SIZE);
  for (const s of l.keySlots) w.put(s, KEY_SLOT_SIZE);
  w.put(l.secretHeader);
  return { request: w.bytes, aadLength: w.offset };
}

function fail(code: 'ERR_REQUEST_MAGIC' | 'ERR_REQUEST_VERSION' | 'ERR_REQUEST_LENGTH' | 'ERR_REQUEST_KEY_SLOTS' | 'ERR_REQUEST_USER_DATA_TYPE' | 'ERR_REQUEST_SECRET_TYPE', msg: string): never {
  throw new RequestError(code, `request: ${msg}`);
}

/**
 * Bytes that start with the request magic, else `ERR_REQUEST_MAGIC`: the first check of
 * every reader of requests (the strict parser here, `pvsecret verify`'s in verify.ts).
 *
 * @throws RequestError `ERR_REQUEST_MAGIC`
 */
export function assertRequestMagic(bytes: unknown, minLength = REQUEST_MAGIC.length): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) fail('ERR_REQUEST_MAGIC', 'input is not a byte array');
  if (bytes.length < minLength || !hasRequestMagic(bytes)) fail('ERR_REQUEST_MAGIC', 'not an add-secret request (magic "asrcbM" not found)');
}

/**
 * Decodes every non-confidential field of an add-secret request. Strict: the buffer
 * must be exactly `rql` bytes, reserved fields zero, the sizes consistent.
 *
 * @example
 * ```ts
 * const info = parseAddSecretRequest(bytes);
 * console.log(info.secret.type, info.keySlots.length);
 * ```
 * The user-data area is decoded by its type into `userData` and `signature` (strictly:
 * unused and reserved bytes must be zero); the secret length must suit the secret type.
 *
 * @throws RequestError `ERR_REQUEST_MAGIC`, `ERR_REQUEST_VERSION`, `ERR_REQUEST_LENGTH`,
 *   `ERR_REQUEST_RESERVED`, `ERR_REQUEST_KEY_SLOTS`, `ERR_REQUEST_USER_DATA_TYPE`,
 *   `ERR_REQUEST_SECRET_TYPE`; FormatError `ERR_TRUNCATED`, `ERR_REQUEST_RESERVED`
 */
export function parseAddSecretRequest(bytes: Uint8Array): AddSecretRequestInfo {
  assertRequestMagic(bytes);
  const r = new ByteReader(bytes, 'request', 'ERR_REQUEST_LENGTH', REQUEST_MAGIC.length);
  const userDataType = r.u16('user-data type');
  if (userDataType > UserDataType.SignedRsa3072) fail('ERR_REQUEST_USER_DATA_TYPE', `unknown user-data type ${userDataType}`);
  const version = r.u32('version');
  if (version !== REQUEST_VERSION_1) fail('ERR_REQUEST_VERSION', `unsupported version 0x${version.toString(16)} (expected 0x100)`);
  const length = r.u32('rql');
  if (length !== bytes.length) fail('ERR_REQUEST_LENGTH', `length field says ${length} bytes, input has ${bytes.length}`);
  const iv = r.bytesOf(12, 'iv');
  r.reserved(11, 'reserved1c', 'ERR_REQUEST_RESERVED');
  const nks = r.u8('nks');
  if (nks === 0) fail('ERR_REQUEST_KEY_SLOTS', 'has no key slot (expected 1 to 255)');
  r.reserved(4, 'reserved28', 'ERR_REQUEST_RESERVED');
  const sea = r.u32('sea');
  const flags = r.u64('flags');
  const pld = r.bytesOf(64, 'pld');
  const ald = r.bytesOf(64, 'ald');
  const tld = r.bytesOf(64, 'tld');
  const tag = r.bytesOf(16, 'tag');
  const cuid = r.bytesOf(CUID_SIZE, 'cuid');
  r.reserved(256, 'reserved118', 'ERR_REQUEST_RESERVED');
  const userDataArea = r.bytesOf(USER_DATA_SIZE, 'user data');
  const customerPublicKey = r.bytesOf(WIRE_PUBLIC_KEY_SIZE, 'customer public key');
  const keySlots: KeySlot[] = [];
  for (let i = 0; i < nks; i++) keySlots.push(decodeKeySlot(r, i));
  const secret = decodeSecretHeader(r);
  const aadLength = r.offset;
  const expected = requestLength(nks, secretHeaderSize(secret.type), sea);
  if (expected !== length) {
    fail('ERR_REQUEST_LENGTH', `length ${length} does not match nks ${nks}, secret header and sea ${sea} (expected ${expected})`);
  }
  if (sea !== secret.length + EXTENSION_SECRET_SIZE) {
    fail('ERR_REQUEST_LENGTH', `encrypted area is ${sea} bytes (expected secret length ${secret.length} + ${EXTENSION_SECRET_SIZE})`);
  }
  checkSecretLength(secret);
  const { userData, signature } = decodeUserDataArea(userDataType, userDataArea);
  const encrypted = r.bytesOf(sea, 'encrypted area');
  const requestTag = r.bytesOf(REQUEST_TAG_SIZE, 'tag');
  return {
    userDataType, version, length, iv, nks, sea, flags, pld, ald, tld, tag, cuid,
    userDataArea, ...(userData ? { userData } : {}), ...(signature ? { signature } : {}),
    customerPublicKey, keySlots, secret, encrypted, requestTag, aadLength,
  };
}

/** The secret header's length must suit its type (sizes of `guest_secret.rs`). */
function checkSecretLength(secret: SecretHeader): void {
  const n = secret.length;
  const name = secretTypeName(secret.type);
  let expected: readonly number[] | undefined;
  switch (secret.type) {
    case SecretType.Null:
      expected = [0];
      break;
    case SecretType.Association:
    case SecretType.UpdateCck:
      expected = [32];
      break;
    case SecretType.PlainText:
      if (n === 0 || n > MAX_RETRIEVABLE_SIZE || n % PLAINTEXT_ALIGNMENT !== 0) {
        fail('ERR_REQUEST_LENGTH', `${name} secret has length ${n} (expected a multiple of ${PLAINTEXT_ALIGNMENT} from 16 to ${MAX_RETRIEVABLE_SIZE})`);
      }
      return;
    default:
      expected = expectedSecretLengths(secret.type);
  }
  if (expected && !expected.includes(n)) {
    fail('ERR_REQUEST_LENGTH', `${name} secret has length ${n} (expected ${expected.join(' or ')})`);
  }
}
