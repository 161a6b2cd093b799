/**
 * Distinguished names (RFC 5280 §4.1.2.4), kept structurally: a sequence of RDNs, each
 * a set of (attribute type, ASN.1 string) pairs with the value's raw bytes.
 *
 * Names are compared the way OpenSSL's `X509_NAME_cmp` does (which the reference relies
 * on for every CRL lookup and AKID check): order-sensitive over RDNs; each string value
 * converted to UTF-8, ASCII letters lower-cased, leading/trailing white space removed
 * and inner runs of white space collapsed to one space; PrintableString and UTF8String
 * are therefore equal when their text is. Never compare formatted names as strings.
 *
 * @module
 */
import { toHex } from '../internal/bytes.js';
import { DerError, TAG_SEQUENCE, TAG_SET, type Tlv, children, expectUniversal, readOid, readSingle } from '../internal/der.js';
import { OID_C, OID_CN, OID_EMAIL_ADDRESS, OID_L, OID_O, OID_OU, OID_SERIAL_NUMBER, OID_ST } from '../internal/oids.js';


/** Universal string tags (X.680). */
const TAG_UTF8 = 12;
const TAG_PRINTABLE = 19;
const TAG_T61 = 20;
const TAG_IA5 = 22;
const TAG_VISIBLE = 26;
const TAG_UNIVERSAL = 28;
const TAG_BMP = 30;
/** The string types OpenSSL canonicalises before comparing (its `ASN1_MASK_CANON`). */
const CANON_TAGS = new Set([TAG_UTF8, TAG_PRINTABLE, TAG_T61, TAG_IA5, TAG_VISIBLE, TAG_UNIVERSAL, TAG_BMP]);

/** One attribute of a name: its type, the value's universal tag and raw content bytes. */
export interface NameAttribute {
  readonly type: string;
  readonly tag: number;
  readonly value: Uint8Array;
}

/** A name as a sequence of RDNs (each RDN a set of one or more attributes). */
export interface NameLike {
  readonly rdns: readonly (readonly NameAttribute[])[];
}

/** A decoded name with its DER encoding. */
export interface DistinguishedName extends NameLike {
  readonly der: Uint8Array;
}

/** Decodes a DER Name. @throws DerError */
export function decodeName(der: Uint8Array): DistinguishedName {
  return readName(readSingle(der));
}

/** Reads a Name element (`what` names it in messages). @throws DerError */
export function readName(t: Tlv | undefined, what = 'name'): DistinguishedName {
  const seq = expectUniversal(t, TAG_SEQUENCE, what);
  const rdns = children(seq).map((set) => {
    const attrs = children(expectUniversal(set, TAG_SET, 'relative distinguished name')).map((atv) => {
      const [t, v, extra] = children(expectUniversal(atv, TAG_SEQUENCE, 'attribute'));
      if (!v || extra) throw new DerError('der: attribute must hold a type and a value');
      return { type: readOid(t, 'attribute type'), tag: v.cls === 0 ? v.tag : -1, value: v.content };
    });
    if (attrs.length === 0) throw new DerError('der: empty relative distinguished name');
    return attrs;
  });
  return { rdns, der: seq.raw };
}

/** The number of attributes (a multi-valued RDN counts each member; `X509_NAME_entry_count`). */
export function entryCount(name: NameLike): number {
  return name.rdns.reduce((n, rdn) => n + rdn.length, 0);
}

/** Every attribute in order, RDN boundaries dropped. */
export function attributes(name: NameLike): NameAttribute[] {
  return name.rdns.flat();
}

/** The first attribute of the given type, if any. */
export function firstAttribute(name: NameLike, type: string): NameAttribute | undefined {
  return attributes(name).find((a) => a.type === type);
}

/** The text of a string attribute, or undefined when it is not a decodable string type. */
export function attributeText(a: NameAttribute): string | undefined {
  const v = a.value;
  try {
    switch (a.tag) {
      case TAG_UTF8:
        return new TextDecoder('utf-8', { fatal: true }).decode(v);
      case TAG_PRINTABLE:
      case TAG_IA5:
      case TAG_VISIBLE:
      case TAG_T61: // OpenSSL reads T61String as ISO 8859-1
      case 18: // NumericString
        return latin1(v);
      case TAG_BMP:
        return codeUnits(v, 2);
      case TAG_UNIVERSAL:
        return codeUnits(v, 4);
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

function latin1(v: Uint8Array): string {
  let s = '';
  for (const b of v) s += String.fromCharCode(b);
  return s;
}

function codeUnits(v: Uint8Array, width: 2 | 4): string {
  if (v.length % width !== 0) throw new DerError('der: string length is not a multiple of its character size');
  let s = '';
  for (let i = 0; i < v.length; i += width) {
    let cp = 0;
    for (let j = 0; j < width; j++) cp = cp * 256 + (v[i + j] as number);
    if (width === 2 && cp >= 0xd800 && cp <= 0xdfff) throw new DerError('der: surrogates in BMPString');
    s += String.fromCodePoint(cp);
  }
  return s;
}

/** OpenSSL's canonical form of one string value (`asn1_string_canon`). */
export function canonicalText(text: string): string {
  let s = text.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
  s = s.replace(/[ \t\n\v\f\r]+/g, ' ');
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function attributeKey(a: NameAttribute): string {
  if (CANON_TAGS.has(a.tag)) {
    const text = attributeText(a);
    // A value that does not convert makes OpenSSL's comparison fail; keep it distinct.
    if (text === undefined) return `${a.type}\u0001!${a.tag}:${toHex(a.value)}`;
    return `${a.type}\u0001${canonicalText(text)}`;
  }
  return `${a.type}\u0001#${a.tag}:${toHex(a.value)}`;
}

/** A string that is equal for two names exactly when OpenSSL considers them equal. */
export function canonicalNameKey(name: NameLike): string {
  // Members of one RDN are a SET: their order does not matter.
  return name.rdns.map((rdn) => rdn.map(attributeKey).sort().join('\u0002')).join('\u0000');
}

/** OpenSSL `X509_NAME_cmp(a, b) == 0`. */
export function namesEqual(a: NameLike, b: NameLike): boolean {
  return canonicalNameKey(a) === canonicalNameKey(b);
}

const SHORT_NAMES: Record<string, string> = {
  [OID_C]: 'C',
  [OID_ST]: 'ST',
  [OID_L]: 'L',
  [OID_O]: 'O',
  [OID_OU]: 'OU',
  [OID_CN]: 'CN',
  [OID_SERIAL_NUMBER]: 'serialNumber',
  [OID_EMAIL_ADDRESS]: 'emailAddress',
};

/** A one-line form such as `C=US, O=…, CN=…` — for messages only, never for comparing. */
export function formatName(name: NameLike): string {
  if (name.rdns.length === 0) return '(empty name)';
  return name.rdns
    .map((rdn) => rdn.map((a) => `${SHORT_NAMES[a.type] ?? a.type}=${attributeText(a) ?? `#${toHex(a.value)}`}`).join(' + '))
    .join(', ');
}
