/**
 * Host-key document verification: the same decisions as `pvsecret create -C … --crl …
 * [--root-ca …] [--offline]` (s390-tools 2.43 `rust/pv/src/verify.rs`), with a typed
 * reason. Order, as the reference's:
 *
 * 1. read the root CA (or take the trusted roots), the CRLs, then the certificates
 *    (CRLs inside them count too); online, download the CRLs named by each certificate;
 * 2. pick the one IBM Z signing key among the certificates;
 * 3. verify its chain to a trusted root, with a CRL for every link (`chain.ts`);
 * 4. verify each host-key document, in order, against it (`hkd.ts`).
 *
 * The core takes bytes and works in any runtime. Under Node the package entry supplies
 * the platform's trusted roots and an HTTP `fetchCrl`.
 *
 * @module
 */
import { CertificateError, InputError } from '../errors.js';
import { copyBytes, equalBytes } from '../internal/bytes.js';
import type { CertInfo } from './cert-info.js';
import { verifySigningKeyChain } from './chain.js';
import type { CrlInfo } from './crl-info.js';
import { type FetchCrl, downloadFirstCrl } from './crl-download.js';
import { type HkdContext, verifyHostKeyCertificate } from './hkd.js';
import { isIbmSigningKeySubject } from './ibm-names.js';
import { TRUSTED_CERT_LABELS, isParsedCertificate, readCertificates, readCrlFile, readCrlsLeniently, readHostKeyDocument, readRootCa } from './inputs.js';
import { formatName } from './names.js';
import { sameDer } from './relations.js';
import { type VerifiedHostKey, markVerified } from './verified-host-key.js';

export type { FetchCrl } from './crl-download.js';
export type { VerifiedHostKey } from './verified-host-key.js';

/** How host-key documents are verified (the request builder's `verify` option). */
export interface HostKeyVerificationOptions {
  /** The `-C` files: the IBM Z signing key and the intermediate CA (PEM or DER; several per item allowed). */
  readonly certificates: readonly Uint8Array[];
  /** CRLs (PEM or DER; several per item allowed). */
  readonly crls?: readonly Uint8Array[];
  /** The trusted root CA (PEM or DER; a PEM may also carry CRLs). Replaces the default roots. */
  readonly rootCa?: Uint8Array;
  /**
   * Trusted roots used when `rootCa` is absent (DER or PEM each). The Node entry fills
   * this with Node's bundled roots and the system store; elsewhere give `rootCa` or this.
   */
  readonly trustedRoots?: readonly Uint8Array[];
  /** Do not download CRLs. */
  readonly offline?: boolean;
  /** The verification time; default: the current time. */
  readonly now?: Date;
  /**
   * Downloads a CRL distribution point (http/https URIs and whatever else your
   * function handles). The Node entry defaults to HTTP(S); the portable entry has no
   * default, so it works offline unless you give one.
   */
  readonly fetchCrl?: FetchCrl;
  /**
   * Called as each step passes, in order (for progress displays such as the offline
   * page's checklist). When verification throws, the step that failed is the one after
   * the last reported.
   */
  readonly onStep?: (step: VerificationStep) => void;
  /**
   * What to call the inputs in messages (file names, say), by position: a bad CRL is
   * then `CRL 'ibm-z-host-key-gen2.crl'` instead of `CRL #2`. Only shown, never read.
   */
  readonly names?: InputNames;
}

/** Names of the inputs for messages (see {@link HostKeyVerificationOptions.names}). */
export interface InputNames {
  readonly hostKeyDocuments?: readonly string[];
  readonly certificates?: readonly string[];
  readonly crls?: readonly string[];
  readonly rootCa?: string;
}

/**
 * A verification step that passed: the inputs were read, the IBM Z signing key was
 * found, its chain verified (subjects from the signing key up to the root), and then
 * each host-key document in turn (every certificate of it).
 */
export type VerificationStep =
  | {
      readonly step: 'inputs';
      readonly certificates: number;
      readonly crls: number;
      readonly roots: number;
      /** The `certificates` inputs that held neither a certificate nor a CRL (pvsecret ignores them silently), by label. */
      readonly unused: readonly string[];
    }
  | { readonly step: 'signing-key'; readonly subject: string }
  | { readonly step: 'chain'; readonly subjects: readonly string[] }
  | { readonly step: 'host-key-document'; readonly index: number; readonly keys: readonly VerifiedHostKey[] };

/** Options of {@link verifyHostKeyDocuments}. */
export interface VerifyHostKeyDocumentsOptions extends HostKeyVerificationOptions {
  /**
   * Host-key documents: PEM or DER bytes (every certificate of each is verified), or
   * certificates from `parseCertificates` (verified without being read again).
   */
  readonly hostKeyDocuments: readonly (Uint8Array | CertInfo)[];
}

