/**
 * The attestation request control block ("arcb"), version 0x0100: what `pvattest
 * create` sends to the Ultravisor (inside an exchange file).
 *
 * ```text
 *  0x000 ┌──────────────────────────────────────┐
 *        │ magic: eight zero bytes           8  │
 *  0x008 │ version (0x0100)            u32      │
 *  0x00c │ rql: request length         u32      │
 *  0x010 │ IV                               12  │
 *  0x01c │ reserved1c                       11  │
 *  0x027 │ nks: number of key slots     u8      │
 *  0x028 │ reserved28                  u32      │
 *  0x02c │ sea: encrypted area size    u32      │  80 (measurement key ‖ nonce)
 *  0x030 │ flags                       u64      │  bit 1 nonce, 2 image PHKH, 3 attestation PHKH,
 *        │                                      │  4 secret-store hash, 5 firmware state
 *  0x038 │ mai: measurement algorithm  u32      │  1 = HMAC-SHA-512
 *  0x03c │ reserved3c                  u32      │
 *  0x040 │ customer public key             160  │  X ‖ Y, each left-padded to 80
 *  0x0e0 ├──────────────────────────────────────┤
 *        │ key slots                    80·nks  │  as in an add-secret request
 *        ├──────────────────────────────────────┤  ← everything above is the AAD
 *        │ measurement key 64 ‖ nonce 16        │  AES-256-GCM encrypted
 *        ├──────────────────────────────────────┤
 *        │ tag                              16  │
 *        └──────────────────────────────────────┘
 * ```
 *
 * The first 0x30 bytes are the request header every Ultravisor request shares, written
 * by `src/request/request-header.ts` (the add-secret request's differs only in its
 * magic, "asrcbM" and the user-data type). Source: s390-tools
 * `rust/pv/src/uvattest/arcb.rs`, `rust/pv_core/src/uvattest.rs`, `rust/pv/src/req/request.rs`.
 *
 * @module
 */
import { WIRE_PUBLIC_KEY_SIZE } from '../crypto/p521.js';
import { AttestationError, InputError } from '../errors.js';
import { ByteReader, ByteWriter } from '../internal/bytes.js';
import { KEY_SLOT_SIZE, type KeySlot, decodeKeySlot } from '../request/keyslot.js';
import { MAX_KEY_SLOTS, REQUEST_TAG_SIZE } from '../request/asrcb.js';
import { type RequestHeaderInfo, writeRequestHeader } from '../request/request-header.js';

/** The attestation request magic: eight zero bytes (the reference's `AttestationMagic`). */
export const ARCB_MAGIC = new Uint8Array(8);
/** The attestation request version (the reference's `AttestationVersion::One`). */
export const ARCB_VERSION_1 = 0x0100;
/** Measurement algorithm identifier 1: HMAC-SHA-512 (`AttestationMeasAlg::HmacSha512`). */
export const MAI_HMAC_SHA512 = 1;
/** Size of an HMAC-SHA-512 measurement and of its key. */
export const MEASUREMENT_SIZE = 64;
export const MEASUREMENT_KEY_SIZE = 64;
export const NONCE_SIZE = 16;
/** The confidential part: measurement key ‖ nonce (`ReqConfData`, 80 bytes). */
export const ARCB_CONFIDENTIAL_SIZE = MEASUREMENT_KEY_SIZE + NONCE_SIZE;
export const ARCB_CUSTOMER_KEY_OFFSET = 0x40;
export const ARCB_KEY_SLOTS_OFFSET = 0xe0;

/**
 * Flag bits (bit 0 = most significant) and the additional data each asks for, in the
 * order the Ultravisor writes them (`AttestationFlags`, `additional.rs`).
 */
export const ATTESTATION_FLAG_NONCE = 1n << 62n;
export const ADDITIONAL_FIELDS = [
  { flag: 'imagePhkh', bit: 1n << 61n, size: 32, yaml: 'image_phkh' },
  { flag: 'attestPhkh', bit: 1n << 60n, size: 32, yaml: 'attestation_phkh' },
  { flag: 'secretStoreHash', bit: 1n << 59n, size: 64, yaml: 'secret_store_hash' },
  { flag: 'firmwareState', bit: 1n << 58n, size: 320, yaml: 'firmware_state' },
] as const;

