/**
 * The default CRL download under Node: HTTP(S) GET over node:http/node:https, following
 * redirects, 3 s for the whole transfer (the reference uses libcurl with a 3 s
 * `CURLOPT_TIMEOUT` and `follow_location`). Any failure gives `undefined`, so the
 * verifier moves on to the next distribution point.
 *
 * @module
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { FetchCrl } from '../certs/crl-download.js';
import { CRL_FETCH_TIMEOUT_MS } from '../certs/crl-download.js';

/** At most this many redirects are followed. */
export const MAX_CRL_REDIRECTS = 10;
/** A larger body is not a CRL we want to parse (IBM's and DigiCert's are a few KiB). */
export const MAX_CRL_BYTES = 32 * 1024 * 1024;
/** The User-Agent header sent. */
export const CRL_USER_AGENT = 'se-secrets-crl';

/** Options of {@link createHttpCrlFetcher}. */
export interface HttpCrlFetcherOptions {
  /** Time limit for the whole transfer, redirects included; default 3000 ms. */
  readonly timeoutMs?: number;
  /** CA certificates (PEM) to trust for `https:` instead of Node's defaults (e.g. behind a TLS-inspecting proxy). */
  readonly ca?: string | readonly string[];
}

function get(url: URL, signal: AbortSignal, redirects: number, ca: string[] | undefined): Promise<Uint8Array | undefined> {
  const https = url.protocol === 'https:';
  if (!https && url.protocol !== 'http:') return Promise.resolve(undefined);
  const send = https ? httpsRequest : httpRequest;
  const options = { method: 'GET', signal, headers: { 'user-agent': CRL_USER_AGENT, accept: '*/*' }, ...(https && ca ? { ca } : {}) };
  return new Promise((resolve) => {
    const req = send(url, options, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (status >= 300 && status < 400 && location) {
        res.resume();
        if (redirects >= MAX_CRL_REDIRECTS) return resolve(undefined);
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          return resolve(undefined);
        }
        return resolve(get(next, signal, redirects + 1, ca));
      }
      if (status < 200 || status >= 300) {
        res.resume();
        return resolve(undefined);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_CRL_BYTES) {
          req.destroy();
          resolve(undefined);
        } else chunks.push(c);
      });
      res.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
      res.on('error', () => resolve(undefined));
      res.on('aborted', () => resolve(undefined));
    });
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/**
 * An HTTP(S) CRL fetcher. Only `http:` and `https:` URIs are fetched; others give
 * `undefined`.
 *
 * @example
 * ```ts
 * const fetchCrl = createHttpCrlFetcher({ timeoutMs: 3000 });
 * const bytes = await fetchCrl('http://crl3.digicert.com/DigiCertTrustedRootG4.crl');
 * ```
 */
export function createHttpCrlFetcher(options: HttpCrlFetcherOptions = {}): FetchCrl {
  const timeoutMs = options.timeoutMs ?? CRL_FETCH_TIMEOUT_MS;
  const ca = options.ca === undefined ? undefined : typeof options.ca === 'string' ? [options.ca] : [...options.ca];
  return async (url, opts) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const onAbort = () => controller.abort();
    opts?.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await get(parsed, controller.signal, 0, ca);
    } finally {
      clearTimeout(timer);
      opts?.signal?.removeEventListener('abort', onAbort);
    }
  };
}

/** The default fetcher: {@link createHttpCrlFetcher} with a 3 s limit. */
export const fetchCrlOverHttp: FetchCrl = createHttpCrlFetcher();
