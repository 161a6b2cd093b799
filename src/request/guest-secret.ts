/**
 * The secrets a request can carry, as the caller describes them, and their encoding
 * into a secret header plus the confidential value.
 *
 * @module
 */
import type { SealingBackend } from '../crypto/backend.js';
import { InputError } from '../errors.js';
import { type RetrievableKind, encodeRetrievable } from './retrievable.js';
import { copyBytes } from '../internal/bytes.js';
import { redactSecrets } from '../internal/redact.js';
import { type SecretHeader, SecretType } from './secret.js';
import { secretId } from './secret-id.js';

/** Size of an association secret (the reference's `ASSOC_SECRET_SIZE`). */
export const ASSOCIATION_SECRET_SIZE = 32;

/** A meta (null) secret: no value; the request only carries flags. */
export interface MetaSecret {
  readonly type: 'meta';
}

/** An association secret, tying AP queues to the guest. */
export interface AssociationSecret {
  readonly type: 'association';
  readonly name: string;
  /** 32 bytes; random when absent. */
  readonly value?: Uint8Array;
  /** Use the name's bytes as the id instead of its SHA-256 (pvsecret `--use-name`). */
  readonly useName?: boolean;
}

/**
 * A retrievable secret: a value the guest can read back (`pvsecret retrieve`). The kind
 * and the value's size (or, for `ec`, the key's curve) select the secret type.
 */
export interface RetrievableSecret {
  readonly type: 'retrievable';
  readonly kind: RetrievableKind;
  readonly name: string;
  /**
   * - `plain`: the data, at most 8190 bytes;
   * - `aes`: a 16, 24 or 32-byte key (AES-128/192/256);
   * - `aes-xts`: 32 or 64 bytes of key material (AES-XTS-128/256);
   * - `hmac-sha`: a 64 or 128-byte key (HMAC-SHA-256/512);
   * - `ec`: a PEM or DER private key on P-256, P-384, P-521, Ed25519 or Ed448.
   */
  readonly value: Uint8Array;
  /** Use the name's bytes as the id instead of its SHA-256 (pvsecret `--use-name`). */
  readonly useName?: boolean;
}

/** A new customer communication key (CCK) for the guest. */
export interface UpdateCckSecret {
  readonly type: 'update-cck';
  /** The new CCK, 32 bytes. */
  readonly value: Uint8Array;
}

/** Every secret `createAddSecretRequest` accepts. */
export type SecretSpec = MetaSecret | AssociationSecret | RetrievableSecret | UpdateCckSecret;

/** Size of a CCK (the reference's `CCK_SIZE`). */
export const CCK_SIZE = 32;

/** A secret ready for a request: its header and confidential encoded value. */
export interface EncodedSecret {
  readonly header: SecretHeader;
  /** Confidential: zero after use. */
  readonly value: Uint8Array;
}

function describe(v: unknown): string {
  return v instanceof Uint8Array ? `${v.length} bytes` : v === undefined ? 'nothing' : typeof v;
}

/**
 * Encodes a secret. Random values come from `crypto`.
 *
 * @throws InputError `ERR_INVALID_OPTION`, `ERR_SECRET_NAME`, `ERR_SECRET_SIZE`,
 *   `ERR_SECRET_KEY_TYPE`, `ERR_KEY_PARSE`; CryptoError `ERR_INVALID_PRIVATE_KEY`
 */
export function encodeGuestSecret(secret: SecretSpec, crypto: SealingBackend): EncodedSecret {
  if (typeof secret !== 'object' || secret === null) {
    throw new InputError('ERR_INVALID_OPTION', 'options.secret: expected an object with a type');
  }
  switch (secret.type) {
    case 'meta':
      return redactSecrets({ header: { type: SecretType.Null, length: 0 }, value: new Uint8Array(0) }, ['value']);
    case 'association': {
      const id = secretId(secret.name, { useName: secret.useName === true });
      let value: Uint8Array;
      if (secret.value === undefined) {
        value = crypto.randomBytes(ASSOCIATION_SECRET_SIZE);
      } else {
        if (!(secret.value instanceof Uint8Array) || secret.value.length !== ASSOCIATION_SECRET_SIZE) {
          throw new InputError('ERR_SECRET_SIZE', `association secret: value must be ${ASSOCIATION_SECRET_SIZE} bytes (got ${describe(secret.value)})`);
        }
        value = copyBytes(secret.value);
      }
      return redactSecrets({ header: { type: SecretType.Association, length: value.length, id }, value }, ['value']);
    }
    case 'retrievable': {
      const id = secretId(secret.name, { useName: secret.useName === true });
      const { type, value } = encodeRetrievable(secret.kind, secret.value);
      return { header: { type, length: value.length, id }, value };
    }
    case 'update-cck': {
      if (!(secret.value instanceof Uint8Array) || secret.value.length !== CCK_SIZE) {
        throw new InputError('ERR_SECRET_SIZE', `update-cck secret: value must be ${CCK_SIZE} bytes (got ${describe(secret.value)})`);
      }
      // The header of a CCK update carries no id: 32 zero bytes (`UpdateCckHdr`).
      return { header: { type: SecretType.UpdateCck, length: CCK_SIZE }, value: copyBytes(secret.value) };
    }
    default:
      throw new InputError('ERR_INVALID_OPTION', `options.secret.type: unknown secret type ${JSON.stringify((secret as { type: unknown }).type)}`);
  }
}
