/**
 * P-521 private keys from files: PKCS#8 (`PRIVATE KEY`), SEC 1 (`EC PRIVATE KEY`), PEM
 * or DER, or a raw big-endian scalar of 66 bytes (or 80 bytes, left-padded with zeros,
 * as the reference's test assets store the customer key).
 *
 * Parsed with asn1js, not node:crypto, so it runs wherever the portable core runs.
 *
 * ```text
 *  PKCS#8 (RFC 5208 §5)                       SEC 1 ECPrivateKey (RFC 5915 §3)
 *  SEQUENCE {                                 SEQUENCE {
 *    INTEGER 0                                  INTEGER 1
 *    SEQUENCE { OID ecPublicKey,                OCTET STRING  d (66 bytes for P-521)
 *               OID secp521r1 }                 [0] OID secp521r1        OPTIONAL
 *    OCTET STRING { ECPrivateKey }              [1] BIT STRING public    OPTIONAL
 *  }                                          }
 * ```
 *
 * @module
 */
import { p521 } from '@noble/curves/nist.js';
import * as asn1js from 'asn1js';
import { decodePem, looksLikePem } from '../certs/pem.js';
import { OID_EC_PUBLIC_KEY, OID_SECP521R1 } from '../certs/x509.js';
import { CryptoError } from '../errors.js';
import { equalBytes } from '../internal/bytes.js';
import { P521_SCALAR_SIZE } from './backend.js';
import { normalizeP521PrivateKey } from './p521.js';

/** Size of a raw scalar left-padded to the wire coordinate size (the reference's test key). */
const RAW_PADDED_SCALAR_SIZE = 80;
/** PEM labels of unencrypted private keys (RFC 7468 §10; SEC 1 / OpenSSL "traditional"). */
const PEM_LABELS = ['PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'];
/** ASN.1 tag class of context-specific tags ([0], [1]). */
const CONTEXT_SPECIFIC = 3;

function fail(source: string, problem: string, cause?: unknown): never {
  throw new CryptoError('ERR_KEY_PARSE', `${source}: ${problem}`, cause === undefined ? undefined : { cause });
}

function oidOf(block: unknown): string | undefined {
  return block instanceof asn1js.ObjectIdentifier ? block.valueBlock.toString() : undefined;
}

function integerOf(block: unknown): number | undefined {
  return block instanceof asn1js.Integer ? block.valueBlock.valueDec : undefined;
}

function sequenceItems(der: Uint8Array, source: string): asn1js.AsnType[] {
  const asn = asn1js.fromBER(der);
  if (asn.offset === -1 || asn.offset !== der.byteLength || !(asn.result instanceof asn1js.Sequence)) {
    fail(source, 'not a DER-encoded private key');
  }
  return asn.result.valueBlock.value;
}

function checkCurve(oid: string | undefined, source: string): void {
  if (oid !== OID_SECP521R1) fail(source, `key is on curve ${oid ?? 'unknown'} (expected secp521r1, ${OID_SECP521R1})`);
}

/** SEC 1 ECPrivateKey → normalised 66-byte scalar, checked against its public key if present. */
function fromSec1(der: Uint8Array, source: string): Uint8Array {
  const items = sequenceItems(der, source);
  if (integerOf(items[0]) !== 1 || !(items[1] instanceof asn1js.OctetString)) {
    fail(source, 'not an EC private key (SEC 1 ECPrivateKey version 1 expected)');
  }
  let publicKey: Uint8Array | undefined;
  for (const item of items.slice(2)) {
    if (item.idBlock.tagClass !== CONTEXT_SPECIFIC || !(item instanceof asn1js.Constructed)) continue;
    const inner = item.valueBlock.value[0];
    if (item.idBlock.tagNumber === 0) checkCurve(oidOf(inner), source);
    if (item.idBlock.tagNumber === 1 && inner instanceof asn1js.BitString) publicKey = new Uint8Array(inner.valueBlock.valueHexView);
  }
  const raw = new Uint8Array(items[1].valueBlock.valueHexView);
  let d: Uint8Array;
  try {
    d = normalizeP521PrivateKey(raw);
  } finally {
    raw.fill(0);
  }
  if (publicKey && !equalBytes(publicKey, p521.getPublicKey(d, false))) {
    d.fill(0);
    fail(source, 'the public key stored with the private key does not belong to it');
  }
  return d;
}

function fromDer(der: Uint8Array, source: string): Uint8Array {
  const items = sequenceItems(der, source);
  const version = integerOf(items[0]);
  if (version === 1) return fromSec1(der, source);
  if (version !== 0 || !(items[1] instanceof asn1js.Sequence) || !(items[2] instanceof asn1js.OctetString)) {
    fail(source, 'not a PKCS#8 or SEC 1 private key');
  }
  const [algorithm, params] = items[1].valueBlock.value;
  const alg = oidOf(algorithm);
  if (alg !== OID_EC_PUBLIC_KEY) fail(source, `not an EC private key (algorithm ${alg ?? 'unknown'})`);
  checkCurve(oidOf(params), source);
  return fromSec1(new Uint8Array(items[2].valueBlock.valueHexView), source);
}

/**
 * The 66-byte private scalar of a P-521 private key file: PKCS#8 or SEC 1, PEM or DER,
 * or a raw scalar of exactly 66 or 80 bytes. Encrypted PKCS#8 is refused.
 *
 * @example
 * ```ts
 * const d = parseP521PrivateKey(await readFile('HKD-host.key')); // 66 bytes
 * ```
 * @throws CryptoError `ERR_KEY_PARSE` (not a P-521 private key), `ERR_INVALID_PRIVATE_KEY`
 *   (scalar out of range)
 */
export function parseP521PrivateKey(bytes: Uint8Array, source = 'private key'): Uint8Array {
  if (!(bytes instanceof Uint8Array)) fail(source, 'expected bytes');
  if (looksLikePem(bytes)) {
    const blocks = decodePem(bytes, PEM_LABELS);
    if (!blocks) fail(source, 'PEM block is not valid base64');
    const block = blocks[0];
    if (!block) fail(source, 'no PRIVATE KEY or EC PRIVATE KEY block in the PEM input');
    if (block.label === 'ENCRYPTED PRIVATE KEY') fail(source, 'encrypted private keys are not supported (decrypt it first, e.g. openssl pkey)');
    try {
      return block.label === 'EC PRIVATE KEY' ? fromSec1(block.der, source) : fromDer(block.der, source);
    } finally {
      for (const b of blocks) b.der.fill(0);
    }
  }
  if (bytes[0] === 0x30) return fromDer(bytes, source);
  if (bytes.length === P521_SCALAR_SIZE || bytes.length === RAW_PADDED_SCALAR_SIZE) return normalizeP521PrivateKey(bytes);
  return fail(
    source,
    `not a P-521 private key (PEM, DER, or a raw scalar of ${P521_SCALAR_SIZE} or ${RAW_PADDED_SCALAR_SIZE} bytes; got ${bytes.length} bytes)`,
  );
}
