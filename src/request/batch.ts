/**
 * Many add-secret requests in one run — for one or more guests — verifying each
 * certificate chain once and checking every request's host keys against its SE header.
 *
 * @module
 */
import type { CryptoBackend } from '../crypto/backend.js';
import { HostPointCache } from '../crypto/host-point-cache.js';
import { portableBackend } from '../crypto/portable.js';
import { CertificateError, InputError, SeSecretsError } from '../errors.js';
import { parseSeHeader } from '../header/locate.js';
import type { SeHeader, SeHeaderTags } from '../header/se-header.js';
import { type CreateAddSecretRequestOptions, createAddSecretRequest, type RequestFlags } from './create.js';
import type { ExtensionSecretOption } from './ext-secret.js';
import type { SecretSpec } from './guest-secret.js';
import { hostKeyMismatchMessage, hostKeysNotInHeader } from './host-match.js';
import {
  defaultVerifyHostKeyDocuments,
  HostKeyResolver,
  type HostKeyVerification,
  requestHostKeyOptions,
  type VerifyHostKeyDocumentsFn,
} from './verified-host-keys.js';

/** One request of a batch. */
export interface BatchItem {
  /** Names the entry in messages (e.g. its output file). */
  readonly label?: string;
  readonly secret: SecretSpec;
  /** SE header or image bytes, a parsed header, or just its tags (no host-key match check then). */
  readonly seHeader: Uint8Array | SeHeader | SeHeaderTags;
  /** Host-key documents (PEM or DER). */
  readonly hostKeyDocuments: readonly Uint8Array[];
  /** What to call each host-key document in messages (its file name), in the same order. */
  readonly hostKeyDocumentNames?: readonly string[];
  /** Chain-of-trust options, or `false` for unverified host keys (pvsecret `--no-verify`). */
  readonly verify: HostKeyVerification;
  readonly flags?: RequestFlags;
  readonly cuid?: Uint8Array;
  readonly extensionSecret?: ExtensionSecretOption;
  /** Refuse instead of warn when a host key is not among the SE header's. */
  readonly strictHostMatch?: boolean;
}

/** Options of {@link createAddSecretRequests}. */
export interface BatchOptions {
  readonly backend?: CryptoBackend;
  /** Called after each request with the number done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Host-point tables to use and fill; default: a new cache for this call, dropped after it. */
  readonly hostPointCache?: HostPointCache;
}

/** What {@link createAddSecretRequests} returns: one request per item, in order. */
export interface BatchResult {
  readonly requests: readonly Uint8Array[];
  /** Non-fatal findings, each naming its entry. */
  readonly warnings: readonly string[];
}

function isFullHeader(h: BatchItem['seHeader']): h is SeHeader {
  return !(h instanceof Uint8Array) && Array.isArray((h as SeHeader).hostKeyHashes);
}

/**
 * One entry of a batch, checked and ready to build: the options of
 * `createAddSecretRequest` (host keys resolved, header parsed; no backend, no cache, no
 * functions, so it can be sent to a worker thread) and the entry's name for messages.
 */
export interface PreparedRequest {
  readonly name: string;
  readonly options: Omit<CreateAddSecretRequestOptions, 'backend' | 'hostPointCache'>;
}

/**
 * The first half of {@link createAddSecretRequests}: reads every entry's header,
 * resolves its host keys (each distinct chain verified once) and checks them against
 * the header. Builds nothing; {@link buildPreparedRequests} does, on any thread.
 *
 * @throws as `createAddSecretRequests`, except what only building finds
 */