/** Which additional data the Ultravisor is asked to measure and return. */
export interface AttestationFlags {
  /** The hash of the host key that unpacked the SE image (32 bytes). */
  readonly imagePhkh?: boolean;
  /** The hash of the host key that unpacked this attestation request (32 bytes). */
  readonly attestPhkh?: boolean;
  /** SHA-512 over the tags of the added secrets and the lock state (64 bytes). */
  readonly secretStoreHash?: boolean;
  /** The firmware state, for IBM's firmware check (320 bytes). */
  readonly firmwareState?: boolean;
}

/** The 64-bit flags word for `flags`, nonce bit always set (as the reference). @throws InputError `ERR_FLAGS` */
export function attestationFlagsWord(flags: AttestationFlags | undefined): bigint {
  let word = ATTESTATION_FLAG_NONCE;
  if (flags === undefined) return word;
  if (typeof flags !== 'object' || flags === null) throw new InputError('ERR_FLAGS', 'options.flags: expected { imagePhkh?, attestPhkh?, secretStoreHash?, firmwareState? }');
  const known = ADDITIONAL_FIELDS.map((f) => f.flag as string);
  for (const [k, v] of Object.entries(flags)) {
    const field = ADDITIONAL_FIELDS.find((f) => f.flag === k);
    if (!field) throw new InputError('ERR_FLAGS', `options.flags: unknown flag ${JSON.stringify(k)} (known: ${known.join(', ')})`);
    if (v) word |= field.bit;
  }
  return word;
}

/** The additional-data size the flags ask for (`expected_additional_size`). */
export function expectedAdditionalSize(flags: bigint): number {
  let n = 0;
  for (const f of ADDITIONAL_FIELDS) if (flags & f.bit) n += f.size;
  return n;
}

/** The fields of an attestation request; the encrypted part stays encrypted. */
export interface AttestationRequestInfo extends RequestHeaderInfo {
  /** The raw flags word. */
  readonly flags: bigint;
  /** The additional data requested, decoded from `flags`. */
  readonly requested: Required<AttestationFlags>;
  /** Measurement algorithm identifier (1 = HMAC-SHA-512). */
  readonly mai: number;
  readonly customerPublicKey: Uint8Array;
  readonly keySlots: readonly KeySlot[];
  readonly encrypted: Uint8Array;
  readonly requestTag: Uint8Array;
  /** Bytes authenticated as AAD (everything before the encrypted area). */
  readonly aadLength: number;
}

/** Total length of a request with `nks` key slots and `sea` encrypted bytes. */
export function arcbLength(nks: number, sea: number): number {
  return ARCB_KEY_SLOTS_OFFSET + nks * KEY_SLOT_SIZE + sea + REQUEST_TAG_SIZE;
}

/** Writes the AAD of a request, leaving room for the encrypted area and tag. */
export function encodeArcbAad(l: { iv: Uint8Array; flags: bigint; customerPublicKey: Uint8Array; keySlots: readonly Uint8Array[] }): { request: Uint8Array; aadLength: number } {
  const nks = l.keySlots.length;
  const rql = arcbLength(nks, ARCB_CONFIDENTIAL_SIZE);
  const w = new ByteWriter(rql);
  writeRequestHeader(w, { magic: ARCB_MAGIC, version: ARCB_VERSION_1, rql, iv: l.iv, nks, sea: ARCB_CONFIDENTIAL_SIZE });
  w.u64(l.flags).u32(MAI_HMAC_SHA512).zeros(4).put(l.customerPublicKey, WIRE_PUBLIC_KEY_SIZE);
  for (const s of l.keySlots) w.put(s, KEY_SLOT_SIZE);
  return { request: w.bytes, aadLength: w.offset };
}

function fail(msg: string): never {
  throw new AttestationError('ERR_ATTESTATION_REQUEST', `attestation request: ${msg}`);
}

