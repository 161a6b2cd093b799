/**
 * X.509 signature verification (certificates and CRLs) over WebCrypto, which Node ≥ 20
 * and browsers provide. The algorithm comes from the signed object, the key from the
 * issuer's SubjectPublicKeyInfo; the result says why a signature was not accepted.
 *
 * Supported: RSASSA-PKCS1-v1_5 and RSASSA-PSS (RFC 4055) with SHA-1/256/384/512,
 * ECDSA on P-256/P-384/P-521 with SHA-1/256/384/512 (RFC 5758), Ed25519 and Ed448
 * (RFC 8410) where the runtime has them.
 *
 * @module
 */
import {
  DerError,
  TAG_INTEGER,
  TAG_SEQUENCE,
  children,
  expectUniversal,
  isContext,
  readOid,
  readSingle,
  type Tlv,
  integerValue,
} from '../internal/der.js';
import { ecdsaDerToRaw } from './signature.js';
import {
  OID_ECDSA_WITH_SHA1,
  OID_ECDSA_WITH_SHA256,
  OID_ECDSA_WITH_SHA384,
  OID_ECDSA_WITH_SHA512,
  OID_ED25519,
  OID_ED448,
  OID_EC_PUBLIC_KEY,
  OID_MGF1,
  OID_P256,
  OID_P384,
  OID_P521,
  OID_RSA_ENCRYPTION,
  OID_RSASSA_PSS,
  OID_SHA1,
  OID_SHA1_WITH_RSA,
  OID_SHA256,
  OID_SHA256_WITH_RSA,
  OID_SHA384,
  OID_SHA384_WITH_RSA,
  OID_SHA512,
  OID_SHA512_WITH_RSA,
} from '../internal/oids.js';
import type { PublicKeyFacts } from './public-key.js';

/** Why a signature was not accepted. */
export type SignatureFailure = 'mismatch' | 'unsupported-algorithm' | 'key-algorithm-mismatch' | 'malformed-signature' | 'bad-key';
export type SignatureResult = { readonly ok: true } | { readonly ok: false; readonly reason: SignatureFailure };

/** A signature algorithm identifier: OID and the raw DER of its parameters, if any. */
export interface SignatureAlgorithm {
  readonly oid: string;
  readonly params?: Uint8Array;
}

type Hash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
type Scheme =
  | { kind: 'pkcs1'; hash: Hash }
  | { kind: 'pss'; hash: Hash; saltLength: number }
  | { kind: 'ecdsa'; hash: Hash }
  | { kind: 'eddsa'; name: 'Ed25519' | 'Ed448' };

// The tables below are built in `/* @__PURE__ */` functions, as @noble/curves builds its
// curves: a bundler then drops them (and the OIDs they name) from a bundle that only
// reads certificates (`readAlgorithmIdentifier`) and never verifies a signature.

/** Signature algorithm OIDs (RFC 8017 appendix A, RFC 5758 §3.2, RFC 8410 §3). */
const SCHEMES: Record<string, Scheme> = /* @__PURE__ */ (() => ({
  [OID_SHA1_WITH_RSA]: { kind: 'pkcs1', hash: 'SHA-1' },
  [OID_SHA256_WITH_RSA]: { kind: 'pkcs1', hash: 'SHA-256' },
  [OID_SHA384_WITH_RSA]: { kind: 'pkcs1', hash: 'SHA-384' },
  [OID_SHA512_WITH_RSA]: { kind: 'pkcs1', hash: 'SHA-512' },
  [OID_ECDSA_WITH_SHA1]: { kind: 'ecdsa', hash: 'SHA-1' },
  [OID_ECDSA_WITH_SHA256]: { kind: 'ecdsa', hash: 'SHA-256' },
  [OID_ECDSA_WITH_SHA384]: { kind: 'ecdsa', hash: 'SHA-384' },
  [OID_ECDSA_WITH_SHA512]: { kind: 'ecdsa', hash: 'SHA-512' },
  [OID_ED25519]: { kind: 'eddsa', name: 'Ed25519' },
  [OID_ED448]: { kind: 'eddsa', name: 'Ed448' },
}))();
/** Digest OIDs (RFC 3279 §2.2.1, RFC 5754 §2). */
const HASHES: Record<string, Hash> = /* @__PURE__ */ (() => ({
  [OID_SHA1]: 'SHA-1',
  [OID_SHA256]: 'SHA-256',
  [OID_SHA384]: 'SHA-384',
  [OID_SHA512]: 'SHA-512',
}))();
/** Digest strength in bits, as OpenSSL counts it for security levels (SHA-1: 63). */
const HASH_BITS: Record<Hash, number> = { 'SHA-1': 63, 'SHA-256': 128, 'SHA-384': 192, 'SHA-512': 256 };
const CURVES: Record<string, { name: string; size: number }> = /* @__PURE__ */ (() => ({
  [OID_P256]: { name: 'P-256', size: 32 },
  [OID_P384]: { name: 'P-384', size: 48 },
  [OID_P521]: { name: 'P-521', size: 66 },
}))();

