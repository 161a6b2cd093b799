/**
 * The default trusted roots under Node, used when no root CA is given: Node's bundled
 * Mozilla roots (`tls.rootCertificates`) plus the system store when one is readable —
 * `SSL_CERT_FILE` if set, else the first of the usual bundle files. (The reference
 * uses OpenSSL's default paths, i.e. the system store; IBM's root, DigiCert Trusted
 * Root G4, is in both.) Read once per process.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { decodePem } from '../internal/pem.js';

/** System CA bundle files, in the order they are tried (Debian/Ubuntu, Fedora/RHEL, SUSE, Alpine/macOS). */
export const SYSTEM_CA_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

let cached: Uint8Array[] | undefined;

function readSystemBundle(): Uint8Array | undefined {
  const candidates = process.env.SSL_CERT_FILE ? [process.env.SSL_CERT_FILE, ...SYSTEM_CA_FILES] : SYSTEM_CA_FILES;
  for (const file of candidates) {
    try {
      return new Uint8Array(readFileSync(file));
    } catch {
      // not there or not readable: try the next one
    }
  }
  return undefined;
}

/**
 * The platform's trusted root certificates, one entry each (PEM for Node's bundled
 * roots, DER for those of the system bundle).
 *
 * @example
 * ```ts
 * const keys = await verifyHostKeyDocuments({ ..., trustedRoots: platformRootCertificates() });
 * ```
 */
export function platformRootCertificates(): readonly Uint8Array[] {
  if (!cached) {
    const enc = new TextEncoder();
    cached = rootCertificates.map((pem) => enc.encode(pem));
    const system = readSystemBundle();
    const blocks = system ? decodePem(system, ['CERTIFICATE', 'TRUSTED CERTIFICATE']) : undefined;
    for (const b of blocks ?? []) cached.push(b.der);
  }
  return cached;
}
