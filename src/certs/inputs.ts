/**
 * The one certificate and CRL reader: every input that holds certificates or CRLs —
 * host-key documents with or without verification, `-C`, `--crl`, `--root-ca`, trusted
 * roots, downloaded CRLs, the user certificate of `verify`, in the library, the CLI and
 * the page — is framed here, the way pvsecret 2.43 reads its files (s390-tools
 * `rust/pv/src/utils.rs` `read_certs`/`read_crls`, `verify/helper.rs` `store_setup`),
 * with PEM framed as OpenSSL frames it (`src/internal/pem.ts`) and every object parsed
 * by `parseCertInfo`/`parseCrlInfo`:
 *
 * | input | read as | nothing usable |
 * | --- | --- | --- |
 * | host-key document (`-k`) | one DER certificate, else every PEM `CERTIFICATE`/`X509 CERTIFICATE` block | `ERR_CERT_PARSE` |
 * | certificate (`-C`) | the same; PEM `X509 CRL` blocks (or one DER CRL) inside also count as CRLs | no error (contributes nothing) |
 * | CRL (`--crl`) | every PEM `X509 CRL` block, else one DER CRL | `ERR_CRL_PARSE` |
 * | root CA (`--root-ca`) | every PEM certificate, `TRUSTED CERTIFICATE` too (all trusted), plus its PEM CRLs; else one DER certificate | `ERR_CERT_PARSE` |
 *
 * A malformed PEM input (no END line, bad base64, an END line for another label, a
 * certificate block with headers) or a malformed certificate in a block is an error,
 * as it is for OpenSSL, which stops there.
 *
 * @module
 */
import { CertificateError } from '../errors.js';
import { copyBytes } from '../internal/bytes.js';
import { PemError, pemBlocks } from '../internal/pem.js';
import { type CertInfo, parseCertInfo } from './cert-info.js';
import { type CrlInfo, parseCrlInfo } from './crl-info.js';

/** PEM labels OpenSSL reads as certificates (`PEM_read_bio_X509`: `PEM_STRING_X509`, `_OLD`). */
const CERT_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE'];
/** … and as trusted certificates (`PEM_read_bio_X509_AUX`, used to load a root CA file). */
export const TRUSTED_CERT_LABELS = [...CERT_LABELS, 'TRUSTED CERTIFICATE'];
/** CRLs (`PEM_STRING_X509_CRL`). */
const CRL_LABELS = ['X509 CRL'];

type Code = 'ERR_CERT_PARSE' | 'ERR_CRL_PARSE';

/** Certificates that came from this reader (see {@link isParsedCertificate}). */
const parsed = new WeakSet<CertInfo>();

/** The contents of the PEM blocks labelled `labels`, in order. @throws CertificateError */
function pemObjects(bytes: Uint8Array, labels: readonly string[], source: string, code: Code): Uint8Array[] {
  const out: Uint8Array[] = [];
  try {
    for (const b of pemBlocks(bytes)) {
      if (!labels.includes(b.label)) continue;
      if (b.headers) throw new CertificateError(code, `${source}: the PEM "${b.label}" block has headers (encrypted PEM is not supported)`);
      out.push(b.der);
    }
  } catch (cause) {
    if (cause instanceof PemError) throw new CertificateError(code, `${source}: ${cause.message}`, { cause });
    throw cause;
  }
  return out;
}

function tryCert(bytes: Uint8Array, source: string): CertInfo | undefined {
  try {
    return parseCertInfo(bytes, source);
  } catch {
    return undefined;
  }
}

function tryCrl(bytes: Uint8Array, source: string): CrlInfo | undefined {
  try {
    return parseCrlInfo(bytes, source);
  } catch {
    return undefined;
  }
}

function numbered(source: string, i: number, n: number): string {
  return n > 1 ? `${source} (certificate ${i + 1} of ${n})` : source;
}

/**
 * The certificates of a DER or PEM input (`read_certs`: DER first, then every PEM
 * certificate block); an input with neither gives none.
 *
 * @throws CertificateError `ERR_CERT_PARSE` for a malformed PEM input or certificate
 */
export function readCertificates(bytes: Uint8Array, source: string, labels: readonly string[] = CERT_LABELS): CertInfo[] {
  const der = tryCert(bytes, source);
  if (der) return [der];
  const blocks = pemObjects(bytes, labels, source, 'ERR_CERT_PARSE');
  return blocks.map((b, i) => parseCertInfo(b, numbered(source, i, blocks.length)));
}

/** A host-key document: at least one certificate. @throws CertificateError `ERR_CERT_PARSE` */
export function readHostKeyDocument(bytes: Uint8Array, source: string): CertInfo[] {
  const certs = readCertificates(bytes, source);
  if (certs.length === 0) {
    const problem = pemBlocks(bytes).next().done ? 'not a valid X.509 certificate' : 'no certificate found in the PEM input';
    throw new CertificateError('ERR_CERT_PARSE', `${source}: ${problem}`);
  }
  return certs;
}

