/**
 * Building an add-secret request.
 *
 * @module
 */
import type { SealingBackend } from '../crypto/backend.js';
import { AES256_KEY_SIZE, GCM_IV_SIZE } from '../crypto/backend.js';
import { p521KeyAgreement } from '../crypto/agreement.js';
import type { P521Agreement } from '../crypto/backend.js';
import type { HostPointCache } from '../crypto/host-point-cache.js';
import { pointToWire } from '../crypto/p521.js';
import { portableSealingBackend } from '../crypto/portable.js';
import { InputError } from '../errors.js';
import { parseSeHeader } from '../header/locate.js';
import type { SeHeaderTags } from '../header/se-header.js';
import { copyBytes, zeroize } from '../internal/bytes.js';
import { CUID_SIZE, FLAG_DISABLE_DUMP, encodeRequestAad } from './asrcb.js';
import { type ExtensionSecretOption, extensionSecretBytes } from './ext-secret.js';
import { type EncodedSecret, type SecretSpec, encodeGuestSecret } from './guest-secret.js';
import type { HostKey } from './host-key.js';
import type { HostKeyVerificationOptions, VerifiedHostKey } from '../certs/verify.js';
import { type HostKeyVerifier, resolveHostKeys } from './resolve-host-keys.js';
import { sealKeySlot } from './keyslot.js';
import { encodeSecretHeader } from './secret.js';
import { resolveUserData, signRequest, zeroizeSigningKey } from './user-data.js';

/** Request flags: by name, or the raw 64-bit word (pvsecret's hidden `--pcf`). */
export type RequestFlags = { disableDump?: boolean } | bigint;

/**
 * Fixed randomness, **for known-answer tests only**: a request built with it is as
 * predictable as its inputs. Mirrors the reference's fixed encryption context.
 */
export interface DeterministicInputs {
  /** 12-byte request IV. */
  readonly iv: Uint8Array;
  /** 32-byte AES-256 protection key. */
  readonly protectionKey: Uint8Array;
  /** Raw P-521 private scalar of the customer key, any left-padding. */
  readonly customerPrivateKey: Uint8Array;
}

/** Options of {@link createAddSecretRequest}. */
export interface CreateAddSecretRequestOptions {
  /** The secret to add. */
  readonly secret: SecretSpec;
  /** The guest's SE header or SE image bytes, or just its tags. */
  readonly seHeader: Uint8Array | SeHeaderTags;
  /**
   * Host-key documents (PEM or DER; a PEM may hold several) or host keys — for
   * instance the {@link VerifiedHostKey}s `verifyHostKeyDocuments` returned.
   */
  readonly hostKeys: readonly (Uint8Array | HostKey)[];
  /**
   * Host-key verification: `{ certificates, crls?, rootCa?, offline?, now?, fetchCrl? }`
   * verifies the documents as pvsecret `-C … --crl …` does; `false` builds on
   * unverified keys (pvsecret `--no-verify`). It may be left out only when every host
   * key comes from `verifyHostKeyDocuments`; otherwise that is `ERR_VERIFY_REQUIRED`.
   */
  readonly verify?: false | HostKeyVerificationOptions;
  /**
   * What `verify: { … }` runs: `verifyHostKeyDocuments`. Set by default under Node (the
   * root's `node` condition, `se-secrets/node`) and in `se-secrets/browser`. The
   * tree-shakable root for bundlers leaves it out, so that a bundle of
   * `createAddSecretRequest` holds no certificate-chain code unless you import
   * `verifyHostKeyDocuments`: there, give `verifier: verifyHostKeyDocuments` with
   * `verify: { … }` (or pass its host keys), else `ERR_INVALID_OPTION`.
   */
  readonly verifier?: HostKeyVerifier;
  readonly flags?: RequestFlags;
  /** Configuration unique ID, 16 bytes; zero when absent. */
  readonly cuid?: Uint8Array;
  readonly extensionSecret?: ExtensionSecretOption;
  /**
   * User data carried (authenticated, not encrypted) in the request: at most 512 bytes
   * unsigned; with `userSigningKey` at most 256 (EC P-521, RSA-2048) or 128 (RSA-3072).
   * See `policyUserData` for pvsecret's `--policy` reference.
   */
  readonly userData?: Uint8Array;
  /**
   * PEM or DER private key (PKCS#8, SEC 1 or PKCS#1) signing the request with SHA-512:
   * EC P-521 (ECDSA), RSA-2048 or RSA-3072 (RSA-PSS). Without `userData`, empty data is signed.
   */
  readonly userSigningKey?: Uint8Array;
  /** For known-answer tests only. */
  readonly deterministic?: DeterministicInputs;
  /** The crypto backend; the package entry point chooses the fastest for the runtime. */
  readonly backend?: SealingBackend;
  /**
   * Precomputed host-point tables to share across many requests for the same hosts
   * (public data only). `createAddSecretRequests` makes its own; without one, a request
   * builds no table.
   */
  readonly hostPointCache?: HostPointCache;
}

