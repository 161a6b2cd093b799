/**
 * Reading verification inputs the way pvsecret reads its files (s390-tools
 * `rust/pv/src/utils.rs` `read_certs`/`read_crls`, `verify/helper.rs` `store_setup`):
 *
 * | input | accepted | nothing usable |
 * | --- | --- | --- |
 * | host-key document | one DER certificate, else every PEM `CERTIFICATE` block | `ERR_CERT_PARSE` |
 * | certificate (`-C`) | the same; PEM `X509 CRL` blocks (or one DER CRL) inside also count as CRLs | no error (contributes nothing) |
 * | CRL (`--crl`) | every PEM `X509 CRL` block, else one DER CRL | `ERR_CRL_PARSE` |
 * | root CA | every PEM certificate (all trusted) plus its PEM CRLs, else one DER certificate | `ERR_CERT_PARSE` |
 *
 * A malformed PEM block of the wanted kind is always an error.
 *
 * @module
 */
import { CertificateError } from '../errors.js';
import { type CertInfo, parseCertInfo } from './cert-info.js';
import { type CrlInfo, parseCrlInfo } from './crl-info.js';
import { decodePem, looksLikePem } from './pem.js';

/** PEM labels OpenSSL reads as certificates and CRLs (`PEM_STRING_X509`, `_OLD`, `_X509_CRL`). */
const CERT_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE'];
const ROOT_CERT_LABELS = [...CERT_LABELS, 'TRUSTED CERTIFICATE'];
const CRL_LABELS = ['X509 CRL'];

function pemBlocks(bytes: Uint8Array, labels: string[], source: string, code: 'ERR_CERT_PARSE' | 'ERR_CRL_PARSE'): Uint8Array[] {
  if (!looksLikePem(bytes)) return [];
  const blocks = decodePem(bytes, labels);
  if (!blocks) throw new CertificateError(code, `${source}: a PEM block is not valid base64`);
  return blocks.map((b) => b.der);
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
 * The certificates of a DER or PEM input; an input with no PEM certificate gives none.
 * @throws CertificateError `ERR_CERT_PARSE` for a malformed PEM certificate
 */
export function readCertificates(bytes: Uint8Array, source: string, labels = CERT_LABELS): CertInfo[] {
  const der = tryCert(bytes, source);
  if (der) return [der];
  const blocks = pemBlocks(bytes, labels, source, 'ERR_CERT_PARSE');
  return blocks.map((b, i) => parseCertInfo(b, numbered(source, i, blocks.length)));
}

/** The CRLs of a PEM (all `X509 CRL` blocks) or DER input; undefined when there are none. @throws CertificateError `ERR_CRL_PARSE` */
function readCrlsOrNone(bytes: Uint8Array, source: string): CrlInfo[] | undefined {
  const blocks = pemBlocks(bytes, CRL_LABELS, source, 'ERR_CRL_PARSE');
  if (blocks.length > 0) return blocks.map((b, i) => parseCrlInfo(b, blocks.length > 1 ? `${source} (CRL ${i + 1} of ${blocks.length})` : source));
  const der = tryCrl(bytes, source);
  return der ? [der] : undefined;
}

/** A host-key document: at least one certificate. @throws CertificateError `ERR_CERT_PARSE` */
export function readHostKeyDocument(bytes: Uint8Array, source: string): CertInfo[] {
  const certs = readCertificates(bytes, source);
  if (certs.length === 0) {
    throw new CertificateError('ERR_CERT_PARSE', `${source}: no certificate found (expected a PEM or DER host-key document)`);
  }
  return certs;
}

/** A `--crl` input: at least one CRL. @throws CertificateError `ERR_CRL_PARSE` */
export function readCrlFile(bytes: Uint8Array, source: string): CrlInfo[] {
  const crls = readCrlsOrNone(bytes, source);
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

/** A downloaded CRL body: one DER CRL, else PEM CRLs; undefined when none parses. */
export function readDownloadedCrls(bytes: Uint8Array, source: string): CrlInfo[] | undefined {
  const der = tryCrl(bytes, source);
  if (der) return [der];
  try {
    const blocks = pemBlocks(bytes, CRL_LABELS, source, 'ERR_CRL_PARSE');
    return blocks.length > 0 ? blocks.map((b) => parseCrlInfo(b, source)) : undefined;
  } catch {
    return undefined;
  }
}

/** A root CA input: its certificates (all trusted) and the PEM CRLs beside them. @throws CertificateError `ERR_CERT_PARSE`, `ERR_CRL_PARSE` */
export function readRootCa(bytes: Uint8Array, source: string): { certs: CertInfo[]; crls: CrlInfo[] } {
  const pem = pemBlocks(bytes, ROOT_CERT_LABELS, source, 'ERR_CERT_PARSE');
  if (pem.length > 0) {
    const certs = pem.map((b, i) => parseCertInfo(b, numbered(source, i, pem.length)));
    let crls: CrlInfo[] = [];
    try {
      crls = pemBlocks(bytes, CRL_LABELS, source, 'ERR_CRL_PARSE').map((b) => parseCrlInfo(b, source));
    } catch {
      crls = []; // as the reference: CRLs in the root CA file are optional and their errors ignored
    }
    return { certs, crls };
  }
  const der = tryCert(bytes, source);
  if (!der) throw new CertificateError('ERR_CERT_PARSE', `${source}: no certificate found (expected PEM or DER)`);
  return { certs: [der], crls: [] };
}