/**
 * Trusted roots already read, by array: the platform store is read once per process. An
 * entry holds a copy of the bytes it was read from and is used only while the array still
 * holds them, so a caller that reuses an array for other roots is never trusted on a
 * stale reading.
 */
const parsedRoots = new WeakMap<Uint8Array, { readonly bytes: Uint8Array; readonly certs: CertInfo[] }>();

function bytesList(v: unknown, name: string, required: boolean): readonly Uint8Array[] {
  if (v === undefined && !required) return [];
  if (!Array.isArray(v) || !v.every((x) => x instanceof Uint8Array)) {
    throw new InputError('ERR_INVALID_OPTION', `options.${name}: expected an array of Uint8Array`);
  }
  return v;
}

function trustedRootCerts(list: readonly Uint8Array[]): CertInfo[] {
  const out: CertInfo[] = [];
  for (const bytes of list) {
    const seen = parsedRoots.get(bytes);
    let certs = seen && equalBytes(seen.bytes, bytes) ? seen.certs : undefined;
    if (!certs) {
      try {
        certs = readCertificates(bytes, 'trusted root', TRUSTED_CERT_LABELS);
      } catch {
        certs = []; // an unreadable entry of a platform store is skipped
      }
      parsedRoots.set(bytes, { bytes: copyBytes(bytes), certs });
    }
    out.push(...certs);
  }
  return out;
}

/** `CRL 'a.crl'` when the caller named the input, else `CRL #2`. */
function label(what: string, names: readonly string[] | undefined, i: number): string {
  const name = names?.[i];
  return typeof name === 'string' ? `${what} '${name}'` : `${what} #${i + 1}`;
}

function addUnique<T extends { der: Uint8Array }>(list: T[], items: readonly T[]): void {
  for (const x of items) if (!list.some((y) => sameDer(x, y))) list.push(x);
}

interface Verifier extends HkdContext {
  readonly chain: readonly CertInfo[];
}

/** Steps 1–3: the verified signing key and the CRL store. */
async function buildVerifier(options: HostKeyVerificationOptions): Promise<Verifier> {
  const certificates = bytesList(options.certificates, 'certificates', true);
  const crlInputs = bytesList(options.crls, 'crls', false);
  if (options.rootCa !== undefined && !(options.rootCa instanceof Uint8Array)) throw new InputError('ERR_INVALID_OPTION', 'options.rootCa: expected a Uint8Array');
  const trusted = bytesList(options.trustedRoots, 'trustedRoots', false);
  const now = options.now ?? new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new InputError('ERR_INVALID_OPTION', 'options.now: expected a valid Date');
  if (options.fetchCrl !== undefined && typeof options.fetchCrl !== 'function') throw new InputError('ERR_INVALID_OPTION', 'options.fetchCrl: expected a function');
  if (options.onStep !== undefined && typeof options.onStep !== 'function') throw new InputError('ERR_INVALID_OPTION', 'options.onStep: expected a function');
  const fetchCrl = options.offline ? undefined : options.fetchCrl;
  const names = options.names;
  if (names !== undefined && (typeof names !== 'object' || names === null)) throw new InputError('ERR_INVALID_OPTION', 'options.names: expected an object');

  const crls: CrlInfo[] = [];
  let roots: CertInfo[];
  if (options.rootCa) {
    const root = readRootCa(options.rootCa, typeof names?.rootCa === 'string' ? `root CA '${names.rootCa}'` : 'root CA');
    roots = root.certs;
    addUnique(crls, root.crls);
  } else if (options.trustedRoots) {
    roots = trustedRootCerts(trusted);
  } else {
    throw new InputError('ERR_INVALID_OPTION', 'options.rootCa: no trusted root (give rootCa or trustedRoots; only the Node entry has a default root store)');
  }
  for (const [i, b] of crlInputs.entries()) addUnique(crls, readCrlFile(b, label('CRL', names?.crls, i)));
  const crlsInside = certificates.map((b, i) => readCrlsLeniently(b, label('certificate', names?.certificates, i)));
  for (const inside of crlsInside) addUnique(crls, inside);

  const certs: CertInfo[] = [];
  const unused: string[] = [];
  for (const [i, b] of certificates.entries()) {
    const source = label('certificate', names?.certificates, i);
    const found = readCertificates(b, source);
    if (found.length === 0 && crlsInside[i]?.length === 0) unused.push(source);
    if (fetchCrl) for (const c of found) addUnique(crls, await downloadFirstCrl(c, fetchCrl));
    certs.push(...found);
  }
  options.onStep?.({ step: 'inputs', certificates: certs.length, crls: crls.length, roots: roots.length, unused });

  const signing = certs.filter((c) => isIbmSigningKeySubject(c.subject));
  if (signing.length === 0) {
    const held = unused.length ? `; ${unused.join(', ')} held no certificate` : '';
    throw new CertificateError('ERR_NO_SIGNING_KEY', `host-key verification: no IBM Z signing key among the ${certs.length} certificates given (expected exactly one)${held}`);
  }
  if (signing.length > 1) {
    throw new CertificateError('ERR_MANY_SIGNING_KEYS', `host-key verification: ${signing.length} IBM Z signing keys among the certificates (expected exactly one)`);
  }
  const signingKey = signing[0] as CertInfo;
  options.onStep?.({ step: 'signing-key', subject: formatName(signingKey.subject) });
  const others = certs.filter((c) => c !== signingKey);
  const chain = await verifySigningKeyChain(signingKey, others, roots, crls, now);
  options.onStep?.({ step: 'chain', subjects: chain.map((c) => formatName(c.subject)) });
  return {
    chain,
    signingKey,
    crls,
    now,
    ...(fetchCrl ? { download: (c: CertInfo) => downloadFirstCrl(c, fetchCrl) } : {}),
  };
}

