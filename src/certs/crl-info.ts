/**
 * A parsed certificate revocation list (RFC 5280 §5.1), raw bytes kept for comparing
 * and verifying (the times are decoded by asn1js, see `cert-info.ts`).
 *
 * Read with asn1js through the shared DER layer (`src/internal/der.ts`), not with
 * pkijs: pkijs 4's `CertificateRevocationList` throws a TypeError (in
 * `Extensions.fromSchema`) on a revoked entry whose `crlEntryExtensions` is present but
 * empty (`30 00`), which @peculiar/x509 writes for every entry without extensions and
 * OpenSSL reads (`test/der.test.ts` shows both). Working around it would mean
 * rewriting the CRL before pkijs sees it, while the signature covers the original bytes.
 *
 * ```text
 * CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue BIT STRING }
 * TBSCertList ::= SEQUENCE {
 *   version INTEGER OPTIONAL   signature AlgorithmIdentifier   issuer Name
 *   thisUpdate Time   nextUpdate Time OPTIONAL
 *   revokedCertificates SEQUENCE OF SEQUENCE { userCertificate INTEGER,
 *                         revocationDate Time, crlEntryExtensions OPTIONAL } OPTIONAL
 *   [0] crlExtensions EXPLICIT OPTIONAL }
 * ```
 *
 * @module
 */
import { CertificateError } from '../errors.js';
import { readAlgorithmIdentifier, type SignatureAlgorithm } from '../crypto/x509-signature.js';
import { readExtensionList, readExtensions, readTime } from './cert-info.js';
import { DerError, TAG_GENERALIZED_TIME, TAG_INTEGER, TAG_SEQUENCE, TAG_UTC_TIME, type Tlv, bitStringBytes, children, expectUniversal, integerValue, isContext, isUniversal, readTlv } from '../internal/der.js';
import { OID_AUTHORITY_KEY_IDENTIFIER, OID_CRL_REASON, OID_DELTA_CRL_INDICATOR, OID_ISSUING_DISTRIBUTION_POINT } from '../internal/oids.js';
import {
  type AuthorityKeyId,
  HANDLED_CRITICAL_CRL_ENTRY_EXTENSIONS,
  HANDLED_CRITICAL_CRL_EXTENSIONS,
  type IssuingDistributionPoint,
  type RawExtension,
  decodeAuthorityKeyId,
  decodeCrlReason,
  decodeIssuingDistributionPoint,
} from './extensions.js';
import { type DistinguishedName, readName } from './names.js';

/** One revoked certificate entry. */
export interface RevokedEntry {
  readonly serial: bigint;
  /** CRLReason code when the entry has one (8 = removeFromCRL). */
  readonly reason?: number;
}

/** A CRL, decoded for verification. */
export interface CrlInfo {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly tbsSignatureAlgorithmDer: Uint8Array;
  readonly signatureAlgorithmDer: Uint8Array;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly signature: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly revoked: readonly RevokedEntry[];
  readonly extensions: readonly RawExtension[];
  /** The AKID; `akidInvalid` when present but undecodable or repeated. */
  readonly akid?: AuthorityKeyId;
  readonly akidInvalid: boolean;
  readonly idp?: IssuingDistributionPoint;
  readonly idpInvalid: boolean;
  /** A delta CRL (RFC 5280 §5.2.4); never used as a base CRL. */
  readonly delta: boolean;
  /** A critical CRL or entry extension verification does not handle. */
  readonly unhandledCritical: boolean;
}

function decodeOne<T>(exts: readonly RawExtension[], oid: string, decode: (v: Uint8Array) => T): { value?: T; invalid: boolean } {
  const m = exts.filter((e) => e.oid === oid);
  if (m.length === 0) return { invalid: false };
  if (m.length > 1) return { invalid: true };
  try {
    return { value: decode((m[0] as RawExtension).value), invalid: false };
  } catch {
    return { invalid: true };
  }
}

