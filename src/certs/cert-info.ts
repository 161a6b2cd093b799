/**
 * The certificate of se-secrets: every path that reads a certificate (verification,
 * `verify: false`, `parseCertificates`, the CLI, the page) gets this one type from this
 * one parser (files are framed by `inputs.ts`). The fields are read from the original
 * DER (RFC 5280 §4.1) through the shared DER layer (`src/internal/der.ts`: asn1js, plus
 * the DER length rules), so nothing is re-encoded; asn1js also decodes the times. The
 * field structure is checked about as leniently as OpenSSL's parser (which the
 * reference relies on) checks it. The outer length is read as OpenSSL reads it (a
 * non-minimal one is fine) and bytes after the certificate are ignored; inside, lengths
 * must be DER, which OpenSSL does not insist on.
 *
 * pkijs is not used: verification needs the exact bytes of almost every field
 * (tbsCertificate, both algorithm identifiers, names, SPKI, extension values), and
 * CRLs cannot go through pkijs (see `crl-info.ts`), so both are read from the same
 * asn1js tree in the same way.
 *
 * ```text
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
 * TBSCertificate ::= SEQUENCE {
 *   [0] version  EXPLICIT OPTIONAL   serialNumber INTEGER     signature AlgorithmIdentifier
 *   issuer Name   validity SEQUENCE { notBefore, notAfter }   subject Name
 *   subjectPublicKeyInfo   [1] issuerUID   [2] subjectUID   [3] extensions EXPLICIT }
 * ```
 *
 * @module
 */
import { CertificateError } from '../errors.js';
import { toHex } from '../internal/bytes.js';
import { readAlgorithmIdentifier, type SignatureAlgorithm } from '../crypto/x509-signature.js';
import {
  DerError,
  TAG_BOOLEAN,
  TAG_GENERALIZED_TIME,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_SEQUENCE,
  TAG_UTC_TIME,
  bitStringBytes,
  children,
  expectUniversal,
  integerValue,
  isContext,
  isUniversal,
  readOid,
  readTlv,
  type Tlv,
} from '../internal/der.js';
import { OID_AUTHORITY_KEY_IDENTIFIER, OID_BASIC_CONSTRAINTS, OID_CRL_DISTRIBUTION_POINTS, OID_KEY_USAGE, OID_SUBJECT_KEY_IDENTIFIER } from '../internal/oids.js';
import {
  type AuthorityKeyId,
  type BasicConstraints,
  type RawExtension,
  decodeAuthorityKeyId,
  decodeBasicConstraints,
  decodeCrlDistributionPoints,
  type DistributionPointNames,
  distributionPointUris,
  decodeKeyUsage,
  decodeSubjectKeyId,
} from './extensions.js';
import { type DistinguishedName, readName } from './names.js';
import { type PublicKeyFacts, readPublicKey } from '../crypto/public-key.js';

/** A certificate, decoded for verification. */
export interface CertInfo {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  /** 1, 2 or 3. */
  readonly version: number;
  readonly serial: bigint;
  /** The serial's contents bytes in hex, for messages. */
  readonly serialHex: string;
  /** The algorithm inside the signed part and the outer one, raw DER (must be equal). */
  readonly tbsSignatureAlgorithmDer: Uint8Array;
  readonly signatureAlgorithmDer: Uint8Array;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly signature: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: PublicKeyFacts;
  readonly extensions: readonly RawExtension[];
  /** Decoded extensions; `invalidExtensions` lists OIDs that failed to decode or repeat. */
  readonly akid?: AuthorityKeyId;
  readonly skid?: Uint8Array;
  readonly basicConstraints?: BasicConstraints;
  readonly keyUsage?: (bit: number) => boolean;
  readonly crlDistributionPoints: readonly DistributionPointNames[];
  /** The URIs of the distribution points' full names, in order. */
  readonly crlDistributionPointUris: readonly string[];
  readonly invalidExtensions: readonly string[];
}

/**
 * Decodes a UTCTime (`YYMMDDHHMMSSZ`, years 1950–2049) or GeneralizedTime
 * (`YYYYMMDDHHMMSSZ`) element in the forms RFC 5280 §4.1.2.5 allows: UTC, with seconds,
 * no fractions. Anything else — a missing `Z`, month 13, February 30 — is refused rather
 * than rolled over. @throws DerError
 */
export function readTime(t: Tlv | undefined, what: string): Date {
  if (!isUniversal(t, TAG_UTC_TIME) && !isUniversal(t, TAG_GENERALIZED_TIME)) throw new DerError(`der: ${what} is not a time`);
  const text = String.fromCharCode(...t.content);
  const m = isUniversal(t, TAG_UTC_TIME) ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new DerError(`der: ${what} is not a valid RFC 5280 time (got ${JSON.stringify(text.slice(0, 20))})`);
  const [yy, mo, dd, hh, mi, ss] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const year = m[1]?.length === 2 ? (yy >= 50 ? 1900 + yy : 2000 + yy) : yy;
  const d = new Date(Date.UTC(2000, mo - 1, dd, hh, mi, ss));
  d.setUTCFullYear(year, mo - 1, dd); // Date.UTC maps years 0–99 to 1900–1999
  const same =
    d.getUTCFullYear() === year && d.getUTCMonth() === mo - 1 && d.getUTCDate() === dd && d.getUTCHours() === hh && d.getUTCMinutes() === mi && d.getUTCSeconds() === ss;
  if (!same) throw new DerError(`der: ${what} is not a valid time (${text})`);
  return d;
}