function bytesOption(v: unknown, size: number, name: string, code: 'ERR_INVALID_OPTION' | 'ERR_CUID' = 'ERR_INVALID_OPTION'): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length !== size) {
    const got = v instanceof Uint8Array ? `${v.length} bytes` : typeof v;
    throw new InputError(code, `${name} must be ${size} bytes (got ${got})`);
  }
  return v;
}

/** The pld/ald/tld/tag the request is bound to. */
export function seHeaderTags(seHeader: CreateAddSecretRequestOptions['seHeader']): SeHeaderTags {
  if (seHeader instanceof Uint8Array) {
    const { pld, ald, tld, tag } = parseSeHeader(seHeader);
    return { pld, ald, tld, tag };
  }
  if (typeof seHeader !== 'object' || seHeader === null) {
    throw new InputError('ERR_INVALID_OPTION', 'options.seHeader: expected SE header or image bytes, or { pld, ald, tld, tag }');
  }
  return {
    pld: bytesOption(seHeader.pld, 64, 'options.seHeader.pld'),
    ald: bytesOption(seHeader.ald, 64, 'options.seHeader.ald'),
    tld: bytesOption(seHeader.tld, 64, 'options.seHeader.tld'),
    tag: bytesOption(seHeader.tag, 16, 'options.seHeader.tag'),
  };
}

/** The 64-bit flags word. @throws InputError `ERR_FLAGS` */
export function flagsWord(flags: RequestFlags | undefined): bigint {
  if (flags === undefined) return 0n;
  if (typeof flags === 'bigint') {
    if (flags < 0n || flags > 0xffffffffffffffffn) throw new InputError('ERR_FLAGS', `options.flags: ${flags} does not fit in 64 bits`);
    return flags;
  }
  if (typeof flags !== 'object' || flags === null) throw new InputError('ERR_FLAGS', 'options.flags: expected { disableDump } or a bigint');
  for (const k of Object.keys(flags)) {
    if (k !== 'disableDump') throw new InputError('ERR_FLAGS', `options.flags: unknown flag ${JSON.stringify(k)} (known: disableDump)`);
  }
  return flags.disableDump ? FLAG_DISABLE_DUMP : 0n;
}

/**
 * Builds an add-secret request, byte-compatible with `pvsecret create` 2.43.
 *
 * @example
 * ```ts
 * const request = await createAddSecretRequest({
 *   secret: { type: 'association', name: 'my-secret' },
 *   seHeader: await readFile('guest.hdr'),
 *   hostKeys: [await readFile('HKD-8561-0000001.crt')],
 *   verify: false,
 * });
 * ```
 * @throws InputError `ERR_VERIFY_REQUIRED`, `ERR_INVALID_OPTION`, `ERR_HOST_KEY_COUNT`,
 *   `ERR_SECRET_NAME`, `ERR_SECRET_SIZE`, `ERR_SECRET_KEY_TYPE`, `ERR_KEY_PARSE`, `ERR_CUID`,
 *   `ERR_FLAGS`, `ERR_USER_DATA_SIZE`, `ERR_USER_KEY_TYPE`; HeaderError `ERR_HEADER_*`;
 *   CertificateError `ERR_CERT_PARSE`, `ERR_HOST_KEY_NOT_P521`; CryptoError `ERR_INVALID_PRIVATE_KEY`;
 *   and, with `verify: { … }`, every code of `verifyHostKeyDocuments`
 */
