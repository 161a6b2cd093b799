/**
 * The IBM Z signing key's chain of trust: signing key → intermediate CA(s) → trusted
 * root, checked the way the reference has OpenSSL check it (s390-tools
 * `verify/helper.rs` `store_setup`/`verify_chain`: `X509_STRICT | CRL_CHECK |
 * CRL_CHECK_ALL | TRUSTED_FIRST | CHECK_SS_SIGNATURE`, depth 2, security level 2,
 * purpose any), in OpenSSL's order (`x509_vfy.c` `verify_chain`):
 *
 * 1. build the path: issuers from the trusted roots first, then from the other
 *    certificates; at most two intermediates; it must end in a trusted self-signed root;
 * 2. RFC 5280 profile checks of every certificate (critical extensions, CA flags,
 *    key identifiers, path length, …);
 * 3. every key ≥ 112 security bits, every signature digest but the root's ≥ 112 bits;
 * 4. revocation of every certificate, the root included (see `chain-crl.ts`);
 * 5. from the root down: signatures (the root's own too) and validity periods;
 * 6. the reference's own rule: the chain has at least two certificates.
 *
 * A failure throws {@link ChainOfTrustError} with the failing depth (0 = signing key).
 * Not implemented (the IBM chain does not use them): name constraints, certificate
 * policy processing, partial-reason and indirect CRLs, delta CRLs.
 *
 * @module
 */
import { verifySignature, signatureDigestBits } from '../crypto/x509-signature.js';
import { ChainOfTrustError } from '../errors.js';
import { equalBytes } from '../internal/bytes.js';
import type { CertInfo } from './cert-info.js';
import { type ChainCrlFailure, checkChainElementRevocation } from './chain-crl.js';
import type { CrlInfo } from './crl-info.js';
import { OID_AUTHORITY_KEY_IDENTIFIER, OID_BASIC_CONSTRAINTS, OID_SUBJECT_KEY_IDENTIFIER } from '../internal/oids.js';
import { HANDLED_CRITICAL_CERT_EXTENSIONS, KU_CRL_SIGN, KU_KEY_CERT_SIGN } from './extensions.js';
import { entryCount, formatName, namesEqual } from './names.js';
import { MIN_SECURITY_BITS, describeKey } from '../crypto/public-key.js';
import { isSelfSigned, keyUsageAllows, likelyIssued, sameDer, timeWindow } from './relations.js';

/** At most this many intermediate CAs (`X509_VERIFY_PARAM_set_depth(2)`). */
export const MAX_INTERMEDIATES = 2;

/** Every reason a chain can fail, for {@link ChainOfTrustError.reason}. */
export type ChainFailure =
  | ChainCrlFailure
  | 'issuer-not-found'
  | 'untrusted-root'
  | 'chain-too-long'
  | 'chain-too-short'
  | 'unhandled-critical-extension'
  | 'invalid-extension'
  | 'invalid-ca'
  | 'not-rfc5280-conformant'
  | 'path-length-exceeded'
  | 'weak-key'
  | 'weak-signature-digest'
  | 'issuer-cannot-sign-certificates'
  | 'signature'
  | 'not-yet-valid'
  | 'expired';

const EXPLANATIONS: Record<ChainFailure, string> = {
  'crl-missing': 'no CRL from its issuer was given or downloaded',
  'crl-issuer-cannot-sign-crls': "its issuer's key usage does not allow signing CRLs",
  'crl-scope': "its issuer's CRL does not cover it (issuing distribution point)",
  'crl-not-yet-valid': "its issuer's CRL is not yet valid",
  'crl-expired': "its issuer's CRL has expired",
  'crl-signature': "its issuer's CRL has a bad signature",
  'crl-unhandled-critical-extension': "its issuer's CRL has an unsupported critical extension",
  revoked: 'it is revoked',
  'issuer-not-found': 'its issuer certificate was not found (give the intermediate CA with the certificates, and the right root CA)',
  'untrusted-root': 'it is a self-signed certificate that is not a trusted root',
  'chain-too-long': `the chain needs more than ${MAX_INTERMEDIATES} intermediate CAs`,
  'chain-too-short': 'the chain must hold at least the signing key and a root',
  'unhandled-critical-extension': 'it has an unsupported critical extension',
  'invalid-extension': 'an extension is malformed or repeated',
  'invalid-ca': 'it is not a valid CA certificate for its place in the chain',
  'not-rfc5280-conformant': 'it breaks the RFC 5280 profile',
  'path-length-exceeded': 'a path length constraint is exceeded',
  'weak-key': `its key is weaker than ${MIN_SECURITY_BITS} bits of security`,
  'weak-signature-digest': `its signature digest is weaker than ${MIN_SECURITY_BITS} bits of security`,
  'issuer-cannot-sign-certificates': 'its key usage does not allow signing certificates',
  signature: 'its signature does not verify with its issuer key',
  'not-yet-valid': 'it is not yet valid',
  expired: 'it has expired',
};