/** Decodes the request flags into the additional data they ask for. */
export function requestedAdditional(flags: bigint): Required<AttestationFlags> {
  return {
    imagePhkh: (flags & (ADDITIONAL_FIELDS[0].bit)) !== 0n,
    attestPhkh: (flags & ADDITIONAL_FIELDS[1].bit) !== 0n,
    secretStoreHash: (flags & ADDITIONAL_FIELDS[2].bit) !== 0n,
    firmwareState: (flags & ADDITIONAL_FIELDS[3].bit) !== 0n,
  };
}

/**
 * True when `bytes` starts like an attestation request of `size` bytes (default: all of
 * `bytes`; a caller that read only the head passes the file's size): zero magic,
 * version 0x100, rql = size. Reads the first 16 bytes only.
 */
export function looksLikeAttestationRequest(bytes: Uint8Array, size = bytes.length): boolean {
  if (bytes.length < 16 || size < ARCB_KEY_SLOTS_OFFSET) return false;
  const r = new ByteReader(bytes, 'attestation request');
  return r.bytesOf(8, 'magic').every((b) => b === 0) && r.u32('version') === ARCB_VERSION_1 && r.u32('rql') === size;
}

/**
 * Decodes every non-confidential field of an attestation request. Strict: the buffer
 * must be exactly `rql` bytes, reserved fields zero, the algorithm HMAC-SHA-512 and
 * the sizes consistent.
 *
 * @example
 * ```ts
 * const info = parseAttestationRequest(parseAttestationExchange(file).request as Uint8Array);
 * console.log(info.requested, info.keySlots.length);
 * ```
 * @throws AttestationError `ERR_ATTESTATION_REQUEST`
 */
export function parseAttestationRequest(bytes: Uint8Array): AttestationRequestInfo {
  if (!(bytes instanceof Uint8Array)) fail('input is not a byte array');
  if (bytes.length < 16) fail(`${bytes.length} bytes is too short for a request header`);
  for (let i = 0; i < 8; i++) if (bytes[i] !== 0) fail('not an attestation request (one starts with eight zero bytes)');
  const r = new ByteReader(bytes, 'attestation request', 'ERR_ATTESTATION_REQUEST', 8);
  const version = r.u32('version');
  if (version !== ARCB_VERSION_1) fail(`unsupported version 0x${version.toString(16)} (expected 0x100)`);
  const length = r.u32('rql');
  if (length !== bytes.length) fail(`length field says ${length} bytes, input has ${bytes.length}`);
  const iv = r.bytesOf(12, 'iv');
  r.reserved(11, 'reserved1c', 'ERR_ATTESTATION_REQUEST');
  const nks = r.u8('nks');
  if (nks === 0) fail(`has no key slot (expected 1 to ${MAX_KEY_SLOTS})`);
  r.reserved(4, 'reserved28', 'ERR_ATTESTATION_REQUEST');
  const sea = r.u32('sea');
  const flags = r.u64('flags');
  const mai = r.u32('measurement algorithm');
  if (mai !== MAI_HMAC_SHA512) fail(`unknown measurement algorithm ${mai} (expected 1, HMAC-SHA-512)`);
  r.reserved(4, 'reserved3c', 'ERR_ATTESTATION_REQUEST');
  // The confidential part holds the key and, when the nonce flag is set, the nonce.
  const expectedSea = MEASUREMENT_KEY_SIZE + (flags & ATTESTATION_FLAG_NONCE ? NONCE_SIZE : 0);
  if (sea !== expectedSea) fail(`encrypted area is ${sea} bytes (expected ${expectedSea})`);
  const expected = arcbLength(nks, sea);
  if (expected !== length) fail(`length ${length} does not match nks ${nks} and sea ${sea} (expected ${expected})`);
  const customerPublicKey = r.bytesOf(WIRE_PUBLIC_KEY_SIZE, 'customer public key');
  const keySlots: KeySlot[] = [];
  for (let i = 0; i < nks; i++) keySlots.push(decodeKeySlot(r, i));
  const aadLength = r.offset;
  const encrypted = r.bytesOf(sea, 'encrypted area');
  const requestTag = r.bytesOf(REQUEST_TAG_SIZE, 'tag');
  return { version, length, iv, nks, sea, flags, requested: requestedAdditional(flags), mai, customerPublicKey, keySlots, encrypted, requestTag, aadLength };
}
