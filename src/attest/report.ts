/**
 * What `inspect` shows of an attestation exchange file or a bare attestation request:
 * every non-confidential field (the measurement key and nonce stay encrypted).
 *
 * @module
 */
import { AttestationError } from '../errors.js';
import { toHex } from '../internal/bytes.js';
import { type AttestationRequestInfo, parseAttestationRequest } from './arcb.js';
import { type ExchangeEntry, isExchangeResponse, parseAttestationExchange } from './exchange.js';
import { decodeAdditionalData } from './verify.js';

const hex = (b: Uint8Array) => `0x${toHex(b)}`;

function requestJson(info: AttestationRequestInfo) {
  return {
    version: `0x${info.version.toString(16)}`,
    length: info.length,
    iv: hex(info.iv),
    flags: `0x${info.flags.toString(16).padStart(16, '0')}`,
    requested: Object.entries(info.requested).filter(([, v]) => v).map(([k]) => k),
    measurementAlgorithm: info.mai === 1 ? 'HMAC-SHA-512' : String(info.mai),
    customerPublicKey: hex(info.customerPublicKey),
    keySlots: info.keySlots.map((s) => ({ hostKeyHash: hex(s.hostKeyHash) })),
    encryptedSize: info.sea,
  };
}

/** The JSON `inspect --json` prints for a bare attestation request. @throws AttestationError `ERR_ATTESTATION_REQUEST` */
export function attestationRequestReport(bytes: Uint8Array, file: string) {
  return { kind: 'attestation-request', file, ...requestJson(parseAttestationRequest(bytes)) };
}

const entry = (e: ExchangeEntry) => (e === undefined ? undefined : typeof e === 'number' ? { expectedSize: e } : hex(e));

/** The JSON `inspect --json` prints for an exchange file. @throws AttestationError `ERR_ATTESTATION_*` */
export function attestationExchangeReport(bytes: Uint8Array, file: string) {
  const x = parseAttestationExchange(bytes);
  const request = x.request as Uint8Array;
  // The exchange format does not validate the request it carries (pvattest's own test
  // files carry a 16-byte dummy): show the exchange, and say why the request is unreadable.
  let info: AttestationRequestInfo | undefined;
  let unreadable: string | undefined;
  try {
    info = parseAttestationRequest(request);
  } catch (e) {
    if (!(e instanceof AttestationError)) throw e;
    unreadable = e.message;
  }
  const response = isExchangeResponse(x);
  const add = info && x.additionalData instanceof Uint8Array ? decodeAdditionalData(x.additionalData, info.flags) : undefined;
  return {
    kind: response ? 'attestation-response' : 'attestation-request-exchange',
    file,
    size: bytes.length,
    ...(response ? { cuid: entry(x.cuid), measurement: entry(x.measurement) } : { measurement: entry(x.measurement) }),
    ...(x.additionalData !== undefined ? { additionalData: entry(x.additionalData) } : {}),
    ...(add ? { additional: Object.fromEntries(Object.entries(add).map(([k, v]) => [k, hex(v)])) } : {}),
    ...(x.userData !== undefined ? { userData: entry(x.userData) } : {}),
    request: info ? requestJson(info) : { size: request.length, unreadable },
  };
}

/** Plain text of either report: one `name: value` line per field. */
export function attestationReportText(j: Record<string, unknown>): string {
  const title = j.kind === 'attestation-response' ? 'attestation response (exchange file)' : j.kind === 'attestation-request' ? 'attestation request' : 'attestation request (exchange file)';
  const lines = [`${j.file}: ${title}`];
  const walk = (o: Record<string, unknown>, indent: string) => {
    for (const [k, v] of Object.entries(o)) {
      if (k === 'kind' || k === 'file' || v === undefined) continue;
      if (Array.isArray(v)) {
        lines.push(`${indent}${k}:${v.length === 0 ? ' (none)' : ''}`);
        for (const [i, item] of v.entries()) {
          if (typeof item === 'object' && item !== null) {
            lines.push(`${indent}  [${i}]`);
            walk(item as Record<string, unknown>, `${indent}    `);
          } else lines.push(`${indent}  - ${item}`);
        }
      } else if (typeof v === 'object' && v !== null) {
        lines.push(`${indent}${k}:`);
        walk(v as Record<string, unknown>, `${indent}  `);
      } else lines.push(`${indent}${k}: ${v}`);
    }
  };
  walk(j, '  ');
  return `${lines.join('\n')}\n`;
}
