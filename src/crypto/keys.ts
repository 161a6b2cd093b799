/**
 * User-signing and verification keys: from parsed private keys and certificate public
 * keys into the forms the backends take, and into JWKs for WebCrypto / node:crypto import.
 *
 * @module
 */
import { base64Url, copyBytes, leftPad } from '../internal/bytes.js';
import { P521_SCALAR_SIZE, type SigningKey, type VerificationKey } from './backend.js';
import { BER, TAG_SEQUENCE, children, expectUniversal, orUndefined, readSingle, unsignedInteger } from '../internal/der.js';
import { assertP521Point, noblePublicKey, normalizeP521PrivateKey } from './p521.js';
import { bitLength, describePrivateKey, parsePrivateKey, type PrivateKeyInfo, zeroizePrivateKey } from './private-key.js';
import { looksLikePem } from '../internal/pem.js';
import { OID_EC_PUBLIC_KEY, OID_P521, OID_RSA_ENCRYPTION } from '../internal/oids.js';
import { CryptoError } from '../errors.js';


/**
 * A signing key for a parsed private key: EC P-521 or RSA (any size; callers decide
 * which sizes they accept). Undefined for every other key.
 */
export function signingKeyFromPrivateKey(key: PrivateKeyInfo): SigningKey | undefined {
  if (key.kind === 'ec' && key.curve === 'P-521') {
    const privateKey = leftPad(key.scalar, P521_SCALAR_SIZE);
    return { type: 'ec-p521', privateKey, publicKey: noblePublicKey(privateKey) };
  }
  if (key.kind === 'rsa') return { type: 'rsa', modulusBits: key.modulusBits, components: key.components };
  return undefined;
}

/** The public half of a signing key. */
export function verificationKeyOf(key: SigningKey): VerificationKey {
  return key.type === 'ec-p521'
    ? { type: 'ec-p521', publicKey: key.publicKey }
    : { type: 'rsa', modulusBits: key.modulusBits, n: key.components.n, e: key.components.e };
}

/** What a certificate's public key is, for the user-data signature check. */
export type CertificatePublicKey =
  | { readonly kind: 'ec'; readonly curveOid?: string; readonly key?: VerificationKey }
  | { readonly kind: 'rsa'; readonly modulusBits: number; readonly key: VerificationKey }
  | { readonly kind: 'other'; readonly algorithm: string };

/**
 * Classifies a subject public key (RFC 5280 §4.1.2.7): `subjectPublicKey` is the BIT
 * STRING contents (an EC point, or a DER RSAPublicKey).
 */
export function certificatePublicKey(algorithmOid: string, curveOid: string | undefined, subjectPublicKey: Uint8Array): CertificatePublicKey {
  if (algorithmOid === OID_RSA_ENCRYPTION) {
    // RSAPublicKey (RFC 8017 A.1.1), read as leniently as OpenSSL's d2i does.
    const rsa = orUndefined(() => {
      const [n, e, extra] = children(expectUniversal(readSingle(subjectPublicKey, BER), TAG_SEQUENCE, 'rsa public key'));
      return extra ? undefined : { n: unsignedInteger(n, 'rsa modulus'), e: unsignedInteger(e, 'rsa exponent') };
    });
    if (!rsa) return { kind: 'other', algorithm: 'malformed rsa public key' };
    const { n, e } = rsa;
    const modulusBits = bitLength(n);
    return { kind: 'rsa', modulusBits, key: { type: 'rsa', modulusBits, n, e } };
  }
  if (algorithmOid === OID_EC_PUBLIC_KEY) {
    if (curveOid !== OID_P521) return curveOid === undefined ? { kind: 'ec' } : { kind: 'ec', curveOid };
    try {
      assertP521Point(subjectPublicKey, 'certificate public key');
    } catch {
      return { kind: 'other', algorithm: 'malformed ec public key' };
    }
    return { kind: 'ec', curveOid, key: { type: 'ec-p521', publicKey: copyBytes(subjectPublicKey) } };
  }
  return { kind: 'other', algorithm: algorithmOid };
}

/** A private JWK (RFC 7518 §6) for importing a signing key. Confidential. */
export function signingKeyJwk(key: SigningKey): JsonWebKey {
  if (key.type === 'ec-p521') {
    return {
      kty: 'EC',
      crv: 'P-521',
      d: base64Url(key.privateKey),
      x: base64Url(key.publicKey.subarray(1, 1 + P521_SCALAR_SIZE)),
      y: base64Url(key.publicKey.subarray(1 + P521_SCALAR_SIZE)),
    };
  }
  const c = key.components;
  return {
    kty: 'RSA',
    n: base64Url(c.n),
    e: base64Url(c.e),
    d: base64Url(c.d),
    p: base64Url(c.p),
    q: base64Url(c.q),
    dp: base64Url(c.dp),
    dq: base64Url(c.dq),
    qi: base64Url(c.qi),
  };
}

/** A public JWK for importing a verification key. */
export function verificationKeyJwk(key: VerificationKey): JsonWebKey {
  if (key.type === 'ec-p521') {
    return {
      kty: 'EC',
      crv: 'P-521',
      x: base64Url(key.publicKey.subarray(1, 1 + P521_SCALAR_SIZE)),
      y: base64Url(key.publicKey.subarray(1 + P521_SCALAR_SIZE)),
    };
  }
  return { kty: 'RSA', n: base64Url(key.n), e: base64Url(key.e) };
}

/** Size of a raw scalar left-padded to the wire coordinate size (the reference's test key). */
const RAW_PADDED_SCALAR_SIZE = 80;

/**
 * The 66-byte private scalar of a P-521 private key file: PKCS#8 or SEC 1, PEM or DER
 * (read by {@link parsePrivateKey}), or a raw big-endian scalar of exactly 66 or 80
 * bytes (the reference's test assets store the customer key left-padded to 80).
 *
 * @example
 * ```ts
 * const d = parseP521PrivateKey(await readFile('HKD-host.key')); // 66 bytes
 * ```
 * @throws InputError/CryptoError `ERR_KEY_PARSE` (not a P-521 private key),
 *   `ERR_INVALID_PRIVATE_KEY` (scalar out of range)
 */
export function parseP521PrivateKey(bytes: Uint8Array, source = 'private key'): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new CryptoError('ERR_KEY_PARSE', `${source}: expected bytes`);
  const isAsn1 = looksLikePem(bytes) || bytes[0] === 0x30;
  if (!isAsn1 && (bytes.length === P521_SCALAR_SIZE || bytes.length === RAW_PADDED_SCALAR_SIZE)) return normalizeP521PrivateKey(bytes);
  if (!isAsn1) {
    throw new CryptoError(
      'ERR_KEY_PARSE',
      `${source}: not a P-521 private key (PEM, DER, or a raw scalar of ${P521_SCALAR_SIZE} or ${RAW_PADDED_SCALAR_SIZE} bytes; got ${bytes.length} bytes)`,
    );
  }
  const key = parsePrivateKey(bytes, source);
  try {
    if (key.kind !== 'ec' || key.curve !== 'P-521') {
      throw new CryptoError('ERR_KEY_PARSE', `${source}: not a P-521 private key (got ${describePrivateKey(key)})`);
    }
    return normalizeP521PrivateKey(key.scalar);
  } finally {
    zeroizePrivateKey(key);
  }
}
