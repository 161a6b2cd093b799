/**
 * IBM's distinguished-name quirks, in one place.
 *
 * - Which certificate is the IBM Z host-key signing key: a subject of exactly six
 *   attributes C=US, ST=New York, L=Poughkeepsie or Armonk, O and CN = International
 *   Business Machines Corporation, and an OU ending in "Key Signing Service"
 *   (s390-tools `rust/pv/src/verify/helper.rs`, `is_ibm_signing_cert`).
 * - Where its CRLs are found: IBM's CRLs name their issuer with the attributes in the
 *   order C, O, OU, L, ST, CN, and IBM moved the locality between Armonk and
 *   Poughkeepsie, so the lookup tries up to four names (`quirk_crls`,
 *   `armonk_locality_fixup`, `reorder_x509_names` there; s390-tools 2.32 changelog).
 *
 * @module
 */
import { OID_C, OID_CN, OID_L, OID_O, OID_OU, OID_ST } from '../internal/oids.js';
import { type NameAttribute, type NameLike, attributeText, attributes, entryCount, firstAttribute } from './names.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The values a signing key's subject must carry, compared byte for byte as stored. */
const IBM_COUNTRY = ascii('US');
const IBM_STATE = ascii('New York');
const IBM_LOCALITY_POUGHKEEPSIE = ascii('Poughkeepsie');
const IBM_LOCALITY_ARMONK = ascii('Armonk');
const IBM_ORGANIZATION = ascii('International Business Machines Corporation');
const IBM_COMMON_NAME = ascii('International Business Machines Corporation');
/** The OU must end with this text (after conversion to UTF-8). */
export const IBM_SIGNING_OU_SUFFIX = 'Key Signing Service';
/** The number of attributes of a signing key's subject. */
export const IBM_SIGNING_SUBJECT_ENTRIES = 6;
/** The attribute order of IBM's CRL issuer names. */
const CRL_ATTRIBUTE_ORDER = [OID_C, OID_O, OID_OU, OID_L, OID_ST, OID_CN] as const;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function firstValueIs(name: NameLike, type: string, ...expected: Uint8Array[]): boolean {
  const a = firstAttribute(name, type);
  return a !== undefined && expected.some((e) => sameBytes(a.value, e));
}

/**
 * Whether a subject is an IBM Z host-key signing key's: exactly six attributes; the
 * first C, ST, L, O and CN hold exactly the expected bytes (any string type, no
 * normalisation); the first OU, as text, ends with "Key Signing Service". Attribute
 * order does not matter.
 */
export function isIbmSigningKeySubject(subject: NameLike): boolean {
  if (entryCount(subject) !== IBM_SIGNING_SUBJECT_ENTRIES) return false;
  if (!firstValueIs(subject, OID_C, IBM_COUNTRY)) return false;
  if (!firstValueIs(subject, OID_ST, IBM_STATE)) return false;
  if (!firstValueIs(subject, OID_L, IBM_LOCALITY_POUGHKEEPSIE, IBM_LOCALITY_ARMONK)) return false;
  if (!firstValueIs(subject, OID_O, IBM_ORGANIZATION)) return false;
  if (!firstValueIs(subject, OID_CN, IBM_COMMON_NAME)) return false;
  const ou = firstAttribute(subject, OID_OU);
  return (ou && attributeText(ou))?.endsWith(IBM_SIGNING_OU_SUFFIX) === true;
}

/**
 * The subject with every L replaced by Poughkeepsie, when its first L is exactly
 * "Armonk"; otherwise undefined. Each attribute becomes its own RDN.
 */
export function armonkToPoughkeepsie(subject: NameLike): NameLike | undefined {
  if (!firstValueIs(subject, OID_L, IBM_LOCALITY_ARMONK)) return undefined;
  const poughkeepsie: NameAttribute = { type: OID_L, tag: 12, value: IBM_LOCALITY_POUGHKEEPSIE };
  return { rdns: attributes(subject).map((a) => [a.type === OID_L ? poughkeepsie : a]) };
}

/**
 * The first C, O, OU, L, ST and CN of a name, in that order, each its own RDN; every
 * other attribute is dropped.
 */
export function reorderForCrl(name: NameLike): NameLike {
  const rdns: NameAttribute[][] = [];
  for (const type of CRL_ATTRIBUTE_ORDER) {
    const a = firstAttribute(name, type);
    if (a) rdns.push([a]);
  }
  return { rdns };
}

/**
 * The issuer names under which the signing key's CRLs are looked up, in order; the
 * lookup stops at the first name that finds any CRL:
 * 1. the subject itself;
 * 2. (first L is Armonk) the subject with L=Poughkeepsie;
 * 3. (first L is Armonk) that name reordered C, O, OU, L, ST, CN;
 * 4. the subject reordered C, O, OU, L, ST, CN.
 */
export function signingKeyCrlIssuerNames(subject: NameLike): NameLike[] {
  const names: NameLike[] = [subject];
  const poughkeepsie = armonkToPoughkeepsie(subject);
  if (poughkeepsie) names.push(poughkeepsie, reorderForCrl(poughkeepsie));
  names.push(reorderForCrl(subject));
  return names;
}

/**
 * A name with IBM's quirks taken out (Armonk read as Poughkeepsie, CRL attribute order),
 * to tell "issued by another name" from "bad signature" in messages.
 */
export function ibmNormalizedName(name: NameLike): NameLike {
  return reorderForCrl(armonkToPoughkeepsie(name) ?? name);
}