/**
 * The certificates of PEM or DER bytes, each as se-secrets' own certificate type, read
 * exactly as pvsecret reads a host-key document (DER first, then every PEM
 * `CERTIFICATE` block). The input is copied first, so the certificates own their bytes.
 *
 * @example
 * ```ts
 * const [cert] = parseCertificates(await readFile('HKD.crt'), 'HKD.crt');
 * console.log(cert.notAfter, cert.serialHex);
 * ```
 * @throws CertificateError `ERR_CERT_PARSE` when the input holds no certificate or a bad one
 */
export function parseCertificates(bytes: Uint8Array, source = 'certificate'): CertInfo[] {
  if (!(bytes instanceof Uint8Array)) throw new CertificateError('ERR_CERT_PARSE', `${source}: expected PEM or DER bytes (got ${typeof bytes})`);
  const certs = readHostKeyDocument(copyBytes(bytes), source);
  for (const c of certs) parsed.add(Object.freeze(c));
  return certs;
}

/**
 * The certificate pvsecret takes from a host-key document file: the first, and a warning
 * when the file holds more. The CLI, plans and batch files read host-key documents so;
 * `parseCertificates` and `verifyHostKeyDocuments` keep every certificate.
 *
 * @throws CertificateError `ERR_CERT_PARSE` naming `source`
 */
export function firstHostKeyCertificate(bytes: Uint8Array, source: string): { certificate: CertInfo; warning?: string } {
  const certs = parseCertificates(bytes, source);
  const certificate = certs[0] as CertInfo;
  return certs.length > 1 ? { certificate, warning: `${source} holds ${certs.length} certificates; only the first one is used` } : { certificate };
}

/** True for certificates returned by {@link parseCertificates} (not for look-alikes). */
export function isParsedCertificate(x: unknown): x is CertInfo {
  return typeof x === 'object' && x !== null && parsed.has(x as CertInfo);
}

/** The CRLs of a PEM (all `X509 CRL` blocks) or DER input; undefined when there are none. @throws CertificateError `ERR_CRL_PARSE` */
function readCrlsOrNone(bytes: Uint8Array, source: string): CrlInfo[] | undefined {
  const blocks = pemObjects(bytes, CRL_LABELS, source, 'ERR_CRL_PARSE');
  if (blocks.length > 0) return blocks.map((b, i) => parseCrlInfo(b, blocks.length > 1 ? `${source} (CRL ${i + 1} of ${blocks.length})` : source));
  const der = tryCrl(bytes, source);
  return der ? [der] : undefined;
}

/** A `--crl` input: at least one CRL. @throws CertificateError `ERR_CRL_PARSE` */
export function readCrlFile(bytes: Uint8Array, source: string): CrlInfo[] {
  let crls: CrlInfo[] | undefined;
  try {
    crls = readCrlsOrNone(bytes, source);
  } catch (e) {
    // as `load_crl_to_store`: when the PEM reading fails, the file is read as one DER CRL
    const der = tryCrl(bytes, source);
    if (!der) throw e;
    crls = [der];
  }
  if (!crls) throw new CertificateError('ERR_CRL_PARSE', `${source}: no CRL found (expected PEM "X509 CRL" blocks or one DER CRL)`);
  return crls;
}

/** CRLs carried by a `-C` input; anything unreadable is ignored, as the reference does. */
export function readCrlsLeniently(bytes: Uint8Array, source: string): CrlInfo[] {
  try {
    return readCrlsOrNone(bytes, source) ?? [];
  } catch {
    return [];
  }
}

/** A downloaded CRL body (`read_crls`): one DER CRL, else PEM CRLs; undefined when none parses. */
export function readDownloadedCrls(bytes: Uint8Array, source: string): CrlInfo[] | undefined {
  const der = tryCrl(bytes, source);
  if (der) return [der];
  try {
    const blocks = pemObjects(bytes, CRL_LABELS, source, 'ERR_CRL_PARSE');
    return blocks.length > 0 ? blocks.map((b) => parseCrlInfo(b, source)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A root CA input (`load_root_ca`): its PEM certificates (all trusted) and the PEM CRLs
 * beside them; else one DER certificate.
 *
 * @throws CertificateError `ERR_CERT_PARSE`
 */
export function readRootCa(bytes: Uint8Array, source: string): { certs: CertInfo[]; crls: CrlInfo[] } {
  let pemError: unknown;
  try {
    const pem = pemObjects(bytes, TRUSTED_CERT_LABELS, source, 'ERR_CERT_PARSE');
    if (pem.length > 0) {
      const certs = pem.map((b, i) => parseCertInfo(b, numbered(source, i, pem.length)));
      // as the reference: CRLs in the root CA file are optional and their errors ignored
      return { certs, crls: readCrlsLeniently(bytes, source) };
    }
  } catch (e) {
    if (!(e instanceof CertificateError)) throw e;
    pemError = e;
  }
  const der = tryCert(bytes, source);
  if (der) return { certs: [der], crls: [] };
  throw pemError ?? new CertificateError('ERR_CERT_PARSE', `${source}: no certificate found (expected PEM or DER)`);
}
