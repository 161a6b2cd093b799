/**
 * The X.509 extensions verification looks at (RFC 5280 §4.2, §5.2), decoded from their
 * raw DER values. Each decoder throws {@link DerError} on a malformed value; callers
 * decide whether that is fatal (chain certificates) or ignored (the reference skips an
 * undecodable AKID on a host-key document).
 *
 * @module
 */
import { toHex } from '../internal/bytes.js';
import {
  DerError,
  TAG_BOOLEAN,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_SEQUENCE,
  bitIsSet,
  children,
  expectUniversal,
  integerValue,
  isContext,
  isUniversal,
  readSingle,
  readTlv,
  type Tlv,
} from '../internal/der.js';
import {
  OID_AS_IDENTIFIERS,
  OID_AUTHORITY_KEY_IDENTIFIER,
  OID_BASIC_CONSTRAINTS,
  OID_CERTIFICATE_ISSUER,
  OID_CERTIFICATE_POLICIES,
  OID_DELTA_CRL_INDICATOR,
  OID_EXT_KEY_USAGE,
  OID_INHIBIT_ANY_POLICY,
  OID_IP_ADDR_BLOCKS,
  OID_ISSUING_DISTRIBUTION_POINT,
  OID_KEY_USAGE,
  OID_NAME_CONSTRAINTS,
  OID_NETSCAPE_CERT_TYPE,
  OID_POLICY_CONSTRAINTS,
  OID_POLICY_MAPPINGS,
  OID_PROXY_CERT_INFO,
  OID_SUBJECT_ALT_NAME,
  OID_TLS_FEATURE,
} from '../internal/oids.js';
import { type DistinguishedName, readName } from './names.js';

/**
 * Certificate extensions a verifier may accept as critical: those OpenSSL handles
 * (`X509_supported_extension`); any other critical extension fails the chain.
 */
export const HANDLED_CRITICAL_CERT_EXTENSIONS: ReadonlySet<string> = new Set([
  OID_NETSCAPE_CERT_TYPE,
  OID_KEY_USAGE,
  OID_SUBJECT_ALT_NAME,
  OID_BASIC_CONSTRAINTS,
  OID_CERTIFICATE_POLICIES,
  OID_EXT_KEY_USAGE,
  OID_IP_ADDR_BLOCKS,
  OID_AS_IDENTIFIERS,
  OID_POLICY_CONSTRAINTS,
  OID_PROXY_CERT_INFO,
  OID_NAME_CONSTRAINTS,
  OID_POLICY_MAPPINGS,
  OID_INHIBIT_ANY_POLICY,
  OID_TLS_FEATURE,
]);

/** CRL extensions that may be critical (OpenSSL handles these; others make a CRL unusable). */
export const HANDLED_CRITICAL_CRL_EXTENSIONS: ReadonlySet<string> = new Set([
  OID_ISSUING_DISTRIBUTION_POINT,
  OID_AUTHORITY_KEY_IDENTIFIER,
  OID_DELTA_CRL_INDICATOR,
]);
/** CRL entry extensions that may be critical. */
export const HANDLED_CRITICAL_CRL_ENTRY_EXTENSIONS: ReadonlySet<string> = new Set([OID_CERTIFICATE_ISSUER]);

/** Key usage bits (RFC 5280 §4.2.1.3). */
export const KU_DIGITAL_SIGNATURE = 0;
export const KU_KEY_CERT_SIGN = 5;
export const KU_CRL_SIGN = 6;

/** CRL reason code removeFromCRL (RFC 5280 §5.3.1). */
export const REASON_REMOVE_FROM_CRL = 8;

/** One extension as found: OID, criticality and the raw value. */
export interface RawExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/** Authority key identifier (RFC 5280 §4.2.1.1). */
export interface AuthorityKeyId {
  readonly keyId?: Uint8Array;
  /** The first directoryName of authorityCertIssuer, if any. */
  readonly issuerName?: DistinguishedName;
  readonly hasIssuer: boolean;
  /** authorityCertSerialNumber as a number. */
  readonly serial?: bigint;
}

/** Basic constraints (RFC 5280 §4.2.1.9). */
export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLen?: number;
}

/** Issuing distribution point of a CRL (RFC 5280 §5.2.5). */
export interface IssuingDistributionPoint {
  /** The distribution point name, when present. */
  readonly point?: Pick<DistributionPointNames, 'fullNames' | 'uris' | 'relativeName'>;
  readonly onlyUserCerts: boolean;
  readonly onlyCaCerts: boolean;
  readonly onlySomeReasons: boolean;
  readonly indirectCrl: boolean;
  readonly onlyAttributeCerts: boolean;
}

/** Decodes an AuthorityKeyIdentifier value. @throws DerError */
export function decodeAuthorityKeyId(value: Uint8Array): AuthorityKeyId {
  const seq = expectUniversal(readSingle(value), TAG_SEQUENCE, 'authority key identifier');
  let keyId: Uint8Array | undefined;
  let issuerName: DistinguishedName | undefined;
  let hasIssuer = false;
  let serial: bigint | undefined;
  for (const c of children(seq)) {
    if (isContext(c, 0) && !c.constructed) keyId = c.content;
    else if (isContext(c, 1) && c.constructed) {
      hasIssuer = true;
      const dir = children(c).find((g) => isContext(g, 4) && g.constructed);
      if (dir && !issuerName) {
        const [inner] = children(dir);
        if (!inner) throw new DerError('der: empty directoryName');
        issuerName = readName(inner);
      }
    } else if (isContext(c, 2) && !c.constructed) serial = integerValue(c.content);
    else throw new DerError('der: unexpected field in authority key identifier');
  }
  return {
    hasIssuer,
    ...(keyId ? { keyId } : {}),
    ...(issuerName ? { issuerName } : {}),
    ...(serial !== undefined ? { serial } : {}),
  };
}

