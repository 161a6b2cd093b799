/**
 * What verification needs to know about a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7):
 * its algorithm, curve, size, and security strength in bits as OpenSSL counts it for
 * security level 2 (keys below 112 bits are refused; `X509_VERIFY_PARAM_set_auth_level`).
 *
 * @module
 */
import { DerError, TAG_INTEGER, TAG_SEQUENCE, type Tlv, bitStringBytes, children, expectUniversal, isUniversal, readOid, readSingle } from '../internal/der.js';
import {
  OID_BRAINPOOL_P256R1,
  OID_BRAINPOOL_P384R1,
  OID_BRAINPOOL_P512R1,
  OID_EC_PUBLIC_KEY,
  OID_ED25519,
  OID_ED448,
  OID_P192,
  OID_P224,
  OID_P256,
  OID_P384,
  OID_P521,
  OID_RSA_ENCRYPTION,
  OID_SECP256K1,
} from '../internal/oids.js';


/** The minimum key and digest strength of security level 2 (SP 800-57 Part 1, table 2). */
export const MIN_SECURITY_BITS = 112;

/** Strength of EC curves by OID (half the order size, as OpenSSL rounds it). */
const CURVE_BITS: Record<string, number> = {
  [OID_P192]: 80,
  [OID_P224]: 112,
  [OID_P256]: 128,
  [OID_SECP256K1]: 128,
  [OID_P384]: 192,
  [OID_P521]: 256,
  [OID_BRAINPOOL_P256R1]: 128,
  [OID_BRAINPOOL_P384R1]: 192,
  [OID_BRAINPOOL_P512R1]: 256,
};

/** A decoded public key's facts. */
export interface PublicKeyFacts {
  /** The whole SubjectPublicKeyInfo, DER. */
  readonly spki: Uint8Array;
  readonly algorithm: string;
  /** The named curve of an EC key; undefined for explicit parameters or other keys. */
  readonly curve?: string;
  /** True when an EC key carries explicit curve parameters (refused in chains). */
  readonly explicitCurve: boolean;
  /** The subjectPublicKey bits (for EC: the SEC 1 point). */
  readonly key: Uint8Array;
  /** RSA modulus size in bits. */
  readonly rsaBits?: number;
  /** Security strength in bits; 0 for unknown algorithms. */
  readonly securityBits: number;
}

/**
 * RSA strength per SP 800-56B rev. 2 appendix D, with the standard sizes fixed as
 * OpenSSL 3 does (`ossl_ifc_ffc_compute_security_bits`).
 */
export function rsaSecurityBits(n: number): number {
  const table: Record<number, number> = { 2048: 112, 3072: 128, 4096: 152, 6144: 176, 7680: 192, 8192: 200, 15360: 256 };
  if (table[n] !== undefined) return table[n] as number;
  if (n < 8) return 0;
  const ln = n * Math.LN2;
  const e = (1.923 * Math.cbrt(ln) * Math.cbrt(Math.log(ln) ** 2) - 4.69) / Math.LN2;
  // Rounded to the nearest multiple of 8, at most 256.
  return Math.max(0, Math.min(256, Math.floor((e + 4) / 8) * 8));
}

function bitLength(content: Uint8Array): number {
  let i = 0;
  while (i < content.length && content[i] === 0) i++;
  if (i === content.length) return 0;
  return (content.length - i - 1) * 8 + (32 - Math.clz32(content[i] as number));
}

/** Reads a SubjectPublicKeyInfo element. @throws DerError */
export function readPublicKey(t: Tlv): PublicKeyFacts {
  const spki = t.raw;
  const [alg, bits, extra] = children(expectUniversal(t, TAG_SEQUENCE, 'public key info'));
  if (!alg || !bits || extra || !isUniversal(bits, 3)) throw new DerError('der: malformed public key info');
  const [oidTlv, params] = children(expectUniversal(alg, TAG_SEQUENCE, 'key algorithm'));
  const algorithm = readOid(oidTlv, 'key algorithm');
  const key = bitStringBytes(bits);
  if (algorithm === OID_RSA_ENCRYPTION) {
    const [modulus] = children(expectUniversal(readSingle(key), TAG_SEQUENCE, 'RSA public key'));
    const rsaBits = bitLength(expectUniversal(modulus, TAG_INTEGER, 'RSA modulus').content);
    return { spki, algorithm, explicitCurve: false, key, rsaBits, securityBits: rsaSecurityBits(rsaBits) };
  }
  if (algorithm === OID_EC_PUBLIC_KEY) {
    if (params && isUniversal(params, 6)) {
      const curve = readOid(params, 'EC curve');
      return { spki, algorithm, curve, explicitCurve: false, key, securityBits: CURVE_BITS[curve] ?? 0 };
    }
    return { spki, algorithm, explicitCurve: true, key, securityBits: 0 };
  }
  if (algorithm === OID_ED25519) return { spki, algorithm, explicitCurve: false, key, securityBits: 128 };
  if (algorithm === OID_ED448) return { spki, algorithm, explicitCurve: false, key, securityBits: 224 };
  return { spki, algorithm, explicitCurve: false, key, securityBits: 0 };
}

/** A short description such as `RSA-2048`, `EC P-256`, for messages. */
export function describeKey(k: PublicKeyFacts): string {
  if (k.algorithm === OID_RSA_ENCRYPTION) return `RSA-${k.rsaBits ?? '?'}`;
  if (k.algorithm === OID_EC_PUBLIC_KEY) {
    const names: Record<string, string> = { [OID_P256]: 'P-256', [OID_P384]: 'P-384', [OID_P521]: 'P-521' };
    return k.curve ? `EC ${names[k.curve] ?? k.curve}` : 'EC (explicit parameters)';
  }
  if (k.algorithm === OID_ED25519) return 'Ed25519';
  if (k.algorithm === OID_ED448) return 'Ed448';
  return `key algorithm ${k.algorithm}`;
}
