/**
 * `pvsecret verify`: checks that bytes are an add-secret request and, where its user
 * data is signed, that the signature verifies with the user's certificate; returns the
 * user data.
 *
 * Like the reference (`verify_asrcb_and_get_user_data`), it checks the request header
 * (magic, user-data type, version, lengths) and the signature — not the GCM tag, key
 * slots or secret, which only the Ultravisor can open. Use `parseAddSecretRequest` for
 * a strict reading of every field.
 *
 * @module
 */

import type { CertInfo } from '../certs/cert-info.js';
import { readHostKeyDocument } from '../certs/inputs.js';
import type { CryptoBackend } from '../crypto/backend.js';
import { type CertificatePublicKey, certificatePublicKey } from '../crypto/keys.js';
import { portableBackend } from '../crypto/portable.js';
import { InputError, RequestError } from '../errors.js';
import { ByteReader, copyBytes } from '../internal/bytes.js';
import { REQUEST_HEADER_SIZE, REQUEST_MAGIC, REQUEST_TAG_SIZE, REQUEST_VERSION_1, SEA_OFFSET, assertRequestMagic } from './asrcb.js';
import { REQUEST_MAGIC_FIELD_SIZE } from './request-header.js';
import {
  EC_SIGNATURE_MAX_SIZE,
  maxUserDataSize,
  USER_DATA_OFFSET,
  USER_DATA_SIZE,
  UserDataType,
  type UserDataTypeCode,
  userDataTypeName,
} from './user-data.js';

/** Options of {@link verifyAddSecretRequest}. */
export interface VerifyAddSecretRequestOptions {
  /**
   * X.509 certificate of the user-signing key, PEM or DER (of a PEM file the first
   * certificate is used). Required when the user data is signed.
   */
  readonly userCertificate?: Uint8Array;
  /** The crypto backend; the package entry point chooses the fastest for the runtime. */
  readonly backend?: CryptoBackend;
}

/** What {@link verifyAddSecretRequest} found. */
export interface VerifiedAddSecretRequest {
  /**
   * The user data: all 512 bytes when unsigned, the data slot (256 or 128 bytes, zero
   * padding included) when signed, absent when the request has none (type 0).
   */
  readonly userData?: Uint8Array;
  readonly userDataType: UserDataTypeCode;
  /** True when a user-data signature was checked (and verified). */
  readonly signatureVerified: boolean;
}

const EC_SIGNATURE_OFFSET = 0x100;
const EC_SIGNATURE_LENGTH_OFFSET = 0x190;

function fail(code: 'ERR_REQUEST_LENGTH' | 'ERR_REQUEST_VERSION' | 'ERR_REQUEST_USER_DATA_TYPE', msg: string): never {
  throw new RequestError(code, `request: ${msg}`);
}

/** The header checks of `AddSecretMagic::try_from_bytes` and `BinReqValues::get`. */
function checkRequestHeader(bytes: Uint8Array): { type: UserDataTypeCode; rql: number } {
  // pvsecret reads the 8-byte magic field whole (`AddSecretMagic`): 6 or 7 bytes are no magic either.
  assertRequestMagic(bytes, REQUEST_MAGIC_FIELD_SIZE);
  const r = new ByteReader(bytes, 'request', 'ERR_REQUEST_LENGTH', REQUEST_MAGIC.length);
  const type = r.u16('user-data type');
  if (type > UserDataType.SignedRsa3072) fail('ERR_REQUEST_USER_DATA_TYPE', `unsupported user-data type 0x${type.toString(16).padStart(4, '0')}`);
  if (bytes.length < REQUEST_HEADER_SIZE) fail('ERR_REQUEST_LENGTH', `input is ${bytes.length} bytes (expected at least ${REQUEST_HEADER_SIZE})`);
  const version = r.u32('version');
  const rql = r.u32('rql');
  const sea = new ByteReader(bytes, 'request', 'ERR_REQUEST_LENGTH', SEA_OFFSET).u32('sea');
  if (rql !== bytes.length) fail('ERR_REQUEST_LENGTH', `length field says ${rql} bytes, input has ${bytes.length}`);
  if (sea + REQUEST_TAG_SIZE > rql || rql - sea - REQUEST_TAG_SIZE < REQUEST_HEADER_SIZE) {
    fail('ERR_REQUEST_LENGTH', `encrypted area of ${sea} bytes does not fit in a ${rql}-byte request`);
  }
  if (version !== REQUEST_VERSION_1) fail('ERR_REQUEST_VERSION', `unsupported version 0x${version.toString(16)} (expected 0x100)`);
  if (rql < USER_DATA_OFFSET + USER_DATA_SIZE) {
    fail('ERR_REQUEST_LENGTH', `request is ${rql} bytes, too short to hold user data (expected at least ${USER_DATA_OFFSET + USER_DATA_SIZE})`);
  }
  return { type: type as UserDataTypeCode, rql };
}

