/**
 * The HTTP transport of the firmware check under Node (`attest check --firmware`): a
 * POST with the reference's headers and time limit (120 s, `TIMEOUT_MAX` in
 * s390-tools' `cmd/check/firmware.rs`), following redirects.
 *
 * @module
 */
import type { FirmwareCheckHttpRequest, FirmwareCheckHttpResponse } from '../attest/firmware.js';

/** The time limit of the whole exchange, as the reference's. */
export const FIRMWARE_CHECK_TIMEOUT_MS = 120_000;
/** A larger answer is not the service's JSON. */
export const MAX_FIRMWARE_CHECK_ANSWER = 1024 * 1024;
/** The User-Agent header sent. */
export const FIRMWARE_CHECK_USER_AGENT = 'se-secrets';

/**
 * Sends a firmware-check request over HTTP(S) (Node's fetch). Rejects when there is no
 * answer (network, time limit, an answer over 1 MiB).
 *
 * @example
 * ```ts
 * const verdict = await checkFirmware(result, { post: postFirmwareCheck });
 * ```
 */
export async function postFirmwareCheck(request: FirmwareCheckHttpRequest, timeoutMs = FIRMWARE_CHECK_TIMEOUT_MS): Promise<FirmwareCheckHttpResponse> {
  const res = await fetch(request.url, {
    method: 'POST',
    headers: { ...request.headers, 'user-agent': FIRMWARE_CHECK_USER_AGENT },
    body: request.body,
    redirect: 'follow',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = new Uint8Array(await res.arrayBuffer());
  if (body.length > MAX_FIRMWARE_CHECK_ANSWER) throw new RangeError(`the answer is ${body.length} bytes (at most ${MAX_FIRMWARE_CHECK_ANSWER})`);
  return { status: res.status, body };
}
