/**
 * Host keys for many requests at once, verifying each certificate chain only once.
 *
 * A batch or an association plan builds many requests for the same host-key documents
 * and the same IBM Z chain of trust. Verifying the chain (and, online, downloading its
 * CRLs) for every request would repeat the same work; here each distinct chain — the
 * same certificates, CRLs, root CA and `offline` setting — is verified once, for all the
 * documents used with it, and every request then gets the verified host keys.
 *
 * Each distinct host-key document is read once: its certificates serve the unverified
 * host keys and go to the verifier as they are (the verifier does not read them again).
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
import type { CertInfo } from '../certs/cert-info.js';
import { parseCertificates } from '../certs/inputs.js';
import { type HostKeyVerificationOptions, verifyHostKeyDocuments } from '../certs/verify.js';
import { type HostKey, hostKeyFromCertificate } from './host-key.js';

export type { HostKeyVerificationOptions };

/** `false` builds on unverified host keys (pvsecret `--no-verify`). */
export type HostKeyVerification = false | HostKeyVerificationOptions;

/**
 * Verifies host-key documents against one chain; returns their (verified) host keys.
 * The documents come as their certificates, already read by `parseCertificates`.
 */
export type VerifyHostKeyDocumentsFn = (
  options: { readonly hostKeyDocuments: readonly CertInfo[] } & HostKeyVerificationOptions,
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
  /** The documents verified with this chain, by hash. */
  readonly documents: Map<string, Uint8Array>;
  /** What to call them in messages (a file name), by hash, where the caller said. */
  readonly names: Map<string, string>;
  verified?: Promise<readonly HostKey[]>;
}

/** One host-key document as read: its certificates, and their host keys once asked for. */
interface ReadDocument {
  readonly source: string;
  readonly certificates: readonly CertInfo[];
  hostKeys?: readonly HostKey[];
}

/** How a host-key document is called in messages: its file name where known, else its position (when `numbered`). */
function documentLabel(name: string | undefined, i: number, numbered: boolean): string {
  return name !== undefined ? `host-key document '${name}'` : numbered ? `host-key document #${i + 1}` : 'host-key document';
}

/**
 * Resolves host keys for many requests. Call {@link HostKeyResolver.add} for every
 * request first, then {@link HostKeyResolver.resolve}: each chain is verified once, for
 * all documents added with it.
 */
export class HostKeyResolver {
  private readonly chains = new Map<string, Chain>();
  private readonly read = new Map<string, ReadDocument>();
  private readonly verifyFn: VerifyHostKeyDocumentsFn;
  /** Number of verifier calls made so far (one per distinct chain). */
  verifications = 0;
  /** Number of host-key documents read so far (one per distinct document). */
  documentsRead = 0;

  constructor(verifyFn: VerifyHostKeyDocumentsFn = defaultVerifyHostKeyDocuments) {
    this.verifyFn = verifyFn;
  }

  /**
   * A host-key document, read on first use (`source` names it in errors).
   *
   * @throws CertificateError `ERR_CERT_PARSE`
   */
  private document(bytes: Uint8Array, source: string): ReadDocument {
    const h = hashOf(bytes);
    let doc = this.read.get(h);
    if (!doc) {
      doc = { source, certificates: parseCertificates(bytes, source) };
      this.documentsRead++;
      this.read.set(h, doc);
    }
    return doc;
  }

  /** The host keys of a document read. @throws CertificateError `ERR_HOST_KEY_NOT_P521` */
  private static hostKeysOf(doc: ReadDocument): readonly HostKey[] {
    doc.hostKeys ??= doc.certificates.map((c) => hostKeyFromCertificate(c, doc.source));
    return doc.hostKeys;
  }

  /** Announces the documents a request will use with this verification (reads nothing yet). */
  add(documents: readonly Uint8Array[], verify: HostKeyVerification, names?: readonly string[]): void {
    if (verify === false) return;
    const key = chainKey(verify);
    let chain = this.chains.get(key);
    if (!chain) {
      chain = { options: verify, documents: new Map(), names: new Map() };
      this.chains.set(key, chain);
    }
    for (const [i, d] of documents.entries()) {
      const h = hashOf(d);
      if (chain.documents.has(h)) continue;
      // A programming error, not an input error: every request must be added before the first resolve.
      if (chain.verified) throw new Error('HostKeyResolver: documents added after their chain was verified');
      chain.documents.set(h, d);
      const name = names?.[i];
      if (name !== undefined) chain.names.set(h, name);
    }
  }

  /**
   * The host keys of `documents`, in order (verified when `verify` is not false). Each
   * distinct document is read once, here or for its chain's verification, whichever
   * comes first.
   *
   * @throws CertificateError from reading or verification; InputError `ERR_VERIFY_REQUIRED`
   */
  async resolve(documents: readonly Uint8Array[], verify: HostKeyVerification, names?: readonly string[]): Promise<ResolvedHostKeys> {
    const source = (i: number) => documentLabel(names?.[i], i, documents.length > 1);
    const read = documents.map((d, i) => HostKeyResolver.hostKeysOf(this.document(d, source(i))));
    if (verify === false) return { hostKeys: read.flat(), verified: false };
    this.add(documents, verify, names);
    const chain = this.chains.get(chainKey(verify)) as Chain;
    if (!chain.verified) {
      this.verifications++;
      const docs = [...chain.documents].map(([h, bytes], i) => {
        const name = chain.names.get(h);
        return { name, certificates: this.document(bytes, documentLabel(name, i, true)).certificates };
      });
      // The verifier names each certificate by its document's file, where every document has one.
      const named = docs.every((d) => d.name !== undefined);
      chain.verified = this.verifyFn({
        ...chain.options,
        hostKeyDocuments: docs.flatMap((d) => d.certificates),
        ...(named ? { names: { ...chain.options.names, hostKeyDocuments: docs.flatMap((d) => d.certificates.map(() => d.name as string)) } } : {}),
      });
    }
    const verified = await chain.verified;
    const hostKeys = read.map((keys, i) => {
      const found = verified.filter((v) => keys.some((k) => equalBytes(k.hash, v.hash)));
      if (found.length === 0) throw new InputError('ERR_VERIFY_REQUIRED', `${source(i)}: not among the verified host keys`);
      return found;
    });
    return { hostKeys: hostKeys.flat(), verified: true };
  }
}