/** RSASSA-PSS-params (RFC 4055 §3.1): hash, MGF1 hash and salt length, with defaults. */
function pssScheme(params: Uint8Array | undefined): Scheme | undefined {
  let hash: Hash | undefined = 'SHA-1';
  let mgfHash: Hash | undefined = 'SHA-1';
  let saltLength = 20;
  if (params) {
    for (const f of children(expectUniversal(readSingle(params), TAG_SEQUENCE, 'PSS parameters'))) {
      const [inner] = children(f);
      if (isContext(f, 0) && inner) hash = HASHES[readOid(children(inner)[0], 'PSS hash')];
      else if (isContext(f, 1) && inner) {
        const [mgfOid, mgfParams] = children(inner);
        if (readOid(mgfOid, 'PSS mask generation') !== OID_MGF1 || !mgfParams) return undefined;
        mgfHash = HASHES[readOid(children(mgfParams)[0], 'MGF1 hash')];
      } else if (isContext(f, 2) && inner) saltLength = Number(integerValue(expectUniversal(inner, TAG_INTEGER, 'salt length').content));
      else if (isContext(f, 3) && inner) {
        if (integerValue(inner.content) !== 1n) return undefined;
      }
    }
  }
  // WebCrypto only does MGF1 with the message hash.
  if (!hash || hash !== mgfHash || saltLength < 0 || saltLength > 1024) return undefined;
  return { kind: 'pss', hash, saltLength };
}

function schemeOf(alg: SignatureAlgorithm): Scheme | undefined {
  try {
    if (alg.oid === OID_RSASSA_PSS) return pssScheme(alg.params);
  } catch {
    return undefined;
  }
  return SCHEMES[alg.oid];
}

/**
 * The security strength of a signature algorithm's digest, or undefined when the
 * algorithm is not supported (OpenSSL's `X509_get_signature_info` security bits).
 */
export function signatureDigestBits(alg: SignatureAlgorithm): number | undefined {
  const s = schemeOf(alg);
  if (!s) return undefined;
  if (s.kind === 'eddsa') return s.name === 'Ed25519' ? 128 : 224;
  return HASH_BITS[s.hash];
}

function buf(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return b.buffer instanceof ArrayBuffer && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? (b as Uint8Array<ArrayBuffer>) : new Uint8Array(b);
}

/**
 * Verifies `signature` over `data` with the issuer's public key.
 *
 * @example
 * ```ts
 * const r = await verifySignature(issuerKey, { oid: '1.2.840.113549.1.1.13' }, tbs, sig);
 * if (!r.ok) console.log(r.reason);
 * ```
 */
export async function verifySignature(
  key: PublicKeyFacts,
  alg: SignatureAlgorithm,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<SignatureResult> {
  const scheme = schemeOf(alg);
  const subtle = globalThis.crypto?.subtle;
  if (!scheme || !subtle) return { ok: false, reason: 'unsupported-algorithm' };
  let importAlg: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  let verifyAlg: Algorithm | RsaPssParams | EcdsaParams;
  let sig = signature;
  switch (scheme.kind) {
    case 'pkcs1':
    case 'pss': {
      if (key.algorithm !== OID_RSA_ENCRYPTION) return { ok: false, reason: 'key-algorithm-mismatch' };
      const name = scheme.kind === 'pkcs1' ? 'RSASSA-PKCS1-v1_5' : 'RSA-PSS';
      importAlg = { name, hash: scheme.hash };
      verifyAlg = scheme.kind === 'pss' ? { name, saltLength: scheme.saltLength } : { name };
      break;
    }
    case 'ecdsa': {
      const curve = key.algorithm === OID_EC_PUBLIC_KEY && key.curve ? CURVES[key.curve] : undefined;
      if (key.algorithm !== OID_EC_PUBLIC_KEY) return { ok: false, reason: 'key-algorithm-mismatch' };
      if (!curve) return { ok: false, reason: 'unsupported-algorithm' };
      const raw = ecdsaDerToRaw(signature, curve.size);
      if (!raw) return { ok: false, reason: 'malformed-signature' };
      sig = raw;
      importAlg = { name: 'ECDSA', namedCurve: curve.name };
      verifyAlg = { name: 'ECDSA', hash: scheme.hash };
      break;
    }
    case 'eddsa': {
      if (key.algorithm !== (scheme.name === 'Ed25519' ? OID_ED25519 : OID_ED448)) return { ok: false, reason: 'key-algorithm-mismatch' };
      importAlg = { name: scheme.name };
      verifyAlg = { name: scheme.name };
      break;
    }
  }
  let cryptoKey: CryptoKey;
  try {
    cryptoKey = await subtle.importKey('spki', buf(key.spki), importAlg, false, ['verify']);
  } catch {
    return { ok: false, reason: scheme.kind === 'eddsa' ? 'unsupported-algorithm' : 'bad-key' };
  }
  try {
    const ok = await subtle.verify(verifyAlg, cryptoKey, buf(sig), buf(data));
    return ok ? { ok: true } : { ok: false, reason: 'mismatch' };
  } catch {
    return { ok: false, reason: 'malformed-signature' };
  }
}

/** Reads an AlgorithmIdentifier element into OID and raw parameters. @throws DerError */
export function readAlgorithmIdentifier(t: Tlv): SignatureAlgorithm {
  const [oid, params, extra] = children(expectUniversal(t, TAG_SEQUENCE, 'algorithm identifier'));
  if (extra) throw new DerError('der: algorithm identifier has extra fields');
  const o = readOid(oid, 'algorithm');
  return params ? { oid: o, params: params.raw } : { oid: o };
}

/** The key algorithm OID a signature algorithm needs, or undefined when unsupported. */
export function signatureKeyAlgorithm(alg: SignatureAlgorithm): string | undefined {
  const s = schemeOf(alg);
  if (!s) return undefined;
  if (s.kind === 'pkcs1' || s.kind === 'pss') return OID_RSA_ENCRYPTION;
  if (s.kind === 'ecdsa') return OID_EC_PUBLIC_KEY;
  return s.name === 'Ed25519' ? OID_ED25519 : OID_ED448;
}