export async function prepareAddSecretRequests(
  verifyFn: VerifyHostKeyDocumentsFn,
  batch: readonly BatchItem[],
): Promise<{ prepared: PreparedRequest[]; warnings: string[] }> {
  if (!Array.isArray(batch)) throw new InputError('ERR_BATCH', 'batch: expected a list of requests');
  const resolver = new HostKeyResolver(verifyFn);
  for (const item of batch) resolver.add(item.hostKeyDocuments, item.verify, item.hostKeyDocumentNames);
  const headers = new Map<Uint8Array, SeHeader>();
  const warnings: string[] = [];
  const prepared: PreparedRequest[] = [];
  for (const [i, item] of batch.entries()) {
    const name = `batch entry ${i + 1}${item.label ? ` (${item.label})` : ''}`;
    try {
      let header: SeHeader | SeHeaderTags = item.seHeader as SeHeader | SeHeaderTags;
      if (item.seHeader instanceof Uint8Array) {
        header = headers.get(item.seHeader) ?? parseSeHeader(item.seHeader);
        headers.set(item.seHeader, header as SeHeader);
      }
      const resolved = await resolver.resolve(item.hostKeyDocuments, item.verify, item.hostKeyDocumentNames);
      if (isFullHeader(header)) {
        const missing = hostKeysNotInHeader(header, resolved.hostKeys);
        if (missing.length > 0) {
          const message = hostKeyMismatchMessage(missing, header);
          if (item.strictHostMatch) throw new CertificateError('ERR_HOST_KEY_MISMATCH', message);
          warnings.push(`${name}: ${message}`);
        }
      }
      if (!resolved.verified) warnings.push(`${name}: host-key verification is disabled; the secret may not be protected`);
      prepared.push({
        name,
        options: {
          secret: item.secret,
          seHeader: header,
          ...requestHostKeyOptions(resolved),
          ...(item.flags === undefined ? {} : { flags: item.flags }),
          ...(item.cuid === undefined ? {} : { cuid: item.cuid }),
          ...(item.extensionSecret === undefined ? {} : { extensionSecret: item.extensionSecret }),
        },
      });
    } catch (e) {
      if (e instanceof SeSecretsError) e.message = `${name}: ${e.message}`;
      throw e;
    }
  }
  return { prepared, warnings };
}

/**
 * The second half of {@link createAddSecretRequests}: builds prepared entries in order
 * on this thread. `onProgress` counts the entries given here.
 *
 * @throws everything `createAddSecretRequest` throws, message prefixed with the entry
 */
export async function buildPreparedRequests(prepared: readonly PreparedRequest[], options: BatchOptions = {}): Promise<Uint8Array[]> {
  const backend = options.backend ?? portableBackend;
  const hostPointCache = options.hostPointCache ?? new HostPointCache();
  const requests: Uint8Array[] = [];
  for (const [i, { name, options: o }] of prepared.entries()) {
    try {
      requests.push(await createAddSecretRequest({ ...o, backend, hostPointCache }));
    } catch (e) {
      if (e instanceof SeSecretsError) e.message = `${name}: ${e.message}`;
      throw e;
    }
    options.onProgress?.(i + 1, prepared.length);
  }
  return requests;
}

/**
 * The internals of {@link createAddSecretRequests} with the host-key verifier as a
 * parameter (tests only give a stand-in here; use `createAddSecretRequests`).
 */
export async function createAddSecretRequestsWith(
  verifyFn: VerifyHostKeyDocumentsFn,
  batch: readonly BatchItem[],
  options: BatchOptions = {},
): Promise<BatchResult> {
  const { prepared, warnings } = await prepareAddSecretRequests(verifyFn, batch);
  return { requests: await buildPreparedRequests(prepared, options), warnings };
}

/**
 * Builds many add-secret requests, all or nothing: each distinct certificate chain is
 * verified once for all the host-key documents used with it, each request's host keys
 * are checked against its SE header (a warning, or an error with `strictHostMatch`),
 * and the requests come back in order only when every one was built.
 *
 * @example
 * ```ts
 * const { requests, warnings } = await createAddSecretRequests([
 *   { secret: { type: 'association', name: 'g1-16.001e' }, seHeader: hdr1, hostKeyDocuments: [hkd], verify: false },
 *   { secret: { type: 'meta' }, seHeader: hdr2, hostKeyDocuments: [hkd], verify: false, flags: { disableDump: true } },
 * ]);
 * ```
 * @throws everything `createAddSecretRequest` throws, message prefixed with the entry;
 *   CertificateError `ERR_HOST_KEY_MISMATCH` (strict host match); InputError `ERR_BATCH`
 */
export function createAddSecretRequests(batch: readonly BatchItem[], options: BatchOptions = {}): Promise<BatchResult> {
  return createAddSecretRequestsWith(defaultVerifyHostKeyDocuments, batch, options);
}
