/**
 * Private keys as pvsecret reads them (OpenSSL `d2i_AutoPrivateKey`, then
 * `PEM_read_bio_PrivateKey`): DER or PEM, PKCS#8 (`PRIVATE KEY`, RFC 5208/5958),
 * SEC 1 (`EC PRIVATE KEY`, RFC 5915) or PKCS#1 (`RSA PRIVATE KEY`, RFC 8017 A.1.2).
 * In PEM text the first private-key block wins; other blocks (for example the
 * `EC PARAMETERS` that `openssl ecparam -genkey` writes first) are skipped.
 *
 * Not accepted: encrypted PKCS#8 (pvsecret would prompt for a passphrase on the
 * terminal), EC keys with explicit curve parameters, multi-prime RSA keys.
 *
 * @module
 */
import {
  OID_DH,
  OID_DSA,
  OID_EC_PUBLIC_KEY,
  OID_ED25519,
  OID_ED448,
  OID_RSASSA_PSS,
  OID_RSA_ENCRYPTION,
  OID_X25519,
  OID_X448,
  OID_P192,
  OID_P224,
  OID_P256,
  OID_P384,
  OID_P521,
  OID_SECP256K1,
  OID_BRAINPOOL_P256R1,
  OID_BRAINPOOL_P384R1,
  OID_BRAINPOOL_P512R1,
} from '../internal/oids.js';
import { type PemBlock, PemError, looksLikePem, pemBlocks } from '../internal/pem.js';
import { CryptoError, InputError } from '../errors.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { copyBytes } from '../internal/bytes.js';
import {
  BER,
  DerError,
  TAG_BIT_STRING,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
  type Tlv,
  bitStringBytes,
  children,
  expectUniversal,
  integerValue,
  isContext,
  isUniversal,
  orUndefined,
  readOid,
  readSingle,
  unsignedInteger,
} from '../internal/der.js';

/** The curves a retrievable EC secret or a user-signing key may use. */
export type EcCurve = 'P-256' | 'P-384' | 'P-521';

/** Named curves by OID, with OpenSSL's long names (used in messages). */
const CURVES: Record<string, { name: string; curve?: EcCurve }> = {
  [OID_P256]: { name: 'prime256v1', curve: 'P-256' },
  [OID_P384]: { name: 'secp384r1', curve: 'P-384' },
  [OID_P521]: { name: 'secp521r1', curve: 'P-521' },
  [OID_SECP256K1]: { name: 'secp256k1' },
  [OID_P224]: { name: 'secp224r1' },
  [OID_P192]: { name: 'prime192v1' },
  [OID_BRAINPOOL_P256R1]: { name: 'brainpoolP256r1' },
  [OID_BRAINPOOL_P384R1]: { name: 'brainpoolP384r1' },
  [OID_BRAINPOOL_P512R1]: { name: 'brainpoolP512r1' },
};

/** Other key algorithms, named for messages. */
const OTHER_ALGORITHMS: Record<string, string> = {
  [OID_RSASSA_PSS]: 'rsassa-pss',
  [OID_X25519]: 'x25519',
  [OID_X448]: 'x448',
  [OID_DSA]: 'dsa',
  [OID_DH]: 'dh',
};

/** Size in bytes of the scalar range of each curve (SEC 2). */
const SCALAR_SIZE: Record<EcCurve, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };
/**
 * Order n of each curve's base point (SEC 2 v2 §2.4.2, §2.5.1, §2.6.1): a private scalar
 * d is valid when 1 ≤ d < n. Written out instead of taken from @noble/curves so that
 * reading a key does not bundle the P-256 and P-384 curves (test/private-key.test.ts
 * compares them with noble's).
 */
export const CURVE_ORDER: Record<EcCurve, bigint> = {
  'P-256': 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  'P-384': 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  'P-521': 0x1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
};
/** Raw private key sizes of the Edwards curves (RFC 8032 §5.1.5, §5.2.5). */
const EDWARDS_SIZE = { ed25519: 32, ed448: 57 } as const;

/** An elliptic-curve (Weierstrass) private key. */
export interface EcPrivateKeyInfo {
  readonly kind: 'ec';
  /** Set for the curves se-secrets supports. */
  readonly curve?: EcCurve;
  /** OpenSSL's long name of the curve (or its OID), for messages. */
  readonly curveName: string;
  /** The private scalar, big-endian, without leading zero bytes. Confidential. */
  readonly scalar: Uint8Array;
}

/** An Edwards-curve private key (RFC 8410). */
export interface EdwardsPrivateKeyInfo {
  readonly kind: 'ed25519' | 'ed448';
  /** The raw private key: 32 bytes (Ed25519) or 57 bytes (Ed448). Confidential. */
  readonly privateKey: Uint8Array;
}

/** The integers of an RSA private key (RFC 8017 A.1.2), big-endian. Confidential. */
export interface RsaPrivateComponents {
  readonly n: Uint8Array;
  readonly e: Uint8Array;
  readonly d: Uint8Array;
  readonly p: Uint8Array;
  readonly q: Uint8Array;
  readonly dp: Uint8Array;
  readonly dq: Uint8Array;
  readonly qi: Uint8Array;
}

