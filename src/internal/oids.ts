/**
 * Every object identifier se-secrets knows, in one place, in dotted form (as
 * `decodeOid` in `der.ts` renders them).
 *
 * @module
 */

/** Public-key algorithms (RFC 3279 §2.3, RFC 5480 §2.1.1, RFC 8410 §3, RFC 4055 §3.1). */
export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_ED25519 = '1.3.101.112';
export const OID_ED448 = '1.3.101.113';
export const OID_X25519 = '1.3.101.110';
export const OID_X448 = '1.3.101.111';
export const OID_DSA = '1.2.840.10040.4.1';
export const OID_DH = '1.2.840.10046.2.1';

/** Named curves (SEC 2 §A.2, RFC 5480 §2.1.1.1, RFC 5639 §4.1). */
export const OID_P192 = '1.2.840.10045.3.1.1';
export const OID_P224 = '1.3.132.0.33';
export const OID_P256 = '1.2.840.10045.3.1.7';
export const OID_P384 = '1.3.132.0.34';
export const OID_P521 = '1.3.132.0.35';
export const OID_SECP256K1 = '1.3.132.0.10';
export const OID_BRAINPOOL_P256R1 = '1.3.36.3.3.2.8.1.1.7';
export const OID_BRAINPOOL_P384R1 = '1.3.36.3.3.2.8.1.1.11';
export const OID_BRAINPOOL_P512R1 = '1.3.36.3.3.2.8.1.1.13';

/** Signature algorithms (RFC 8017 appendix A.2.4, RFC 5758 §3.2) and MGF1 (RFC 8017 B.2.1). */
export const OID_SHA1_WITH_RSA = '1.2.840.113549.1.1.5';
export const OID_SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
export const OID_SHA384_WITH_RSA = '1.2.840.113549.1.1.12';
export const OID_SHA512_WITH_RSA = '1.2.840.113549.1.1.13';
export const OID_ECDSA_WITH_SHA1 = '1.2.840.10045.4.1';
export const OID_ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
export const OID_ECDSA_WITH_SHA384 = '1.2.840.10045.4.3.3';
export const OID_ECDSA_WITH_SHA512 = '1.2.840.10045.4.3.4';
export const OID_MGF1 = '1.2.840.113549.1.1.8';

/** Digests (RFC 3279 §2.2.1, RFC 5754 §2). */
export const OID_SHA1 = '1.3.14.3.2.26';
export const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
export const OID_SHA384 = '2.16.840.1.101.3.4.2.2';
export const OID_SHA512 = '2.16.840.1.101.3.4.2.3';

/** Name attribute types (RFC 5280 §4.1.2.4, X.520, PKCS #9). */
export const OID_C = '2.5.4.6';
export const OID_ST = '2.5.4.8';
export const OID_L = '2.5.4.7';
export const OID_O = '2.5.4.10';
export const OID_OU = '2.5.4.11';
export const OID_CN = '2.5.4.3';
export const OID_SERIAL_NUMBER = '2.5.4.5';
export const OID_EMAIL_ADDRESS = '1.2.840.113549.1.9.1';

/** Extensions (RFC 5280 §4.2.1, §5.2, §5.3). */
export const OID_SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
export const OID_KEY_USAGE = '2.5.29.15';
export const OID_SUBJECT_ALT_NAME = '2.5.29.17';
export const OID_BASIC_CONSTRAINTS = '2.5.29.19';
export const OID_CRL_NUMBER = '2.5.29.20';
export const OID_CRL_REASON = '2.5.29.21';
export const OID_DELTA_CRL_INDICATOR = '2.5.29.27';
export const OID_ISSUING_DISTRIBUTION_POINT = '2.5.29.28';
export const OID_CERTIFICATE_ISSUER = '2.5.29.29';
export const OID_NAME_CONSTRAINTS = '2.5.29.30';
export const OID_CRL_DISTRIBUTION_POINTS = '2.5.29.31';
export const OID_CERTIFICATE_POLICIES = '2.5.29.32';
export const OID_POLICY_MAPPINGS = '2.5.29.33';
export const OID_AUTHORITY_KEY_IDENTIFIER = '2.5.29.35';
export const OID_POLICY_CONSTRAINTS = '2.5.29.36';
export const OID_EXT_KEY_USAGE = '2.5.29.37';
export const OID_INHIBIT_ANY_POLICY = '2.5.29.54';
/** Extensions OpenSSL also handles when critical (`X509_supported_extension`). */
export const OID_NETSCAPE_CERT_TYPE = '2.16.840.1.113730.1.1';
export const OID_IP_ADDR_BLOCKS = '1.3.6.1.5.5.7.1.7';
export const OID_AS_IDENTIFIERS = '1.3.6.1.5.5.7.1.8';
export const OID_PROXY_CERT_INFO = '1.3.6.1.5.5.7.1.14';
export const OID_TLS_FEATURE = '1.3.6.1.5.5.7.1.24';
