/**
 * Host keys for many requests at once, verifying each certificate chain only once.
 *
 * A batch or an association plan builds many requests for the same host-key documents
 * and the same IBM Z chain of trust. Verifying the chain (and, online, downloading its
 * CRLs) for every request would repeat the same work; here each distinct chain — the
 * same certificates, CRLs, root CA and `offline` setting — is verified once, for all the
 * documents used with it, and every request then gets the verified host keys.
 *
 * This is the one place batches and plans call host-key verification and decide how
 * verified keys reach `createAddSecretRequest` (as `VerifiedHostKey` objects, which need
 * no `verify` option).
 *
 * @module
 */
import { sha256 } from '../crypto/hash.js';
import { InputError } from '../errors.js';
import { equalBytes, toHex } from '../internal/bytes.js';
import { type HostKeyVerificationOptions, verifyHostKeyDocuments } from '../certs/verify.js';
import { type HostKey, hostKeysFromDocuments } from './host-key.js';

export type { HostKeyVerificationOptions };

/** `false` builds on unverified host keys (pvsecret `--no-verify`). */
export type HostKeyVerification = false | HostKeyVerificationOptions;

/** Verifies host-key documents against one chain; returns their (verified) host keys. */
export type VerifyHostKeyDocumentsFn = (
  options: { readonly hostKeyDocuments: readonly Uint8Array[] } & HostKeyVerificationOptions,
) => Promise<readonly HostKey[]>;

/** The verifier used by default: the portable {@link verifyHostKeyDocuments}. */
export const defaultVerifyHostKeyDocuments: VerifyHostKeyDocumentsFn = (options) => verifyHostKeyDocuments(options);

/** Host keys of one request, and whether they were verified. */
export interface ResolvedHostKeys {
  readonly hostKeys: readonly HostKey[];
  readonly verified: boolean;
}

/**
 * The host-key part of `createAddSecretRequest`'s options: verified keys go alone (they
 * carry their verification), unverified ones with an explicit `verify: false`.
 */
export function requestHostKeyOptions(r: ResolvedHostKeys): { hostKeys: readonly HostKey[]; verify?: false } {
  return r.verified ? { hostKeys: r.hostKeys } : { hostKeys: r.hostKeys, verify: false };
}

const hashOf = (b: Uint8Array) => toHex(sha256(b));

/** A stable key for one chain of trust. */
function chainKey(v: HostKeyVerificationOptions): string {
  return JSON.stringify([v.certificates.map(hashOf), (v.crls ?? []).map(hashOf), v.rootCa ? hashOf(v.rootCa) : '', v.offline === true, v.now?.getTime() ?? '']);
}

interface Chain {
  readonly options: HostKeyVerificationOptions;
  readonly documents: Map<string, Uint8Array>;
  verified?: Promise<readonly HostKey[]>;
}

/**
 * Resolves host keys for many requests. Call {@link HostKeyResolver.add} for every
 * request first, then {@link HostKeyResolver.resolve}: each chain is verified once, for
 * all documents added with it.
 */
export class HostKeyResolver {
  private readonly chains = new Map<string, Chain>();
  private readonly verifyFn: VerifyHostKeyDocumentsFn;
  /** Number of verifier calls made so far (one per distinct chain). */
  verifications = 0;

  constructor(verifyFn: VerifyHostKeyDocumentsFn = defaultVerifyHostKeyDocuments) {
    this.verifyFn = verifyFn;
  }

  /** Announces the documents a request will use with this verification. */
  add(documents: readonly Uint8Array[], verify: HostKeyVerification): void {
    if (verify === false) return;
    const key = chainKey(verify);
    let chain = this.chains.get(key);
    if (!chain) {
      chain = { options: verify, documents: new Map() };
      this.chains.set(key, chain);
    }
    for (const d of documents) {
      const h = hashOf(d);
      if (chain.documents.has(h)) continue;
      // A programming error, not an input error: every request must be added before the first resolve.
      if (chain.verified) throw new Error('HostKeyResolver: documents added after their chain was verified');
      chain.documents.set(h, d);
    }
  }

  /**
   * The host keys of `documents`, in order (verified when `verify` is not false).
   *
   * @throws CertificateError from parsing or verification; InputError `ERR_VERIFY_REQUIRED`
   */
  async resolve(documents: readonly Uint8Array[], verify: HostKeyVerification): Promise<ResolvedHostKeys> {
    const unverified = documents.map((d, i) => hostKeysFromDocuments([d]).map((k) => ({ ...k, subject: k.subject ?? `host-key document #${i + 1}` })));
    if (verify === false) return { hostKeys: unverified.flat(), verified: false };
    this.add(documents, verify);
    const chain = this.chains.get(chainKey(verify)) as Chain;
    if (!chain.verified) {
      this.verifications++;
      chain.verified = this.verifyFn({ ...chain.options, hostKeyDocuments: [...chain.documents.values()] });
    }
    const verified = await chain.verified;
    const hostKeys = unverified.map((keys, i) => {
      const found = verified.filter((v) => keys.some((k) => equalBytes(k.hash, v.hash)));
      if (found.length === 0) throw new InputError('ERR_VERIFY_REQUIRED', `host-key document #${i + 1}: not among the verified host keys`);
      return found;
    });
    return { hostKeys: hostKeys.flat(), verified: true };
  }
}