export interface RsaPrivateKeyInfo {
  readonly kind: 'rsa';
  /** Size of the modulus in bits. */
  readonly modulusBits: number;
  readonly components: RsaPrivateComponents;
}

/** A well-formed key of a type se-secrets does not use (named for messages). */
export interface OtherPrivateKeyInfo {
  readonly kind: 'other';
  readonly name: string;
}

export type PrivateKeyInfo = EcPrivateKeyInfo | EdwardsPrivateKeyInfo | RsaPrivateKeyInfo | OtherPrivateKeyInfo;

function bad(what: string, problem: string): never {
  throw new InputError('ERR_KEY_PARSE', `${what}: ${problem}`);
}

/** Bit length of a big-endian magnitude without leading zeros. */
export function bitLength(b: Uint8Array): number {
  if (b.length === 0) return 0;
  return (b.length - 1) * 8 + (32 - Math.clz32(b[0] as number));
}

function ecKey(what: string, curveOid: string, scalar: Uint8Array): EcPrivateKeyInfo {
  const known = CURVES[curveOid];
  if (!known?.curve) return { kind: 'ec', curveName: known?.name ?? curveOid, scalar };
  const size = SCALAR_SIZE[known.curve];
  const d = bytesToNumberBE(scalar);
  if (scalar.length > size || d === 0n || d >= CURVE_ORDER[known.curve]) {
    throw new CryptoError('ERR_INVALID_PRIVATE_KEY', `${what}: private scalar is not valid for ${known.name}`);
  }
  return { kind: 'ec', curve: known.curve, curveName: known.name, scalar };
}

/** The fields of a DER (or BER, as OpenSSL's `d2i` reads keys) SEQUENCE. @throws DerError */
function fields(der: Uint8Array): Tlv[] {
  return children(expectUniversal(readSingle(der, BER), TAG_SEQUENCE, 'private key'));
}

/** A version INTEGER's value. @throws DerError */
function version(t: Tlv | undefined): bigint {
  return integerValue(unsignedInteger(t, 'version'));
}

/** The contents of a primitive OCTET STRING, as a view. @throws DerError */
function octets(t: Tlv | undefined, what: string): Uint8Array {
  const o = expectUniversal(t, TAG_OCTET_STRING, what);
  if (o.constructed) throw new DerError(`der: ${what} is a constructed octet string`);
  return o.content;
}

/** SEC 1 ECPrivateKey; `curveOid` comes from the PKCS#8 wrapper when there is one. */
function fromSec1(what: string, der: Uint8Array, curveOid?: string): PrivateKeyInfo | undefined {
  const parsed = orUndefined(() => {
    const f = fields(der);
    if (f.length < 2 || f.length > 4 || version(f[0]) !== 1n) return undefined;
    const d = octets(f[1], 'ec private key');
    let inner: string | undefined;
    for (const extra of f.slice(2)) {
      if (isContext(extra, 0) && extra.constructed) {
        const [params] = children(extra);
        if (!isUniversal(params, TAG_OID)) return { explicitCurve: true } as const;
        inner = readOid(params, 'ec curve');
      } else if (isContext(extra, 1) && extra.constructed) {
        bitStringBytes(expectUniversal(children(extra)[0], TAG_BIT_STRING, 'ec public key'));
      } else {
        return undefined;
      }
    }
    return { d, inner };
  });
  if (!parsed) return undefined;
  if ('explicitCurve' in parsed) return { kind: 'other', name: 'ec key with explicit curve parameters' };
  const oid = curveOid ?? parsed.inner;
  if (oid === undefined) bad(what, 'ec private key names no curve');
  const { d } = parsed;
  let i = 0;
  while (i < d.length - 1 && d[i] === 0) i++;
  return ecKey(what, oid, copyBytes(d, i));
}

/** PKCS#1 RSAPrivateKey (two-prime only). */
function fromPkcs1(der: Uint8Array): PrivateKeyInfo | undefined {
  return orUndefined((): PrivateKeyInfo | undefined => {
    const f = fields(der);
    if (f.length < 9) return undefined;
    const v = version(f[0]);
    if (v === 1n) return { kind: 'other', name: 'multi-prime rsa' };
    if (v !== 0n || f.length !== 9) return undefined;
    const [n, e, d, p, q, dp, dq, qi] = f.slice(1).map((x) => unsignedInteger(x, 'rsa key component')) as Uint8Array[];
    return { kind: 'rsa', modulusBits: bitLength(n as Uint8Array), components: { n, e, d, p, q, dp, dq, qi } as RsaPrivateComponents };
  });
}

