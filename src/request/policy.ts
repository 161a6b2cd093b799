/**
 * Early Boot Customization references (pvsecret `--policy` and `--toc-policy`, s390-tools
 * 2.43 `+ebc`).
 *
 * A policy reference is 512 bytes of unsigned user data:
 *
 * ```text
 *  0x000 ┌──────────────────────────────┐
 *        │ SHA-256 of the policy file 32│
 *  0x020 │ policy path as given     480 │  raw bytes, zero-filled, cut at 480
 *  0x200 └──────────────────────────────┘
 * ```
 *
 * A TOC policy file collects requests by their tag: one line of 32 lowercase hex digits
 * (the request's last 16 bytes) per request, appended after it is built.
 *
 * Source: s390-tools `rust/pv_core/src/policy.rs` (`PolicyReference`) and
 * `rust/pvsecret/src/cmd/create.rs` (`--policy`, `--toc-policy`). The reference hashes
 * with SHA-256, although its help text says SHA-512.
 *
 * @module
 */
import { sha256 } from '../crypto/hash.js';
import { InputError, RequestError } from '../errors.js';
import { ByteWriter, copyBytes, toHex } from '../internal/bytes.js';
import { USER_DATA_SIZE } from './user-data.js';

/** Size of the policy hash (SHA-256). */
export const POLICY_HASH_SIZE = 32;
/** Room for the policy path: the rest of the 512 bytes. */
export const POLICY_NAME_SIZE = USER_DATA_SIZE - POLICY_HASH_SIZE;

/** A policy reference and the hash pvsecret prints. */
export interface PolicyUserData {
  /** The 512 bytes to pass as `userData` (unsigned). */
  readonly userData: Uint8Array;
  /** SHA-256 of the policy file's content. */
  readonly hash: Uint8Array;
  /** What `pvsecret create --policy` prints on stdout: 64 lowercase hex digits and a newline. */
  readonly hashLine: string;
}

/**
 * Builds pvsecret's `--policy` user data: SHA-256 of the policy file's content and the
 * file's path exactly as the user gave it (pvsecret stores the command-line argument
 * unchanged, relative paths included), cut to 480 bytes.
 *
 * @param policy the policy file's content
 * @param path the path as given (a string is stored as UTF-8; bytes are stored as they are)
 * @example
 * ```ts
 * const { userData, hashLine } = policyUserData(await readFile('toc.pol'), 'toc.pol');
 * const request = await createAddSecretRequest({ ...options, userData });
 * ```
 * @throws InputError `ERR_INVALID_OPTION`
 */
export function policyUserData(policy: Uint8Array, path: string | Uint8Array): PolicyUserData {
  if (!(policy instanceof Uint8Array)) throw new InputError('ERR_INVALID_OPTION', `policy: expected the file content as bytes (got ${typeof policy})`);
  const name = typeof path === 'string' ? new TextEncoder().encode(path) : path;
  if (!(name instanceof Uint8Array)) throw new InputError('ERR_INVALID_OPTION', `policy: expected the path as a string or bytes (got ${typeof path})`);
  const hash = sha256(policy);
  const stored = name.subarray(0, Math.min(name.length, POLICY_NAME_SIZE));
  const userData = new ByteWriter(USER_DATA_SIZE)
    .put(hash, POLICY_HASH_SIZE)
    .put(stored)
    .zeros(POLICY_NAME_SIZE - stored.length)
    .finish();
  return { userData, hash, hashLine: `${toHex(hash)}\n` };
}

/** A policy reference read back from user data. */
export interface PolicyReference {
  readonly hash: Uint8Array;
  /** The path bytes up to the first zero byte. */
  readonly name: Uint8Array;
}

/**
 * Reads a policy reference from 512 bytes of user data (an all-zero hash means "no policy").
 *
 * @example
 * ```ts
 * const { userData } = parseAddSecretRequest(request);
 * if (userData) console.log(new TextDecoder().decode(decodePolicyReference(userData).name));
 * ```
 * @throws RequestError `ERR_REQUEST_LENGTH` when the data is not 512 bytes
 */
export function decodePolicyReference(userData: Uint8Array): PolicyReference {
  if (userData.length !== USER_DATA_SIZE) {
    throw new RequestError('ERR_REQUEST_LENGTH', `policy reference: user data is ${userData.length} bytes (expected ${USER_DATA_SIZE})`);
  }
  const nameArea = userData.subarray(POLICY_HASH_SIZE);
  const end = nameArea.indexOf(0);
  return { hash: copyBytes(userData, 0, POLICY_HASH_SIZE), name: copyBytes(nameArea, 0, end === -1 ? nameArea.length : end) };
}

/** Size of the request tag a TOC policy line records. */
const REQUEST_TAG_SIZE = 16;

/**
 * The line pvsecret's `--toc-policy FILE` appends to FILE for a request: its GCM tag
 * (last 16 bytes) as 32 lowercase hex digits and a newline.
 *
 * @example
 * ```ts
 * await appendFile('toc.pol', tocPolicyLine(request));
 * ```
 * @throws RequestError `ERR_REQUEST_LENGTH` when the input is shorter than a tag
 */
export function tocPolicyLine(request: Uint8Array): string {
  if (!(request instanceof Uint8Array) || request.length < REQUEST_TAG_SIZE) {
    throw new RequestError('ERR_REQUEST_LENGTH', 'toc policy: input is too short to hold a request tag');
  }
  return `${toHex(request.subarray(request.length - REQUEST_TAG_SIZE))}\n`;
}
