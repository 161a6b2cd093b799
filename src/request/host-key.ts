/**
 * Host keys: the P-521 public keys of the IBM Z machines a request is encrypted for.
 *
 * @module
 */
import type * as pkijs from 'pkijs';
import { CertificateError } from '../errors.js';
import { OID_EC_PUBLIC_KEY, OID_SECP521R1, nameToString, parseCertificates, publicKeyAlgorithm, subjectPublicKeyBytes } from '../certs/x509.js';
import { assertP521Point, hostKeyHash } from '../crypto/p521.js';

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
 * The host key of a host-key document certificate.
 *
 * @throws CertificateError `ERR_HOST_KEY_NOT_P521` when the key is not EC secp521r1
 */
export function hostKeyFromCertificate(cert: pkijs.Certificate, source = 'host-key document'): HostKey {
  const { algorithm, curve } = publicKeyAlgorithm(cert);
  if (algorithm !== OID_EC_PUBLIC_KEY || curve !== OID_SECP521R1) {
    const what = algorithm === OID_EC_PUBLIC_KEY ? `EC key on curve ${curve ?? 'unknown'}` : `key of algorithm ${algorithm}`;
    throw new CertificateError('ERR_HOST_KEY_NOT_P521', `${source}: host key must be EC secp521r1 (P-521), got ${what}`);
  }
  const point = subjectPublicKeyBytes(cert);
  try {
    assertP521Point(point, `${source} public key`);
  } catch (cause) {
    throw new CertificateError('ERR_HOST_KEY_NOT_P521', `${source}: host key is not a valid uncompressed P-521 point`, { cause });
  }
  return { publicKey: point, hash: hostKeyHash(point), subject: nameToString(cert.subject) };
}

/**
 * The host keys of host-key documents given as PEM or DER bytes (a PEM input may
 * hold several documents), without any verification.
 *
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
