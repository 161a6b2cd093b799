/**
 * Revocation checking of one chain element, as OpenSSL does it with `CRL_CHECK_ALL`
 * (which the reference sets): every certificate of the chain, the trust anchor
 * included, needs a CRL from its issuer (the anchor's own CRL for the anchor).
 *
 * Selection (OpenSSL `get_crl_sk`/`get_crl_score`): among CRLs whose issuer name equals
 * the certificate's issuer name and whose AKID fits the issuing certificate, prefer
 * one without unhandled critical extensions, in scope, and current; on a tie the most
 * recent. Indirect, partial-reason and delta CRLs are not used. Then the chosen CRL
 * must be in scope, current, signed by the issuer (whose key usage, if present, must
 * allow CRL signing), free of unhandled critical extensions, and must not list the
 * certificate (an entry with reason removeFromCRL does not count).
 *
 * @module
 */
import { verifySignature } from '../crypto/x509-signature.js';
import { equalBytes } from '../internal/bytes.js';
import type { CertInfo } from './cert-info.js';
import type { CrlInfo } from './crl-info.js';
import { type DistributionPointNames, type IssuingDistributionPoint, KU_CRL_SIGN, REASON_REMOVE_FROM_CRL } from './extensions.js';
import { namesEqual } from './names.js';
import { akidMatches, keyUsageAllows, timeWindow } from './relations.js';

/** Why a chain element failed its revocation check. */
export type ChainCrlFailure =
  | 'crl-missing'
  | 'crl-issuer-cannot-sign-crls'
  | 'crl-scope'
  | 'crl-not-yet-valid'
  | 'crl-expired'
  | 'crl-signature'
  | 'crl-unhandled-critical-extension'
  | 'revoked';

const SCORE_NO_CRITICAL = 0x100;
const SCORE_SCOPE = 0x080;
const SCORE_TIME = 0x040;

type PointName = NonNullable<IssuingDistributionPoint['point']>;

/** Two distribution point names denote the same point (OpenSSL `idp_check_dp`, full names only). */
function samePoint(a: PointName | undefined, b: PointName | undefined): boolean {
  if (!a || !b) return true;
  if (!a.fullNames || !b.fullNames) return false;
  return a.fullNames.some((x) => b.fullNames?.includes(x));
}

/** Whether the CRL covers the certificate (OpenSSL `crl_crldp_check`). */
function inScope(cert: CertInfo, crl: CrlInfo): boolean {
  const idp = crl.idp;
  if (idp?.onlyAttributeCerts) return false;
  const isCa = cert.basicConstraints?.ca === true;
  if (isCa && idp?.onlyUserCerts) return false;
  if (!isCa && idp?.onlyCaCerts) return false;
  const points: readonly DistributionPointNames[] = cert.crlDistributionPoints;
  for (const dp of points) {
    // A point naming a cRLIssuer needs that name to be the CRL's issuer.
    const issuerFits = dp.crlIssuerNames === undefined || dp.crlIssuerNames.some((n) => namesEqual(n, crl.issuer));
    const dpName = dp.fullNames || dp.relativeName ? dp : undefined;
    if (issuerFits && (!idp || samePoint(dpName, idp.point))) return true;
  }
  return !idp || idp.point === undefined;
}

/**
 * Checks one chain element against the CRLs; undefined when it passes.
 *
 * @param cert the certificate at this depth
 * @param issuer the certificate that issued it (itself for the trust anchor)
 */
export async function checkChainElementRevocation(cert: CertInfo, issuer: CertInfo, crls: readonly CrlInfo[], now: Date): Promise<ChainCrlFailure | undefined> {
  let best: CrlInfo | undefined;
  let bestScore = 0;
  for (const crl of crls) {
    if (!namesEqual(crl.issuer, cert.issuer)) continue;
    if (crl.idpInvalid || crl.akidInvalid || crl.delta) continue;
    if (crl.idp && (crl.idp.indirectCrl || crl.idp.onlySomeReasons)) continue;
    if (!akidMatches(issuer, crl.akid)) continue;
    let score = 1;
    if (!crl.unhandledCritical) score |= SCORE_NO_CRITICAL;
    if (inScope(cert, crl)) score |= SCORE_SCOPE;
    if (timeWindow(crl.thisUpdate, crl.nextUpdate, now) === 'within') score |= SCORE_TIME;
    if (score > bestScore || (score === bestScore && best && crl.thisUpdate.getTime() > best.thisUpdate.getTime())) {
      best = crl;
      bestScore = score;
    }
  }
  if (!best) return 'crl-missing';
  if (!keyUsageAllows(issuer, KU_CRL_SIGN)) return 'crl-issuer-cannot-sign-crls';
  if ((bestScore & SCORE_SCOPE) === 0) return 'crl-scope';
  const when = timeWindow(best.thisUpdate, best.nextUpdate, now);
  if (when === 'before') return 'crl-not-yet-valid';
  if (when === 'after') return 'crl-expired';
  if (!equalBytes(best.tbsSignatureAlgorithmDer, best.signatureAlgorithmDer)) return 'crl-signature';
  const sig = await verifySignature(issuer.publicKey, best.signatureAlgorithm, best.tbs, best.signature);
  if (!sig.ok) return 'crl-signature';
  if (best.unhandledCritical) return 'crl-unhandled-critical-extension';
  const entry = best.revoked.find((r) => r.serial === cert.serial);
  if (entry && entry.reason !== REASON_REMOVE_FROM_CRL) return 'revoked';
  return undefined;
}