function readEntry(e: Tlv): { entry: RevokedEntry; unhandledCritical: boolean } {
  const f = children(expectUniversal(e, TAG_SEQUENCE, 'revoked certificate'));
  const serial = integerValue(expectUniversal(f[0], TAG_INTEGER, 'revoked serial').content);
  readTime(f[1], 'revocationDate');
  const exts = f[2] ? readExtensionList(f[2]) : [];
  const reason = decodeOne(exts, OID_CRL_REASON, decodeCrlReason).value;
  const unhandledCritical = exts.some((x) => x.critical && !HANDLED_CRITICAL_CRL_ENTRY_EXTENSIONS.has(x.oid));
  return { entry: reason === undefined ? { serial } : { serial, reason }, unhandledCritical };
}

/** Parses one DER CRL (outer length and trailing bytes as for certificates, see `parseCertInfo`). @throws CertificateError `ERR_CRL_PARSE` */
export function parseCrlInfo(input: Uint8Array, source: string): CrlInfo {
  try {
    const top = readTlv(input, { berOuterLength: true });
    const der = top.raw;
    const [tbsTlv, algTlv, sigTlv, extra] = children(expectUniversal(top, TAG_SEQUENCE, 'CRL'));
    if (!tbsTlv || !algTlv || !sigTlv || extra || !isUniversal(sigTlv, 3)) throw new DerError('der: CRL needs three fields');
    const f = children(expectUniversal(tbsTlv, TAG_SEQUENCE, 'tbsCertList'));
    let i = 0;
    if (isUniversal(f[0], TAG_INTEGER)) i++;
    const tbsAlg = expectUniversal(f[i++], TAG_SEQUENCE, 'signature algorithm');
    const issuer = readName(f[i++], 'issuer');
    const thisUpdate = readTime(f[i++], 'thisUpdate');
    const nextUpdate = isUniversal(f[i], TAG_UTC_TIME) || isUniversal(f[i], TAG_GENERALIZED_TIME) ? readTime(f[i++], 'nextUpdate') : undefined;
    const revoked: RevokedEntry[] = [];
    let unhandledCritical = false;
    if (isUniversal(f[i], TAG_SEQUENCE)) {
      for (const e of children(f[i++] as Tlv)) {
        const r = readEntry(e);
        revoked.push(r.entry);
        unhandledCritical ||= r.unhandledCritical;
      }
    }
    let extensions: RawExtension[] = [];
    if (isContext(f[i], 0)) extensions = readExtensions(f[i++] as Tlv);
    if (i !== f.length) throw new DerError('der: unexpected field in tbsCertList');
    unhandledCritical ||= extensions.some((x) => x.critical && !HANDLED_CRITICAL_CRL_EXTENSIONS.has(x.oid));
    const akid = decodeOne(extensions, OID_AUTHORITY_KEY_IDENTIFIER, decodeAuthorityKeyId);
    const idp = decodeOne(extensions, OID_ISSUING_DISTRIBUTION_POINT, decodeIssuingDistributionPoint);
    return {
      der,
      tbs: tbsTlv.raw,
      tbsSignatureAlgorithmDer: tbsAlg.raw,
      signatureAlgorithmDer: algTlv.raw,
      signatureAlgorithm: readAlgorithmIdentifier(algTlv),
      signature: bitStringBytes(sigTlv),
      issuer,
      thisUpdate,
      ...(nextUpdate ? { nextUpdate } : {}),
      revoked,
      extensions,
      ...(akid.value ? { akid: akid.value } : {}),
      akidInvalid: akid.invalid,
      ...(idp.value ? { idp: idp.value } : {}),
      idpInvalid: idp.invalid,
      delta: extensions.some((x) => x.oid === OID_DELTA_CRL_INDICATOR),
      unhandledCritical,
    };
  } catch (cause) {
    if (cause instanceof CertificateError) throw cause;
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    throw new CertificateError('ERR_CRL_PARSE', `${source}: not a valid CRL${detail}`, { cause });
  }
}