function fail(chain: readonly CertInfo[], depth: number, reason: ChainFailure, detail?: string): never {
  const cert = chain[depth];
  const who = cert ? ` (${formatName(cert.subject)})` : '';
  throw new ChainOfTrustError(
    depth,
    reason,
    `host-key verification: the IBM Z signing key could not be verified; error at level ${depth}${who}: ${EXPLANATIONS[reason]}${detail ? ` (${detail})` : ''}`,
  );
}

function pickIssuer(cert: CertInfo, pool: readonly CertInfo[], chain: readonly CertInfo[], now: Date): CertInfo | undefined {
  const fits = pool.filter((c) => !chain.some((x) => sameDer(x, c)) && likelyIssued(c, cert));
  return fits.find((c) => timeWindow(c.notBefore, c.notAfter, now) === 'within') ?? fits[0];
}

/** Step 1: the path from the signing key to a trusted root. */
function buildChain(target: CertInfo, untrusted: readonly CertInfo[], roots: readonly CertInfo[], now: Date): CertInfo[] {
  const chain = [target];
  for (;;) {
    const cur = chain[chain.length - 1] as CertInfo;
    if (isSelfSigned(cur)) break;
    const issuer = pickIssuer(cur, roots, chain, now) ?? pickIssuer(cur, untrusted, chain, now);
    if (!issuer) fail(chain, chain.length - 1, 'issuer-not-found', `issuer ${formatName(cur.issuer)}`);
    if (chain.length > MAX_INTERMEDIATES + 1) fail(chain, chain.length - 1, 'chain-too-long');
    chain.push(issuer);
  }
  const top = chain.length - 1;
  if (!roots.some((r) => sameDer(r, chain[top] as CertInfo))) fail(chain, top, 'untrusted-root');
  return chain;
}

/** OpenSSL `X509_check_ca`: 0 not a CA, 1 CA by basic constraints, 3/4 tolerated legacy forms. */
function caStatus(c: CertInfo): number {
  if (!keyUsageAllows(c, KU_KEY_CERT_SIGN)) return 0;
  if (c.basicConstraints) return c.basicConstraints.ca ? 1 : 0;
  if (c.version === 1 && isSelfSigned(c)) return 3;
  return c.keyUsage ? 4 : 0;
}

