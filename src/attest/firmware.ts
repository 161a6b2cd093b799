/**
 * The firmware check of `pvattest check --firmware` (s390-tools 2.43,
 * `rust/pvattest/src/cmd/check/firmware.rs`): the firmware state the Ultravisor
 * returned (additional data asked for with `--add-data firmware-state`) goes to IBM's
 * firmware verification service, which answers whether that firmware is in a valid
 * state.
 *
 * On the wire: `POST <endpoint>/hmrs/firmware/attestation/v<N>/verify` with the JSON
 * body `{"version":"1.0","payload":"<base64 of the firmware state>"}` (the reference
 * sends version "1.0" to both API versions) and the headers `Content-Type:
 * application/json` and `x-client-id: X`. The service answers HTTP 200 with
 * `{"version","valid","referenceId","reason"?}` (v1) or
 * `{"version","valid","reason","verifiedHashes":[{"hash","signature"}]}` (v2). The
 * HTTP transport is injected (`post`); `se-secrets/node` has one.
 *
 * @module
 */
import { AttestationError } from '../errors.js';
import { base64 } from '../internal/bytes.js';
import type { AttestationResult } from './verify.js';

/** IBM's endpoint, the reference's default (`CHECK_DEFAULT_ENDP`). */
export const FIRMWARE_CHECK_ENDPOINT = 'https://esupport.ibm.com/eccedge/ent/z';
/** The API versions of the service (`--firmware-check-version`). */
export type FirmwareCheckVersion = 1 | 2;

/** An HTTP POST to make. */
export interface FirmwareCheckHttpRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The HTTP answer: status code and body. */
export interface FirmwareCheckHttpResponse {
  readonly status: number;
  readonly body: Uint8Array;
}

/** Sends the request; rejects on a transport failure (no answer). */
export type PostFirmwareCheck = (request: FirmwareCheckHttpRequest) => Promise<FirmwareCheckHttpResponse>;

/** Options of {@link checkFirmware}. */
export interface FirmwareCheckOptions {
  /** The HTTP transport (`postFirmwareCheck` of `se-secrets/node`, or your own). */
  readonly post: PostFirmwareCheck;
  /** The service's base URL; default IBM's. Use an endpoint you trust. */
  readonly endpoint?: string;
  /** The API version; default 1. */
  readonly version?: FirmwareCheckVersion;
}

/** What the service said. */
export interface FirmwareVerdict {
  readonly valid: boolean;
  /** One line: valid or not, with the service's reason and reference id when it gave them. */
  readonly message: string;
}

/** The POST {@link checkFirmware} makes for `firmwareState`. */
export function firmwareCheckRequest(firmwareState: Uint8Array, options: Pick<FirmwareCheckOptions, 'endpoint' | 'version'> = {}): FirmwareCheckHttpRequest {
  const endpoint = (options.endpoint ?? FIRMWARE_CHECK_ENDPOINT).replace(/\/+$/, '');
  return {
    url: `${endpoint}/hmrs/firmware/attestation/v${options.version ?? 1}/verify`,
    headers: { 'content-type': 'application/json', 'x-client-id': 'X' },
    body: JSON.stringify({ version: '1.0', payload: base64(firmwareState) }),
  };
}

function fail(msg: string, cause?: unknown): never {
  throw new AttestationError('ERR_FIRMWARE_CHECK', `firmware check: ${msg}`, cause === undefined ? undefined : { cause });
}

/** Text from the service, shortened and on one line (it reaches a terminal and a YAML file). */
function said(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const one = v.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 200)}…` : one;
}

/**
 * Asks the firmware verification service whether the firmware state in an attestation
 * result is valid. A result without firmware state is not valid (as in pvattest), and
 * no request is sent.
 *
 * @example
 * ```ts
 * import { postFirmwareCheck } from 'se-secrets/node';
 * const verdict = await checkFirmware(result, { post: postFirmwareCheck });
 * const check = checkAttestation(result, { firmware: verdict });
 * ```
 * @throws AttestationError `ERR_FIRMWARE_CHECK` when the service cannot be reached,
 *   answers with another HTTP status than 200, or not with the expected JSON
 */
export async function checkFirmware(result: Pick<AttestationResult, 'additional'>, options: FirmwareCheckOptions): Promise<FirmwareVerdict> {
  const state = result.additional?.firmwareState;
  if (!state) return { valid: false, message: 'the attestation response holds no firmware state, but the firmware was to be checked' };
  const request = firmwareCheckRequest(state, options);
  let response: FirmwareCheckHttpResponse;
  try {
    response = await options.post(request);
  } catch (e) {
    fail(`no answer from ${request.url}${e instanceof Error ? ` (${said(e.message) ?? e.name})` : ''}`, e);
  }
  if (response.status !== 200) fail(`the firmware verification server answered with HTTP status ${response.status} (expected 200)`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(response.body));
  } catch (e) {
    fail('the firmware verification server did not answer with JSON', e);
  }
  const o = json as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || typeof o.valid !== 'boolean') fail('the answer has no boolean "valid"');
  const details = [said(o.reason) && `reason: ${said(o.reason)}`, said(o.referenceId) && `reference id: ${said(o.referenceId)}`].filter(Boolean);
  const message = `the firmware is ${o.valid ? '' : 'not '}in a valid state${details.length > 0 ? ` (${details.join('; ')})` : ''}`;
  return { valid: o.valid, message };
}
