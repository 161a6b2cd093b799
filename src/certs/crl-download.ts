/**
 * Downloading CRLs from a certificate's distribution points (s390-tools
 * `verify/helper.rs` `download_first_crl_from_x509`): each fullName URI in order, at
 * most {@link CRL_FETCH_TIMEOUT_MS} each; a failed, empty or unparsable answer moves
 * on to the next URI; the first answer holding at least one CRL wins, with all its CRLs.
 * No answer is not an error: the caller then lacks that CRL.
 *
 * @module
 */
import type { CertInfo } from './cert-info.js';
import type { CrlInfo } from './crl-info.js';
import { readDownloadedCrls } from './inputs.js';

/** Per-URI time limit (the reference's `CRL_TIMEOUT_MAX`: 3 s for the whole transfer). */
export const CRL_FETCH_TIMEOUT_MS = 3000;

/**
 * Fetches the bytes at a CRL distribution point URI; undefined (or a rejection) when it
 * cannot. The signal aborts when the time limit is reached.
 */
export type FetchCrl = (url: string, options?: { readonly signal?: AbortSignal }) => Promise<Uint8Array | undefined>;

async function fetchWithTimeout(fetchCrl: FetchCrl, url: string): Promise<Uint8Array | undefined> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(undefined);
    }, CRL_FETCH_TIMEOUT_MS);
  });
  try {
    const body = await Promise.race([Promise.resolve().then(() => fetchCrl(url, { signal: controller.signal })), timeout]);
    return body instanceof Uint8Array ? body : undefined;
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** The CRLs of the first distribution point of `cert` that yields any. */
export async function downloadFirstCrl(cert: CertInfo, fetchCrl: FetchCrl): Promise<CrlInfo[]> {
  for (const url of cert.crlDistributionPointUris) {
    const body = await fetchWithTimeout(fetchCrl, url);
    if (!body) continue;
    const crls = readDownloadedCrls(body, `CRL downloaded from ${url}`);
    if (crls && crls.length > 0) return crls;
  }
  return [];
}
