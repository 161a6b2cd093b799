/**
 * Certificate parsing (pkijs) and the public-key facts the request needs.
 *
 * @module
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CertificateError } from '../errors.js';
import { decodePem, looksLikePem } from './pem.js';

/** OIDs (RFC 5480 §2.1.1, SEC 2). */
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_SECP521R1 = '1.3.132.0.35';
export const OID_SECP384R1 = '1.3.132.0.34';
export const OID_SECP256R1 = '1.2.840.10045.3.1.7';
export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

/** Parses one DER certificate. @throws CertificateError `ERR_CERT_PARSE` */
export function parseCertificateDer(der: Uint8Array, source = 'certificate'): pkijs.Certificate {
  try {
    const asn = asn1js.fromBER(der);
    if (asn.offset === -1 || asn.offset !== der.byteLength) throw new Error(asn.result.error || 'trailing or malformed DER');
    return new pkijs.Certificate({ schema: asn.result });
  } catch (cause) {
    throw new CertificateError('ERR_CERT_PARSE', `${source}: not a valid X.509 certificate`, { cause });
  }
}

/**
 * All certificates of a PEM or DER input (PEM may hold several).
 *
 * @throws CertificateError `ERR_CERT_PARSE` when the input holds no certificate or a bad one
 */
export function parseCertificates(bytes: Uint8Array, source = 'certificate'): pkijs.Certificate[] {
  if (looksLikePem(bytes)) {
    const blocks = decodePem(bytes, ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
    if (!blocks) throw new CertificateError('ERR_CERT_PARSE', `${source}: PEM block is not valid base64`);
    if (blocks.length === 0) throw new CertificateError('ERR_CERT_PARSE', `${source}: no certificate found in the PEM input`);
    return blocks.map((b, i) => parseCertificateDer(b.der, blocks.length > 1 ? `${source} (#${i + 1})` : source));
  }
  return [parseCertificateDer(bytes, source)];
}

/** The DER encoding of a parsed certificate. */
export function certificateDer(cert: pkijs.Certificate): Uint8Array {
  return new Uint8Array(cert.toSchema(true).toBER(false));
}

/** The algorithm OID and, for EC keys, the curve OID of a certificate's public key. */
export function publicKeyAlgorithm(cert: pkijs.Certificate): { algorithm: string; curve?: string } {
  const spki = cert.subjectPublicKeyInfo;
  const algorithm = spki.algorithm.algorithmId;
  if (algorithm === OID_EC_PUBLIC_KEY) {
    const params = spki.algorithm.algorithmParams;
    const curve = params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : undefined;
    return curve === undefined ? { algorithm } : { algorithm, curve };
  }
  return { algorithm };
}

/** The raw subjectPublicKey bit string contents (for EC: the SEC 1 point). */
export function subjectPublicKeyBytes(cert: pkijs.Certificate): Uint8Array {
  return new Uint8Array(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
}

/** A readable one-line subject, e.g. `C=US, O=IBM, CN=…`, for messages. */
export function nameToString(name: pkijs.RelativeDistinguishedNames): string {
  const short: Record<string, string> = {
    '2.5.4.6': 'C',
    '2.5.4.8': 'ST',
    '2.5.4.7': 'L',
    '2.5.4.10': 'O',
    '2.5.4.11': 'OU',
    '2.5.4.3': 'CN',
    '2.5.4.5': 'serialNumber',
    '1.2.840.113549.1.9.1': 'emailAddress',
  };
  return name.typesAndValues
    .map((tv) => `${short[tv.type] ?? tv.type}=${String(tv.value.valueBlock.value)}`)
    .join(', ');
}