export async function createAddSecretRequest(options: CreateAddSecretRequestOptions): Promise<Uint8Array> {
  if (typeof options !== 'object' || options === null) throw new InputError('ERR_INVALID_OPTION', 'options: expected an object');
  const backend = options.backend ?? portableSealingBackend;
  if (options.hostPointCache !== undefined && typeof options.hostPointCache?.ecdhX !== 'function') {
    throw new InputError('ERR_INVALID_OPTION', 'options.hostPointCache: expected a HostPointCache');
  }
  const tags = seHeaderTags(options.seHeader);
  const flags = flagsWord(options.flags);
  const cuid = options.cuid === undefined ? new Uint8Array(CUID_SIZE) : bytesOption(options.cuid, CUID_SIZE, 'options.cuid', 'ERR_CUID');
  const det = options.deterministic;
  const iv = det ? bytesOption(det.iv, GCM_IV_SIZE, 'deterministic.iv') : backend.randomBytes(GCM_IV_SIZE);

  const userData = resolveUserData(options.userData, options.userSigningKey);
  let secret: EncodedSecret | undefined;
  let ext: Uint8Array | undefined;
  let protectionKey: Uint8Array | undefined;
  let agreement: P521Agreement | undefined;
  let plaintext: Uint8Array | undefined;
  try {
    secret = encodeGuestSecret(options.secret, backend);
    ext = extensionSecretBytes(options.extensionSecret, tags.tag);
    // Host keys last, as pvsecret: every other input error comes before a certificate
    // error, and nothing is downloaded for a request that cannot be built anyway.
    const hostKeys = await resolveHostKeys(options);
    protectionKey = det
      ? copyBytes(bytesOption(det.protectionKey, AES256_KEY_SIZE, 'deterministic.protectionKey'))
      : backend.randomBytes(AES256_KEY_SIZE);
    // One customer key agreed with every host key (fresh unless deterministic).
    agreement = await p521KeyAgreement(backend, det ? det.customerPrivateKey : undefined, hostKeys.map((hk) => hk.publicKey), options.hostPointCache);
    const customerPublicKey = agreement.publicKey;
    const keySlots: Uint8Array[] = [];
    for (const [i, hk] of hostKeys.entries()) {
      keySlots.push(await sealKeySlot(backend, agreement.shared[i] as Uint8Array, hk.hash, protectionKey));
    }
    plaintext = new Uint8Array(secret.value.length + ext.length);
    plaintext.set(secret.value, 0);
    plaintext.set(ext, secret.value.length);

    const { request, aadLength } = encodeRequestAad({
      userDataType: userData.type,
      iv,
      flags,
      pld: tags.pld,
      ald: tags.ald,
      tld: tags.tld,
      tag: tags.tag,
      cuid,
      userDataArea: userData.area,
      customerPublicKey: pointToWire(customerPublicKey),
      keySlots,
      secretHeader: encodeSecretHeader(secret.header),
      sea: plaintext.length,
    });
    const sealed = await backend.aesGcmEncrypt(protectionKey, iv, plaintext, request.subarray(0, aadLength));
    request.set(sealed, aadLength);
    if (userData.signingKey) {
      await signRequest(backend, request, { aadLength, iv, protectionKey, plaintext }, userData.type, userData.signingKey);
    }
    return request;
  } finally {
    zeroize(protectionKey, agreement?.privateKey, ...(agreement?.shared ?? []), plaintext, secret?.value, ext);
    zeroizeSigningKey(userData.signingKey);
  }
}
