/**
 * Opening an add-secret request: for lab and test hosts whose host private key is at
 * hand, and for known-answer vectors whose customer private key is known.
 *
 * ECDH is symmetric, so a key slot opens either with the host private key and the
 * request's customer public key, or with the customer private key and the host public
 * key. The recovered protection key then decrypts the encrypted area; its AES-GCM tag
 * covers every byte before it (header, user data, customer key, all key slots, secret
 * header), so a successful decryption authenticates the whole request.
 *
 * @module
 */
import type { CryptoBackend } from '../crypto/backend.js';
import { parseP521PrivateKey } from '../crypto/keys.js';
import { hostKeyHash, pointToWire, wireToPoint } from '../crypto/p521.js';
import { portableBackend } from '../crypto/portable.js';
import { CryptoError, InputError, RequestError } from '../errors.js';
import { concatBytes, copyBytes, equalBytes, toHex, zeroize } from '../internal/bytes.js';
import { type AddSecretRequestInfo, parseAddSecretRequest } from './asrcb.js';
import { type HostKey, hostKeysFromDocuments } from './host-key.js';
import { unwrapKeySlot } from './keyslot.js';
import { secretTypeName } from './secret.js';

/** Open with the host private key (a lab or test host). */
export interface HostPrivateKeyInput {
  /** P-521 private key: PKCS#8 or SEC 1 (PEM or DER), or a raw 66/80-byte scalar. */
  readonly hostPrivateKey: Uint8Array;
  readonly backend?: CryptoBackend;
}

/** Open with the customer private key (known-answer vectors) and the host's public key. */
export interface CustomerPrivateKeyInput {
  /** P-521 private key: PKCS#8 or SEC 1 (PEM or DER), or a raw 66/80-byte scalar. */
  readonly customerPrivateKey: Uint8Array;
  /** The host-key document (PEM or DER; its first certificate is used) or a host key. */
  readonly hostKeyDocument: Uint8Array | HostKey;
  readonly backend?: CryptoBackend;
}

/** The key that opens a request. */
export type DecryptKey = HostPrivateKeyInput | CustomerPrivateKeyInput;

/** A decrypted and authenticated add-secret request. Holds secret values: zero them after use. */
export interface DecryptedAddSecretRequest {
  /** Every non-confidential field. */
  readonly request: AddSecretRequestInfo;
  /** Index of the key slot that opened. */
  readonly keySlot: number;
  /** The host-key hash of that slot. */
  readonly hostKeyHash: Uint8Array;
  readonly secret: {
    readonly type: number;
    readonly typeName: string;
    /** 32-byte id (absent for meta secrets). */
    readonly id?: Uint8Array;
    /** Confidential: the secret value exactly as encoded in the request (`length` bytes). */
    readonly value: Uint8Array;
  };
  /** Confidential: the 32-byte extension secret (all zero when none was set). */
  readonly extensionSecret: Uint8Array;
}

function authFailure(message: string, cause: unknown): never {
  throw new RequestError('ERR_REQUEST_AUTH', `request: ${message}`, { cause });
}

function hostKeyOf(doc: Uint8Array | HostKey): HostKey {
  if (doc instanceof Uint8Array) {
    const [first] = hostKeysFromDocuments([doc]);
    if (!first) throw new InputError('ERR_INVALID_OPTION', 'hostKeyDocument: no certificate found');
    return first;
  }
  if (doc && typeof doc === 'object' && doc.publicKey instanceof Uint8Array && doc.hash instanceof Uint8Array) return doc;
  throw new InputError('ERR_INVALID_OPTION', 'hostKeyDocument: expected host-key document bytes or a host key');
}

