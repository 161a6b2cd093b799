/**
 * Host keys: the P-521 public keys of the IBM Z machines a request is encrypted for,
 * taken from host-key document certificates read by the one certificate reader.
 *
 * @module
 */
import { assertP521Point, hostKeyHash } from '../crypto/p521.js';
import { describeKey, type PublicKeyFacts } from '../crypto/public-key.js';
import { CertificateError, CryptoError } from '../errors.js';
import { copyBytes } from '../internal/bytes.js';
import { OID_EC_PUBLIC_KEY, OID_P521, OID_RSA_ENCRYPTION } from '../internal/oids.js';
import type { CertInfo } from './cert-info.js';
import { parseCertificates } from './inputs.js';
import { formatName } from './names.js';

/** A host key ready to receive a key slot. */
export interface HostKey {
  /** The 133-byte uncompressed P-521 point. */
  readonly publicKey: Uint8Array;
  /** SHA-256 of the 160-byte wire form: the first field of the key slot. */
  readonly hash: Uint8Array;
  /** The subject of the host-key document, for messages. */
  readonly subject?: string;
}

/**
 * The error for a host-key document whose key is not EC P-521. An RSA key is never a
 * host key but is what the IBM Z signing key and the CAs have: the usual mistake is
 * giving one of those as a host-key document, so the message says where it belongs.
 */
export function notP521Error(k: PublicKeyFacts, source: string): CertificateError {
  const hint = k.algorithm === OID_RSA_ENCRYPTION ? '; an RSA key means a signing-key or CA certificate, which belongs with the chain of trust (-C/--cert), not with the host-key documents (-k)' : '';
  return new CertificateError('ERR_HOST_KEY_NOT_P521', `${source}: host key must be EC secp521r1 (P-521), got ${describeKey(k)}${hint}`);
}

/**
 * The host key of a host-key document certificate (a copy of its point).
 *
 * @example
 * ```ts
 * const [cert] = parseCertificates(await readFile('HKD.crt'), 'HKD.crt');
 * const { hash } = hostKeyFromCertificate(cert);
 * ```
 * @throws CertificateError `ERR_HOST_KEY_NOT_P521` when the key is not an EC P-521 point
 */
export function hostKeyFromCertificate(cert: CertInfo, source = 'host-key document'): HostKey {
  const k = cert.publicKey;
  if (k.algorithm !== OID_EC_PUBLIC_KEY || k.curve !== OID_P521) {
    throw notP521Error(k, source);
  }
  try {
    assertP521Point(k.key, `${source} public key`);
  } catch (cause) {
    if (!(cause instanceof CryptoError)) throw cause;
    throw new CertificateError('ERR_HOST_KEY_NOT_P521', `${source}: the host key is not a valid uncompressed P-521 point`, { cause });
  }
  return { publicKey: copyBytes(k.key), hash: hostKeyHash(k.key), subject: formatName(cert.subject) };
}

/**
 * The host keys of host-key documents given as PEM or DER bytes, one per certificate
 * (a PEM input may hold several), without any verification.
 *
 * @example
 * ```ts
 * const keys = hostKeysFromDocuments([await readFile('HKD.crt')]);
 * ```
 * @throws CertificateError `ERR_CERT_PARSE`, `ERR_HOST_KEY_NOT_P521`
 */
export function hostKeysFromDocuments(documents: readonly Uint8Array[]): HostKey[] {
  const out: HostKey[] = [];
  documents.forEach((doc, i) => {
    const source = documents.length > 1 ? `host-key document #${i + 1}` : 'host-key document';
    for (const cert of parseCertificates(doc, source)) out.push(hostKeyFromCertificate(cert, source));
  });
  return out;
}
