/**
 * The certificate modules' DER reader is the shared one in `src/internal/der.ts`
 * (asn1js-backed, DER-strict); this path stays for the tests that import it here.
 *
 * @module
 */
export * from '../internal/der.js';