/** Decodes a SubjectKeyIdentifier value. @throws DerError */
export function decodeSubjectKeyId(value: Uint8Array): Uint8Array {
  return expectUniversal(readSingle(value), TAG_OCTET_STRING, 'subject key identifier').content;
}

/** Decodes a BasicConstraints value. @throws DerError */
export function decodeBasicConstraints(value: Uint8Array): BasicConstraints {
  const items = children(expectUniversal(readSingle(value), TAG_SEQUENCE, 'basic constraints'));
  let i = 0;
  let ca = false;
  if (isUniversal(items[i], TAG_BOOLEAN)) ca = (items[i++] as Tlv).content[0] !== 0;
  let pathLen: number | undefined;
  if (isUniversal(items[i], TAG_INTEGER)) {
    const n = integerValue((items[i++] as Tlv).content);
    if (n < 0n) throw new DerError('der: negative path length');
    pathLen = n > 1_000_000n ? 1_000_000 : Number(n);
  }
  if (i !== items.length) throw new DerError('der: unexpected field in basic constraints');
  return pathLen === undefined ? { ca } : { ca, pathLen };
}

/** Decodes a KeyUsage value into a bit test. @throws DerError */
export function decodeKeyUsage(value: Uint8Array): (bit: number) => boolean {
  const bits = readSingle(value);
  if (!isUniversal(bits, 3)) throw new DerError('der: key usage is not a bit string');
  return (bit) => bitIsSet(bits, bit);
}

/** One distribution point's names, as far as CRL selection needs them. */
export interface DistributionPointNames {
  /** The fullName GeneralNames, each as the hex of its DER (compared exactly). */
  readonly fullNames?: readonly string[];
  /** The URIs among fullName, in order. */
  readonly uris: readonly string[];
  /** The point is named relative to the CRL issuer (not supported for matching). */
  readonly relativeName: boolean;
  /** cRLIssuer directory names, when the field is present (RFC 5280 §4.2.1.13). */
  readonly crlIssuerNames?: readonly DistinguishedName[];
}

/** A DistributionPointName `[0]`/`[1]` choice → names. */
function pointName(choice: Tlv | undefined): Pick<DistributionPointNames, 'fullNames' | 'uris' | 'relativeName'> {
  if (choice && isContext(choice, 0) && choice.constructed) {
    const names = children(choice);
    const uris: string[] = [];
    for (const g of names) {
      // uniformResourceIdentifier is `[6] IA5String`
      if (isContext(g, 6) && !g.constructed) uris.push(String.fromCharCode(...g.content));
    }
    return { fullNames: names.map((g) => toHex(g.raw)), uris, relativeName: false };
  }
  return { uris: [], relativeName: choice !== undefined && isContext(choice, 1) };
}

/** Decodes CRLDistributionPoints (RFC 5280 §4.2.1.13). @throws DerError */
export function decodeCrlDistributionPoints(value: Uint8Array): DistributionPointNames[] {
  return children(expectUniversal(readSingle(value), TAG_SEQUENCE, 'CRL distribution points')).map((dp) => {
    const fields = children(expectUniversal(dp, TAG_SEQUENCE, 'distribution point'));
    const nameField = fields.find((f) => isContext(f, 0));
    const issuerField = fields.find((f) => isContext(f, 2));
    const names = nameField ? pointName(children(nameField)[0]) : { uris: [], relativeName: false };
    if (!issuerField) return names;
    const crlIssuerNames = children(issuerField)
      .filter((g) => isContext(g, 4) && g.constructed)
      .map((g) => readName(children(g)[0]));
    return { ...names, crlIssuerNames };
  });
}

/**
 * The CRL distribution point URIs of a certificate, in order: for each point with a
 * fullName, each of its URIs (s390-tools `x509_dist_points`).
 */
export function distributionPointUris(points: readonly DistributionPointNames[]): string[] {
  return points.flatMap((p) => p.uris);
}

/** Decodes an IssuingDistributionPoint value (RFC 5280 §5.2.5). @throws DerError */
export function decodeIssuingDistributionPoint(value: Uint8Array): IssuingDistributionPoint {
  let point: IssuingDistributionPoint['point'];
  const flags = [false, false, false, false, false, false];
  let onlySomeReasons = false;
  for (const f of children(expectUniversal(readSingle(value), TAG_SEQUENCE, 'issuing distribution point'))) {
    if (f.cls !== 2 || f.tag > 5) throw new DerError('der: unexpected field in issuing distribution point');
    if (f.tag === 0) point = pointName(children(f)[0]);
    else if (f.tag === 3) onlySomeReasons = true;
    else flags[f.tag] = f.content.length === 1 && f.content[0] !== 0;
  }
  return {
    ...(point ? { point } : {}),
    onlyUserCerts: flags[1] as boolean,
    onlyCaCerts: flags[2] as boolean,
    onlySomeReasons,
    indirectCrl: flags[4] as boolean,
    onlyAttributeCerts: flags[5] as boolean,
  };
}

/** Decodes a CRLReason entry extension (an ENUMERATED). @throws DerError */
export function decodeCrlReason(value: Uint8Array): number {
  const t = readTlv(value);
  if (!isUniversal(t, 0x0a) || t.content.length !== 1) throw new DerError('der: bad CRL reason');
  return t.content[0] as number;
}