/** The user-data type a certificate key can verify, if any (`user_data_type`). */
function typeOfKey(key: CertificatePublicKey): UserDataTypeCode | undefined {
  if (key.kind === 'ec' && key.key) return UserDataType.SignedEcP521;
  if (key.kind === 'rsa') {
    const bytes = Math.ceil(key.modulusBits / 8);
    return bytes === 256 ? UserDataType.SignedRsa2048 : bytes === 384 ? UserDataType.SignedRsa3072 : undefined;
  }
  return undefined;
}

function describeKey(key: CertificatePublicKey): string {
  if (key.kind === 'rsa') return `an rsa ${key.modulusBits} key`;
  if (key.kind === 'ec') return key.key ? 'an ec secp521r1 key' : `an ec key on curve ${key.curveOid ?? '(explicit parameters)'}`;
  return `a key of algorithm ${key.algorithm}`;
}

function certificateKey(certificate: Uint8Array): CertificatePublicKey {
  if (!(certificate instanceof Uint8Array)) {
    throw new InputError('ERR_INVALID_OPTION', `options.userCertificate: expected pem or der bytes (got ${typeof certificate})`);
  }
  // pvsecret uses the first certificate of the file (`read_sgn_key`)
  const { algorithm, curve, key } = (readHostKeyDocument(certificate, 'user certificate')[0] as CertInfo).publicKey;
  return certificatePublicKey(algorithm, curve, key);
}

/**
 * Verifies an add-secret request like `pvsecret verify`: header checks, then for signed
 * user data the signature (SHA-512; ECDSA P-521 or RSA-PSS) over the request without
 * its tag, with the signature field zeroed, against the certificate's public key.
 *
 * A request without user data verifies (with no user data) even when a certificate is
 * given, as in pvsecret; `signatureVerified` tells whether a signature was checked.
 *
 * @example
 * ```ts
 * const { userData } = await verifyAddSecretRequest(request, { userCertificate: await readFile('user.crt') });
 * ```
 * @throws RequestError `ERR_REQUEST_MAGIC`, `ERR_REQUEST_USER_DATA_TYPE`, `ERR_REQUEST_LENGTH`,
 *   `ERR_REQUEST_VERSION`, `ERR_REQUEST_SIGNATURE` (does not verify),
 *   `ERR_REQUEST_SIGNATURE_KEY_TYPE` (certificate key does not suit the request),
 *   `ERR_REQUEST_NO_SIGNATURE` (certificate given, user data unsigned);
 *   InputError `ERR_USER_CERT_REQUIRED` (signed, no certificate), `ERR_INVALID_OPTION`;
 *   CertificateError `ERR_CERT_PARSE`; FormatError `ERR_REQUEST_LENGTH`
 */
export async function verifyAddSecretRequest(bytes: Uint8Array, options: VerifyAddSecretRequestOptions = {}): Promise<VerifiedAddSecretRequest> {
  const backend = options.backend ?? portableBackend;
  const certKey = options.userCertificate === undefined ? undefined : certificateKey(options.userCertificate);
  const { type, rql } = checkRequestHeader(bytes);
  const area = bytes.subarray(USER_DATA_OFFSET, USER_DATA_OFFSET + USER_DATA_SIZE);
  const name = userDataTypeName(type);

  if (type === UserDataType.None) return { userDataType: type, signatureVerified: false };
  if (type === UserDataType.Unsigned) {
    if (certKey) {
      throw new RequestError('ERR_REQUEST_NO_SIGNATURE', 'request: user data is unsigned, so there is no signature to check with the certificate');
    }
    return { userData: copyBytes(area), userDataType: type, signatureVerified: false };
  }
  if (!certKey) {
    throw new InputError('ERR_USER_CERT_REQUIRED', `request: user data is ${name}; a user certificate is needed to verify it`);
  }
  if (typeOfKey(certKey) !== type) {
    throw new RequestError('ERR_REQUEST_SIGNATURE_KEY_TYPE', `request: user data is ${name}, but the certificate holds ${describeKey(certKey)}`);
  }
  const max = maxUserDataSize(type);
  let signature: Uint8Array;
  if (type === UserDataType.SignedEcP521) {
    const length = new ByteReader(area, 'request user data', 'ERR_REQUEST_LENGTH', EC_SIGNATURE_LENGTH_OFFSET).u16('signature length');
    signature = copyBytes(area, EC_SIGNATURE_OFFSET, EC_SIGNATURE_OFFSET + Math.min(length, EC_SIGNATURE_MAX_SIZE));
  } else {
    signature = copyBytes(area, max);
  }
  const message = copyBytes(bytes, 0, rql - REQUEST_TAG_SIZE);
  message.fill(0, USER_DATA_OFFSET + max, USER_DATA_OFFSET + USER_DATA_SIZE);
  const key = certKey.kind === 'other' ? undefined : certKey.key;
  const ok = key !== undefined && (await backend.verifySha512(key, message, signature));
  if (!ok) {
    throw new RequestError('ERR_REQUEST_SIGNATURE', `request: the ${name} user data does not verify with the certificate's key`);
  }
  return { userData: copyBytes(area, 0, max), userDataType: type, signatureVerified: true };
}
