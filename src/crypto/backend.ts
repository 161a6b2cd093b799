/**
 * The crypto boundary. Only `src/crypto/` touches WebCrypto, `@noble/*`, `node:crypto`
 * or randomness; everything else calls a {@link CryptoBackend} and the hash helpers.
 *
 * Two implementations give identical bytes (they are tested against each other):
 * - the portable backend (`./portable.ts`): WebCrypto plus @noble/curves, for browsers;
 * - the Node backend (`./node.ts`): node:crypto (OpenSSL), measured faster, reached only
 *   through the package's `node` export condition.
 *
 * @module
 */
import { CryptoError } from '../errors.js';
import type { RsaPrivateComponents } from './private-key.js';
import type { HostPointCache } from './host-point-cache.js';

/** A P-521 key pair in the forms the wire format needs. */
export interface P521KeyPair {
  /** The private scalar, exactly 66 bytes big-endian. Confidential: zero after use. */
  readonly privateKey: Uint8Array;
  /** The uncompressed public point `04 ‖ X(66) ‖ Y(66)`, 133 bytes. */
  readonly publicKey: Uint8Array;
}

/**
 * A user-signing key (the reference's `--user-sign-key`): EC P-521 or RSA. Confidential.
 * Build it with `signingKeyFromPrivateKey` (`./keys.ts`).
 */
export type SigningKey =
  | {
      readonly type: 'ec-p521';
      /** The private scalar, 66 bytes. */
      readonly privateKey: Uint8Array;
      /** The uncompressed public point, 133 bytes. */
      readonly publicKey: Uint8Array;
    }
  | { readonly type: 'rsa'; readonly modulusBits: number; readonly components: RsaPrivateComponents };

/** The public half of a {@link SigningKey}, e.g. from the user's certificate. */
export type VerificationKey =
  | { readonly type: 'ec-p521'; readonly publicKey: Uint8Array }
  | { readonly type: 'rsa'; readonly modulusBits: number; readonly n: Uint8Array; readonly e: Uint8Array };

/** The primitives a request needs. All byte arguments are left untouched. */
export interface CryptoBackend {
  readonly name: string;
  /** `n` cryptographically secure random bytes. */
  randomBytes(n: number): Uint8Array;
  /** A fresh P-521 key pair. */
  generateP521(): Promise<P521KeyPair>;
  /** The public point (133 bytes, uncompressed) of a 66-byte private scalar. */
  p521PublicKey(privateKey: Uint8Array): Promise<Uint8Array>;
  /**
   * ECDH on P-521 (SP 800-56A, ECC CDH): the 66-byte x coordinate of the shared point.
   * `publicKey` is a 133-byte uncompressed point.
   */
  ecdhP521(privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array>;
  /** AES-256-GCM encryption with a 16-byte tag; returns `ciphertext ‖ tag`. */
  aesGcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /** AES-256-GCM decryption of `ciphertext ‖ tag`; throws `ERR_CRYPTO` when authentication fails. */
  aesGcmDecrypt(key: Uint8Array, iv: Uint8Array, ciphertextAndTag: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /**
   * Signs `message` with SHA-512 as the reference signs user data (OpenSSL defaults):
   * EC P-521 → ECDSA, DER-encoded (at most 139 bytes); RSA → RSASSA-PSS with MGF1-SHA-512
   * and the maximum salt length (OpenSSL 3.0's default), as long as the modulus.
   */
  signSha512(key: SigningKey, message: Uint8Array): Promise<Uint8Array>;
  /**
   * Verifies a signature made by {@link signSha512} (ECDSA: DER; RSA-PSS: any salt
   * length, detected from the signature). False for a wrong or malformed signature.
   */
  verifySha512(key: VerificationKey, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /**
   * Optional fast path for the customer side of a request: one private key (generated
   * when `privateKey` is undefined, else normalised from any left-padding), its public
   * point, and its ECDH with every peer, with one key setup. Same bytes as
   * {@link generateP521} / {@link p521PublicKey} plus {@link ecdhP521} per peer (use
   * `p521KeyAgreement` from `./agreement.ts`, which falls back to those). With
   * `tables`, a peer that has a precomputed table there is agreed through it.
   */
  p521KeyAgreement?(privateKey: Uint8Array | undefined, peers: readonly Uint8Array[], tables?: HostPointCache): Promise<P521Agreement>;
}

/**
 * The part of a {@link CryptoBackend} that builds requests: keys, ECDH, AES-GCM
 * encryption and signing, without decryption or signature verification. Request
 * builders ask for no more, so that a bundle of `createAddSecretRequest` holds no code
 * to open or verify requests. Every `CryptoBackend` is one.
 */
export type SealingBackend = Omit<CryptoBackend, 'aesGcmDecrypt' | 'verifySha512'>;

/** One P-521 private key agreed with several peers. Everything but `publicKey` is confidential. */
export interface P521Agreement extends P521KeyPair {
  /** The 66-byte ECDH x coordinate with each peer, in the order given. Zero after use. */
  readonly shared: readonly Uint8Array[];
}

/** Sizes of the P-521 encodings (SEC 1 §2.3.3; RFC 5903 §3.1 for the 66-byte secret). */
export const P521_SCALAR_SIZE = 66;
export const P521_POINT_SIZE = 133;
/** AES-256-GCM sizes (SP 800-38D): 32-byte key, 12-byte IV, 16-byte tag. */
export const AES256_KEY_SIZE = 32;
export const GCM_IV_SIZE = 12;
export const GCM_TAG_SIZE = 16;

/** Checks an AES-256-GCM key (32 bytes) and IV (12 bytes), for every backend. @throws CryptoError `ERR_CRYPTO` */
export function checkAes(key: Uint8Array, iv: Uint8Array): void {
  if (key.length !== AES256_KEY_SIZE) throw new CryptoError('ERR_CRYPTO', `aes-gcm: key has ${key.length} bytes (expected ${AES256_KEY_SIZE})`);
  if (iv.length !== GCM_IV_SIZE) throw new CryptoError('ERR_CRYPTO', `aes-gcm: IV has ${iv.length} bytes (expected ${GCM_IV_SIZE})`);
}