/** Reads `[3] EXPLICIT Extensions` (also used for CRLs' `[0]`). @throws DerError */
export function readExtensions(wrapper: Tlv): RawExtension[] {
  const [seq, extra] = children(wrapper);
  if (extra) throw new DerError('der: extensions wrapper holds more than one element');
  return readExtensionList(seq);
}

/** Reads `Extensions ::= SEQUENCE OF Extension`. @throws DerError */
export function readExtensionList(seq: Tlv | undefined): RawExtension[] {
  return children(expectUniversal(seq, TAG_SEQUENCE, 'extensions')).map((e) => {
    const f = children(expectUniversal(e, TAG_SEQUENCE, 'extension'));
    const oid = readOid(f[0], 'extension id');
    const critical = isUniversal(f[1], TAG_BOOLEAN) ? f[1].content[0] !== 0 : false;
    const value = expectUniversal(f[f.length - 1], TAG_OCTET_STRING, 'extension value').content;
    return { oid, critical, value };
  });
}

/** Decodes the extensions verification uses, noting undecodable and repeated ones. */
function decodeKnown(exts: readonly RawExtension[]) {
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const e of exts) {
    if (seen.has(e.oid)) invalid.push(e.oid);
    seen.add(e.oid);
  }
  const one = <T>(oid: string, decode: (v: Uint8Array) => T): T | undefined => {
    const matches = exts.filter((e) => e.oid === oid);
    if (matches.length !== 1) return undefined;
    try {
      return decode((matches[0] as RawExtension).value);
    } catch {
      invalid.push(oid);
      return undefined;
    }
  };
  const akid = one(OID_AUTHORITY_KEY_IDENTIFIER, decodeAuthorityKeyId);
  const skid = one(OID_SUBJECT_KEY_IDENTIFIER, decodeSubjectKeyId);
  const basicConstraints = one(OID_BASIC_CONSTRAINTS, decodeBasicConstraints);
  const keyUsage = one(OID_KEY_USAGE, decodeKeyUsage);
  const crlDistributionPoints = one(OID_CRL_DISTRIBUTION_POINTS, decodeCrlDistributionPoints) ?? [];
  return {
    ...(akid ? { akid } : {}),
    ...(skid ? { skid } : {}),
    ...(basicConstraints ? { basicConstraints } : {}),
    ...(keyUsage ? { keyUsage } : {}),
    crlDistributionPoints,
    crlDistributionPointUris: distributionPointUris(crlDistributionPoints),
    invalidExtensions: invalid,
  };
}

/** Parses one DER certificate (its outer length and trailing bytes after it read as OpenSSL's `d2i_X509` reads them). @throws CertificateError `ERR_CERT_PARSE` */
export function parseCertInfo(input: Uint8Array, source: string): CertInfo {
  try {
    const top = readTlv(input, { berOuterLength: true });
    const der = top.raw;
    const [tbsTlv, algTlv, sigTlv, extra] = children(expectUniversal(top, TAG_SEQUENCE, 'certificate'));
    if (!tbsTlv || !algTlv || !sigTlv || extra || !isUniversal(sigTlv, 3)) throw new DerError('der: certificate needs three fields');
    const f = children(expectUniversal(tbsTlv, TAG_SEQUENCE, 'tbsCertificate'));
    let i = 0;
    let version = 1;
    if (isContext(f[0], 0)) {
      version = Number(integerValue(expectUniversal(children(f[i++] as Tlv)[0], TAG_INTEGER, 'version').content)) + 1;
    }
    const serialTlv = expectUniversal(f[i++], TAG_INTEGER, 'serial number');
    const tbsAlg = expectUniversal(f[i++], TAG_SEQUENCE, 'signature algorithm');
    const issuer = readName(f[i++], 'issuer');
    const [nb, na] = children(expectUniversal(f[i++], TAG_SEQUENCE, 'validity'));
    const notBefore = readTime(nb, 'notBefore');
    const notAfter = readTime(na, 'notAfter');
    const subject = readName(f[i++], 'subject');
    const spki = expectUniversal(f[i++], TAG_SEQUENCE, 'subject public key info');
    let extensions: RawExtension[] = [];
    for (; i < f.length; i++) if (isContext(f[i], 3)) extensions = readExtensions(f[i] as Tlv);
    return {
      der,
      tbs: tbsTlv.raw,
      version,
      serial: integerValue(serialTlv.content),
      serialHex: toHex(serialTlv.content),
      tbsSignatureAlgorithmDer: tbsAlg.raw,
      signatureAlgorithmDer: algTlv.raw,
      signatureAlgorithm: readAlgorithmIdentifier(algTlv),
      signature: bitStringBytes(sigTlv),
      issuer,
      subject,
      notBefore,
      notAfter,
      publicKey: readPublicKey(spki),
      extensions,
      ...decodeKnown(extensions),
    };
  } catch (cause) {
    if (cause instanceof CertificateError) throw cause;
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    throw new CertificateError('ERR_CERT_PARSE', `${source}: not a valid X.509 certificate${detail}`, { cause });
  }
}

