/**
 * Checking one host-key document against the verified IBM Z signing key, in the
 * reference's order (s390-tools `verify.rs` `CertVerifier::verify`,
 * `verify/helper.rs` `verify_hkd_options`/`verify_crl`) so the same reason is reported:
 *
 * 1. key strength ≥ 112 bits                                  → `ERR_HKD_WEAK_KEY`;
 *    (ours) an RSA key, never a host key, is refused here     → `ERR_HOST_KEY_NOT_P521`
 * 2. notBefore ≤ now                                          → `ERR_HKD_NOT_YET_VALID`
 *    now < notAfter                                           → `ERR_HKD_EXPIRED`
 * 3. AKID, if present, fits the signing key                  → `ERR_HKD_AKID_MISMATCH`
 * 4. signature by the signing key                             → `ERR_HKD_SIGNATURE`, or
 *    `ERR_HKD_ISSUER_MISMATCH` when the issuer name is not the signing key's either
 * 5. CRLs: looked up by the signing key's subject with IBM's name quirks, plus (online)
 *    those downloaded from the document's distribution points; each must have a
 *    nextUpdate, be current, have a fitting AKID if any and be signed by the signing
 *    key; none left                                           → `ERR_NO_VALID_CRL`
 * 6. the serial is listed in none of them                     → `ERR_HKD_REVOKED`
 * 7. (ours; the reference fails later, at encryption) EC P-521 → `ERR_HOST_KEY_NOT_P521`
 *
 * @module
 */
import { CertificateError } from '../errors.js';
import { MIN_SECURITY_BITS, describeKey } from '../crypto/public-key.js';
import { verifySignature } from '../crypto/x509-signature.js';
import { equalBytes } from '../internal/bytes.js';
import type { CertInfo } from './cert-info.js';
import type { CrlInfo } from './crl-info.js';
import { OID_RSA_ENCRYPTION } from '../internal/oids.js';
import { type HostKey, hostKeyFromCertificate, notP521Error } from './host-key.js';
import { ibmNormalizedName, signingKeyCrlIssuerNames } from './ibm-names.js';
import { formatName, namesEqual } from './names.js';
import { akidMatches, timeWindow } from './relations.js';

/** What every host-key document is checked against. */
export interface HkdContext {
  readonly signingKey: CertInfo;
  /** Every CRL known locally (given, carried in inputs, downloaded for the chain). */
  readonly crls: readonly CrlInfo[];
  readonly now: Date;
  /** Downloads a certificate's CRLs; absent when offline. */
  readonly download?: (cert: CertInfo) => Promise<CrlInfo[]>;
}

function err(code: ConstructorParameters<typeof CertificateError>[0], source: string, problem: string): CertificateError {
  return new CertificateError(code, `host-key verification: ${source} ${problem}`);
}

/** Step 5a: local CRLs under the first of the signing key's issuer names that finds any. */
function localCrls(ctx: HkdContext): CrlInfo[] {
  for (const name of signingKeyCrlIssuerNames(ctx.signingKey.subject)) {
    const found = ctx.crls.filter((c) => namesEqual(c.issuer, name));
    if (found.length > 0) return found;
  }
  return [];
}

/** Step 5b: a CRL the signing key issued and that is current. */
async function usableCrl(crl: CrlInfo, ctx: HkdContext): Promise<boolean> {
  if (!crl.nextUpdate) return false;
  if (timeWindow(crl.thisUpdate, crl.nextUpdate, ctx.now) !== 'within') return false;
  if (!akidMatches(ctx.signingKey, crl.akid)) return false;
  if (!equalBytes(crl.tbsSignatureAlgorithmDer, crl.signatureAlgorithmDer)) return false;
  return (await verifySignature(ctx.signingKey.publicKey, crl.signatureAlgorithm, crl.tbs, crl.signature)).ok;
}

function sameIssuerAsSigningKey(hkd: CertInfo, signingKey: CertInfo): boolean {
  return namesEqual(hkd.issuer, signingKey.subject) || namesEqual(ibmNormalizedName(hkd.issuer), ibmNormalizedName(signingKey.subject));
}

/**
 * Verifies one host-key document certificate; returns its host key.
 *
 * @throws CertificateError `ERR_HKD_WEAK_KEY`, `ERR_HKD_NOT_YET_VALID`, `ERR_HKD_EXPIRED`,
 *   `ERR_HKD_AKID_MISMATCH`, `ERR_HKD_SIGNATURE`, `ERR_HKD_ISSUER_MISMATCH`,
 *   `ERR_NO_VALID_CRL`, `ERR_HKD_REVOKED`, `ERR_HOST_KEY_NOT_P521`
 */
export async function verifyHostKeyCertificate(ctx: HkdContext, hkd: CertInfo, source: string): Promise<HostKey> {
  const bits = hkd.publicKey.securityBits;
  if (bits < MIN_SECURITY_BITS) {
    throw err('ERR_HKD_WEAK_KEY', source, `has too weak a key (${describeKey(hkd.publicKey)}: expected at least ${MIN_SECURITY_BITS} bits of security, got ${bits})`);
  }
  // (ours) An RSA key is never a host key: say so before the checks against the signing
  // key, which would only report a mismatch for a signing-key or CA certificate given here.
  if (hkd.publicKey.algorithm === OID_RSA_ENCRYPTION) throw notP521Error(hkd.publicKey, `host-key verification: ${source}`);
  const when = timeWindow(hkd.notBefore, hkd.notAfter, ctx.now);
  if (when === 'before') throw err('ERR_HKD_NOT_YET_VALID', source, `is not valid before ${hkd.notBefore.toISOString()} (now ${ctx.now.toISOString()})`);
  if (when === 'after') throw err('ERR_HKD_EXPIRED', source, `expired at ${hkd.notAfter.toISOString()} (now ${ctx.now.toISOString()})`);
  if (!akidMatches(ctx.signingKey, hkd.akid)) {
    throw err('ERR_HKD_AKID_MISMATCH', source, 'has an authority key identifier that does not match the IBM Z signing key');
  }
  const sigOk =
    equalBytes(hkd.signatureAlgorithmDer, hkd.tbsSignatureAlgorithmDer) &&
    (await verifySignature(ctx.signingKey.publicKey, hkd.signatureAlgorithm, hkd.tbs, hkd.signature)).ok;
  if (!sigOk) {
    if (!sameIssuerAsSigningKey(hkd, ctx.signingKey)) {
      throw err('ERR_HKD_ISSUER_MISMATCH', source, `was issued by ${formatName(hkd.issuer)}, not by the IBM Z signing key ${formatName(ctx.signingKey.subject)}`);
    }
    throw err('ERR_HKD_SIGNATURE', source, 'signature does not verify with the IBM Z signing key');
  }
  const candidates = localCrls(ctx);
  if (ctx.download) candidates.push(...(await ctx.download(hkd)));
  const valid: CrlInfo[] = [];
  for (const crl of candidates) if (await usableCrl(crl, ctx)) valid.push(crl);
  if (valid.length === 0) {
    const hint = ctx.download ? 'its distribution points gave none either: give it with the CRLs' : 'give it with the CRLs, or allow downloading';
    throw err('ERR_NO_VALID_CRL', source, `cannot be checked for revocation: no valid CRL issued by the IBM Z signing key (${hint})`);
  }
  if (valid.some((crl) => crl.revoked.some((r) => r.serial === hkd.serial))) {
    throw err('ERR_HKD_REVOKED', source, `is revoked (serial ${hkd.serialHex})`);
  }
  return hostKeyFromCertificate(hkd, `host-key verification: ${source}`);
}