/**
 * Verifies host-key documents against the IBM Z signing key, its chain of trust and
 * the CRLs, deciding every case as `pvsecret` 2.43 does. Returns one verified host key
 * per certificate found, in input order.
 *
 * Unlike pvsecret, which uses only the first certificate of each host-key document
 * file, every certificate of every input is verified and returned.
 *
 * @example
 * ```ts
 * const keys = await verifyHostKeyDocuments({
 *   hostKeyDocuments: [await readFile('HKD-3931-0000001.crt')],
 *   certificates: [await readFile('ibm-z-host-key-signing-gen2.crt'), await readFile('DigiCertCA.crt')],
 *   crls: [await readFile('ibm-z-host-key-gen2.crl')],
 * });
 * ```
 * @throws CertificateError `ERR_NO_SIGNING_KEY`, `ERR_MANY_SIGNING_KEYS`,
 *   `ERR_SIGNING_KEY_UNTRUSTED` (a {@link ChainOfTrustError} with `depth`),
 *   `ERR_NO_VALID_CRL`, `ERR_HKD_REVOKED`, `ERR_HKD_EXPIRED`, `ERR_HKD_NOT_YET_VALID`,
 *   `ERR_HKD_AKID_MISMATCH`, `ERR_HKD_SIGNATURE`, `ERR_HKD_ISSUER_MISMATCH`,
 *   `ERR_HKD_WEAK_KEY`, `ERR_HOST_KEY_NOT_P521`, `ERR_CERT_PARSE`, `ERR_CRL_PARSE`;
 *   InputError `ERR_INVALID_OPTION`
 */
export async function verifyHostKeyDocuments(options: VerifyHostKeyDocumentsOptions): Promise<VerifiedHostKey[]> {
  if (typeof options !== 'object' || options === null) throw new InputError('ERR_INVALID_OPTION', 'options: expected an object');
  const documents = options.hostKeyDocuments;
  if (!Array.isArray(documents) || !documents.every((d) => d instanceof Uint8Array || isParsedCertificate(d))) {
    throw new InputError('ERR_INVALID_OPTION', 'options.hostKeyDocuments: expected an array of Uint8Array or of certificates from parseCertificates');
  }
  if (documents.length === 0) throw new InputError('ERR_INVALID_OPTION', 'options.hostKeyDocuments: expected at least one host-key document');
  const verifier = await buildVerifier(options);
  const out: VerifiedHostKey[] = [];
  for (const [i, bytes] of documents.entries()) {
    const name = label('host-key document', options.names?.hostKeyDocuments, i);
    const certs = bytes instanceof Uint8Array ? readHostKeyDocument(bytes, name) : [bytes];
    const keys: VerifiedHostKey[] = [];
    for (const [j, cert] of certs.entries()) {
      const source = certs.length > 1 ? `${name} (certificate ${j + 1} of ${certs.length})` : name;
      const key = await verifyHostKeyCertificate(verifier, cert, source);
      keys.push(
        markVerified({
          publicKey: key.publicKey,
          hash: key.hash,
          subject: formatName(cert.subject),
          serialNumber: cert.serialHex,
          notBefore: cert.notBefore,
          notAfter: cert.notAfter,
          certificate: copyBytes(cert.der),
          documentIndex: i,
        }),
      );
    }
    out.push(...keys);
    options.onStep?.({ step: 'host-key-document', index: i, keys });
  }
  return out;
}
