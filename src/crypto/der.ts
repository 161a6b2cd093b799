/**
 * Small, strict views over asn1js for the few DER structures the crypto boundary reads
 * (private keys, RSA public keys, ECDSA signatures). Every helper returns `undefined`
 * on anything unexpected; callers turn that into their own typed error.
 *
 * @module
 */
import * as asn1js from 'asn1js';

/** Decodes one DER object that must span the whole input. */
export function parseDer(bytes: Uint8Array): asn1js.AsnType | undefined {
  if (bytes.length === 0) return undefined;
  try {
    const asn = asn1js.fromBER(bytes);
    if (asn.offset === -1 || asn.offset !== bytes.byteLength || asn.result.error) return undefined;
    return asn.result;
  } catch {
    return undefined;
  }
}

/** The children of a SEQUENCE. */
export function sequence(node: unknown): asn1js.AsnType[] | undefined {
  return node instanceof asn1js.Sequence ? (node.valueBlock.value as asn1js.AsnType[]) : undefined;
}

/** The magnitude of a non-negative INTEGER, leading zero bytes removed (at least one byte). */
export function unsignedInteger(node: unknown): Uint8Array | undefined {
  if (!(node instanceof asn1js.Integer)) return undefined;
  const v = node.valueBlock.valueHexView;
  if (v.length === 0 || ((v[0] as number) & 0x80) !== 0) return undefined;
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return v.slice(i);
}

/** A small INTEGER as a number (versions). */
export function smallInteger(node: unknown): number | undefined {
  const v = unsignedInteger(node);
  if (!v || v.length > 4) return undefined;
  let n = 0;
  for (const b of v) n = n * 256 + b;
  return n;
}

export function objectIdentifier(node: unknown): string | undefined {
  return node instanceof asn1js.ObjectIdentifier ? node.valueBlock.toString() : undefined;
}

/** The contents of a primitive OCTET STRING. */
export function octetString(node: unknown): Uint8Array | undefined {
  if (!(node instanceof asn1js.OctetString) || node.idBlock.isConstructed) return undefined;
  return node.valueBlock.valueHexView.slice();
}

/** The contents of a BIT STRING without unused bits. */
export function bitString(node: unknown): Uint8Array | undefined {
  if (!(node instanceof asn1js.BitString) || node.idBlock.isConstructed) return undefined;
  if (node.valueBlock.unusedBits !== 0) return undefined;
  return node.valueBlock.valueHexView.slice();
}

/** The children of an explicit context-specific tag `[n]`. */
export function explicitTag(node: unknown, n: number): asn1js.AsnType[] | undefined {
  if (!(node instanceof asn1js.BaseBlock)) return undefined;
  const id = node.idBlock;
  if (id.tagClass !== 3 || id.tagNumber !== n || !id.isConstructed) return undefined;
  return (node as asn1js.Constructed).valueBlock.value as asn1js.AsnType[];
}

/** True for an ASN.1 NULL. */
export function isNull(node: unknown): boolean {
  return node instanceof asn1js.Null;
}