/** PKCS#8 PrivateKeyInfo / OneAsymmetricKey. */
function fromPkcs8(what: string, der: Uint8Array): PrivateKeyInfo | undefined {
  const parsed = orUndefined(() => {
    const f = fields(der);
    if (f.length < 3 || f.length > 5) return undefined;
    const v = version(f[0]);
    const alg = children(expectUniversal(f[1], TAG_SEQUENCE, 'private key algorithm'));
    const inner = octets(f[2], 'private key');
    if ((v !== 0n && v !== 1n) || alg.length < 1) return undefined;
    const oid = readOid(alg[0], 'private key algorithm');
    const params = alg[1];
    // An EC key names its curve by OID; anything else means explicit parameters.
    const curve = oid === OID_EC_PUBLIC_KEY && isUniversal(params, TAG_OID) ? readOid(params, 'ec curve') : undefined;
    return { oid, curve, inner };
  });
  if (!parsed) return undefined;
  const { oid, curve, inner } = parsed;
  switch (oid) {
    case OID_RSA_ENCRYPTION:
      return fromPkcs1(inner) ?? bad(what, 'pkcs#8 does not hold a valid rsa private key');
    case OID_EC_PUBLIC_KEY: {
      if (curve === undefined) return { kind: 'other', name: 'ec key with explicit curve parameters' };
      return fromSec1(what, inner, curve) ?? bad(what, 'pkcs#8 does not hold a valid ec private key');
    }
    case OID_ED25519:
    case OID_ED448: {
      const kind = oid === OID_ED25519 ? 'ed25519' : 'ed448';
      const raw = orUndefined(() => octets(readSingle(inner, BER), 'private key'));
      if (!raw || raw.length !== EDWARDS_SIZE[kind]) {
        bad(what, `${kind} private key has ${raw?.length ?? 0} bytes (expected ${EDWARDS_SIZE[kind]})`);
      }
      return { kind, privateKey: copyBytes(raw) };
    }
    default:
      return { kind: 'other', name: OTHER_ALGORITHMS[oid] ?? `algorithm ${oid}` };
  }
}

const PEM_LABELS = ['PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY', 'DSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'ANY PRIVATE KEY'];

/** The first private-key block, as `PEM_read_bio_PrivateKey` finds it (blocks after it are not read). */
function firstPemKey(bytes: Uint8Array, what: string): PemBlock | undefined {
  try {
    for (const b of pemBlocks(bytes)) if (PEM_LABELS.includes(b.label)) return b;
    return undefined;
  } catch (e) {
    if (e instanceof PemError) bad(what, e.message.replace(/^pem: /, 'malformed pem: '));
    throw e;
  }
}

/**
 * Reads a private key from PEM or DER bytes.
 *
 * @param what names the input in messages, e.g. `"user-signing key"`.
 * @throws InputError `ERR_KEY_PARSE` when the bytes hold no readable private key;
 *   CryptoError `ERR_INVALID_PRIVATE_KEY` when an EC scalar is out of range
 */
export function parsePrivateKey(bytes: Uint8Array, what = 'private key'): PrivateKeyInfo {
  if (!(bytes instanceof Uint8Array)) bad(what, `expected PEM or DER bytes (got ${typeof bytes})`);
  if (looksLikePem(bytes)) {
    const first = firstPemKey(bytes, what);
    if (!first) bad(what, 'no private key found in the pem input');
    if (first.headers) bad(what, 'encrypted private keys are not supported (decrypt it first, e.g. with openssl pkey)');
    switch (first.label) {
      case 'ENCRYPTED PRIVATE KEY':
        return bad(what, 'encrypted private keys are not supported (decrypt it first, e.g. with openssl pkey)');
      case 'DSA PRIVATE KEY':
        return { kind: 'other', name: 'dsa' };
      case 'EC PRIVATE KEY':
        return fromSec1(what, first.der) ?? bad(what, 'not a valid ec private key (sec1)');
      case 'RSA PRIVATE KEY':
        return fromPkcs1(first.der) ?? bad(what, 'not a valid rsa private key (pkcs#1)');
      default:
        return fromPkcs8(what, first.der) ?? bad(what, 'not a valid pkcs#8 private key');
    }
  }
  const key = fromPkcs8(what, bytes) ?? fromSec1(what, bytes) ?? fromPkcs1(bytes);
  if (!key) bad(what, 'not a private key in pem or der (pkcs#8, sec1 or pkcs#1)');
  return key;
}

/** A short description of a key for messages, e.g. `"ec secp256k1"`, `"rsa 4096"`. */
export function describePrivateKey(key: PrivateKeyInfo): string {
  switch (key.kind) {
    case 'ec':
      return `ec ${key.curveName}`;
    case 'rsa':
      return `rsa ${key.modulusBits}`;
    case 'other':
      return key.name;
    default:
      return key.kind;
  }
}

/** Overwrites the confidential parts of a parsed key. */
export function zeroizePrivateKey(key: PrivateKeyInfo): void {
  if (key.kind === 'ec') key.scalar.fill(0);
  else if (key.kind === 'ed25519' || key.kind === 'ed448') key.privateKey.fill(0);
  else if (key.kind === 'rsa') for (const v of Object.values(key.components)) (v as Uint8Array).fill(0);
}