/**
 * Decrypts an add-secret request and authenticates all of it.
 *
 * @example
 * ```ts
 * const opened = await decryptAddSecretRequest(request, { hostPrivateKey: await readFile('host.key') });
 * console.log(opened.secret.typeName, toHex(opened.secret.id!));
 * opened.secret.value.fill(0);
 * ```
 * @throws RequestError `ERR_REQUEST_*` from parsing, `ERR_REQUEST_NO_KEY_SLOT` (no slot for
 *   this host), `ERR_REQUEST_CUSTOMER_KEY` (customer key does not match the request),
 *   `ERR_REQUEST_AUTH` (a slot or the request does not authenticate);
 *   CryptoError `ERR_KEY_PARSE`, `ERR_INVALID_PRIVATE_KEY`, `ERR_INVALID_PUBLIC_KEY`;
 *   CertificateError `ERR_CERT_PARSE`, `ERR_HOST_KEY_NOT_P521`
 */
export async function decryptAddSecretRequest(bytes: Uint8Array, key: DecryptKey): Promise<DecryptedAddSecretRequest> {
  if (typeof key !== 'object' || key === null)
    throw new InputError('ERR_INVALID_OPTION', 'decrypt: expected { hostPrivateKey } or { customerPrivateKey, hostKeyDocument }');
  const backend = key.backend ?? portableBackend;
  const info = parseAddSecretRequest(bytes);
  const customerPoint = wireToPoint(info.customerPublicKey);

  let privateKey: Uint8Array | undefined;
  let protectionKey: Uint8Array | undefined;
  let plaintext: Uint8Array | undefined;
  try {
    let hash: Uint8Array;
    let peer: Uint8Array;
    if ('hostPrivateKey' in key) {
      privateKey = parseP521PrivateKey(key.hostPrivateKey, 'host private key');
      hash = hostKeyHash(await backend.p521PublicKey(privateKey));
      peer = customerPoint;
    } else if ('customerPrivateKey' in key) {
      privateKey = parseP521PrivateKey(key.customerPrivateKey, 'customer private key');
      if (!equalBytes(pointToWire(await backend.p521PublicKey(privateKey)), info.customerPublicKey)) {
        throw new RequestError('ERR_REQUEST_CUSTOMER_KEY', "request: the customer private key does not belong to the request's customer public key");
      }
      const host = hostKeyOf(key.hostKeyDocument);
      hash = host.hash;
      peer = host.publicKey;
    } else {
      throw new InputError('ERR_INVALID_OPTION', 'decrypt: expected { hostPrivateKey } or { customerPrivateKey, hostKeyDocument }');
    }

    const index = info.keySlots.findIndex((s) => equalBytes(s.hostKeyHash, hash));
    const slot = info.keySlots[index];
    if (!slot) {
      throw new RequestError(
        'ERR_REQUEST_NO_KEY_SLOT',
        `request: no key slot for host key ${toHex(hash)} (the request has ${info.nks} key slot(s) for other host keys)`,
      );
    }
    try {
      protectionKey = await unwrapKeySlot(backend, privateKey, peer, slot);
    } catch (cause) {
      if (cause instanceof CryptoError && cause.code === 'ERR_CRYPTO')
        authFailure(`key slot ${index} does not open with this key (wrong key, or the slot was modified)`, cause);
      throw cause;
    }
    try {
      plaintext = await backend.aesGcmDecrypt(protectionKey, info.iv, concatBytes(info.encrypted, info.requestTag), bytes.subarray(0, info.aadLength));
    } catch (cause) {
      if (cause instanceof CryptoError && cause.code === 'ERR_CRYPTO') authFailure('authentication failed: the request was modified after it was built', cause);
      throw cause;
    }
    const { type, length, id } = info.secret;
    return {
      request: info,
      keySlot: index,
      hostKeyHash: slot.hostKeyHash,
      secret: { type, typeName: secretTypeName(type), ...(id ? { id } : {}), value: copyBytes(plaintext, 0, length) },
      extensionSecret: copyBytes(plaintext, length),
    };
  } finally {
    zeroize(privateKey, protectionKey, plaintext);
  }
}
