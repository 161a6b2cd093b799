/**
 * How two certificates (or a CRL and a certificate) relate: issued-by, self-signed,
 * AKID match, validity at a time. These follow OpenSSL's `X509_check_akid`,
 * `ossl_x509_likely_issued` and `X509_cmp_time`, which the reference relies on.
 *
 * @module
 */
import { equalBytes } from '../internal/bytes.js';
import { signatureKeyAlgorithm } from '../crypto/x509-signature.js';
import type { CertInfo } from './cert-info.js';
import { type AuthorityKeyId, KU_KEY_CERT_SIGN } from './extensions.js';
import { namesEqual } from './names.js';

/**
 * Whether an authority key identifier fits the issuer certificate (`X509_check_akid`):
 * the key id when both sides have one, the serial when given, and the first
 * directoryName of authorityCertIssuer against the issuer's own issuer name.
 */
export function akidMatches(issuer: CertInfo, akid: AuthorityKeyId | undefined): boolean {
  if (!akid) return true;
  if (akid.keyId && issuer.skid && !equalBytes(akid.keyId, issuer.skid)) return false;
  if (akid.serial !== undefined && akid.serial !== issuer.serial) return false;
  if (akid.issuerName && !namesEqual(akid.issuerName, issuer.issuer)) return false;
  return true;
}

/**
 * Whether `issuer` may have issued `cert`: names match, the AKID fits, and the
 * signature algorithm suits the issuer's key type (OpenSSL `ossl_x509_likely_issued`).
 */
export function likelyIssued(issuer: CertInfo, cert: CertInfo): boolean {
  if (!namesEqual(issuer.subject, cert.issuer)) return false;
  if (!akidMatches(issuer, cert.akid)) return false;
  const want = signatureKeyAlgorithm(cert.signatureAlgorithm);
  return want === undefined || want === issuer.publicKey.algorithm;
}

/** Whether a key usage extension, if present, allows `bit`. */
export function keyUsageAllows(cert: CertInfo, bit: number): boolean {
  return cert.keyUsage === undefined || cert.keyUsage(bit);
}

/** Self-signed in OpenSSL's sense: self-issued, AKID fits itself, may sign certificates. */
export function isSelfSigned(cert: CertInfo): boolean {
  return likelyIssued(cert, cert) && keyUsageAllows(cert, KU_KEY_CERT_SIGN);
}

/** Where `now` lies relative to a validity window `[from, to)`. */
export function timeWindow(from: Date, to: Date | undefined, now: Date): 'before' | 'within' | 'after' {
  if (now.getTime() < from.getTime()) return 'before';
  if (to !== undefined && now.getTime() >= to.getTime()) return 'after';
  return 'within';
}

/** The same DER bytes. */
export function sameDer(a: { der: Uint8Array }, b: { der: Uint8Array }): boolean {
  return equalBytes(a.der, b.der);
}