/** Step 2: the RFC 5280 profile as OpenSSL's `X509_STRICT` checks it. */
function checkProfile(chain: readonly CertInfo[]): void {
  const n = chain.length;
  let pathLen = 0;
  chain.forEach((c, i) => {
    const critical = c.extensions.find((e) => e.critical && !HANDLED_CRITICAL_CERT_EXTENSIONS.has(e.oid));
    if (critical) fail(chain, i, 'unhandled-critical-extension', critical.oid);
    if (c.invalidExtensions.length > 0) fail(chain, i, 'invalid-extension', c.invalidExtensions.join(', '));
    const ca = caStatus(c);
    if (i === 0 ? ca !== 0 && ca !== 1 : ca !== 1) fail(chain, i, 'invalid-ca');
    if (c.publicKey.explicitCurve) fail(chain, i, 'not-rfc5280-conformant', 'EC key with explicit curve parameters');
    const isCa = c.basicConstraints?.ca === true;
    const bcExt = c.extensions.find((e) => e.oid === OID_BASIC_CONSTRAINTS);
    const rule = (bad: boolean, what: string) => bad && fail(chain, i, 'not-rfc5280-conformant', what);
    if (c.basicConstraints?.pathLen !== undefined) {
      rule(!isCa, 'path length on a non-CA certificate');
      rule(!keyUsageAllows(c, KU_KEY_CERT_SIGN), 'path length without keyCertSign');
    }
    rule(isCa && bcExt !== undefined && !bcExt.critical, 'CA basic constraints not critical');
    rule(isCa && c.keyUsage === undefined, 'CA certificate without key usage');
    rule(!isCa && c.keyUsage !== undefined && c.keyUsage(KU_KEY_CERT_SIGN), 'keyCertSign on a non-CA certificate');
    rule(entryCount(c.issuer) === 0, 'empty issuer name');
    rule((isCa || (c.keyUsage?.(KU_CRL_SIGN) ?? false)) && entryCount(c.subject) === 0, 'empty subject name');
    rule(!equalBytes(c.signatureAlgorithmDer, c.tbsSignatureAlgorithmDer), 'inner and outer signature algorithms differ');
    rule(c.extensions.some((e) => e.critical && (e.oid === OID_AUTHORITY_KEY_IDENTIFIER || e.oid === OID_SUBJECT_KEY_IDENTIFIER)), 'critical key identifier');
    if (c.version >= 3) {
      rule(i + 1 < n && c.akid?.keyId === undefined, 'no authority key identifier');
      rule(isCa && c.skid === undefined, 'CA certificate without subject key identifier');
    } else {
      rule(c.extensions.length > 0, 'extensions in a version 1 or 2 certificate');
    }
    const limit = c.basicConstraints?.pathLen;
    if (i > 1 && limit !== undefined && pathLen > limit) fail(chain, i, 'path-length-exceeded');
    if (i > 0 && !namesEqual(c.subject, c.issuer)) pathLen++; // self-issued CAs do not count
  });
}

/** Step 3: security level 2. */
function checkStrength(chain: readonly CertInfo[]): void {
  chain.forEach((c, i) => {
    if (c.publicKey.securityBits < MIN_SECURITY_BITS) fail(chain, i, 'weak-key', `${describeKey(c.publicKey)}, ${c.publicKey.securityBits} bits`);
    if (i === chain.length - 1) return;
    const bits = signatureDigestBits(c.signatureAlgorithm);
    if (bits === undefined || bits < MIN_SECURITY_BITS) fail(chain, i, 'weak-signature-digest', `algorithm ${c.signatureAlgorithm.oid}`);
  });
}

/** Step 5: signatures and validity, from the root down. */
async function checkSignaturesAndTimes(chain: readonly CertInfo[], now: Date): Promise<void> {
  for (let i = chain.length - 1; i >= 0; i--) {
    const c = chain[i] as CertInfo;
    const issuerDepth = Math.min(i + 1, chain.length - 1);
    const issuer = chain[issuerDepth] as CertInfo;
    if (!keyUsageAllows(issuer, KU_KEY_CERT_SIGN)) fail(chain, issuerDepth, 'issuer-cannot-sign-certificates');
    const sigOk = equalBytes(c.signatureAlgorithmDer, c.tbsSignatureAlgorithmDer) && (await verifySignature(issuer.publicKey, c.signatureAlgorithm, c.tbs, c.signature)).ok;
    if (!sigOk) fail(chain, i, 'signature');
    const when = timeWindow(c.notBefore, c.notAfter, now);
    if (when !== 'within') fail(chain, i, when === 'before' ? 'not-yet-valid' : 'expired');
  }
}

/**
 * Verifies the signing key's chain; returns it (signing key first, root last).
 *
 * @throws ChainOfTrustError (`ERR_SIGNING_KEY_UNTRUSTED`) with the failing depth
 */
export async function verifySigningKeyChain(
  signingKey: CertInfo,
  untrusted: readonly CertInfo[],
  roots: readonly CertInfo[],
  crls: readonly CrlInfo[],
  now: Date,
): Promise<CertInfo[]> {
  const chain = buildChain(signingKey, untrusted, roots, now);
  checkProfile(chain);
  checkStrength(chain);
  for (let i = 0; i < chain.length; i++) {
    const issuer = chain[Math.min(i + 1, chain.length - 1)] as CertInfo;
    const failure = await checkChainElementRevocation(chain[i] as CertInfo, issuer, crls, now);
    if (failure) fail(chain, i, failure);
  }
  await checkSignaturesAndTimes(chain, now);
  if (chain.length < 2) fail(chain, 0, 'chain-too-short');
  return chain;
}
