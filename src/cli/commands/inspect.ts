/**
 * `se-secrets inspect FILE [--json]`: decodes an add-secret request, an SE header or
 * an SE image and prints its non-confidential fields.
 *
 * @module
 */
import { type ParsedCommand, getFlag, getString } from '../args.js';
import { CliError } from '../errors.js';
import { readInput, readInputHead } from '../files.js';
import { hasRequestMagic, headerReport, headerReportText, isSeSecretsError, parseAddSecretRequest, readSeHeader, requestReport, requestReportText } from '../lib.js';
import type { Logger } from '../log.js';
import { attestationExchangeReport, attestationReportText, attestationRequestReport, isAttestationExchange, looksLikeAttestationRequest } from '../lib.js';

/**
 * The version of the `--json` shape, first in every object printed. Fields are only
 * ever added within a version; a removed or changed field makes it 2.
 */
export const JSON_FORMAT_VERSION = 1;

const json = (report: object) => `${JSON.stringify({ formatVersion: JSON_FORMAT_VERSION, ...report }, null, 2)}\n`;


/** An attestation exchange file ("pvattest") or bare attestation request (zero magic, version 0x100, rql = size). */
async function inspectAttestation(file: string, head: Uint8Array, size: number): Promise<Record<string, unknown> | undefined> {
  const exchange = isAttestationExchange(head);
  if (!exchange && !looksLikeAttestationRequest(head, size)) return undefined;
  const bytes = await readInput(file, 'attestation request');
  return exchange ? attestationExchangeReport(bytes, file) : attestationRequestReport(bytes, file);
}

export async function runInspect(path: readonly ParsedCommand[], log: Logger): Promise<void> {
  const c = path[1] as ParsedCommand;
  const file = getString(c, 'file') as string;
  const asJson = getFlag(c, 'json');
  const { bytes, size } = await readInputHead(file, 16);
  let out: string;
  const attestation = await inspectAttestation(file, bytes, size);
  if (attestation) {
    out = asJson ? json(attestation) : attestationReportText(attestation);
  } else if (hasRequestMagic(bytes)) {
    const info = parseAddSecretRequest(await readInput(file, 'add-secret request'));
    const j = requestReport(info, file, size);
    out = asJson ? json(j) : requestReportText(j);
  } else {
    let hdr: Awaited<ReturnType<typeof readSeHeader>>;
    try {
      hdr = await readSeHeader(file, { onWarning: (m) => log.warn(`${file}: ${m}`) });
    } catch (e) {
      if (isSeSecretsError(e, 'ERR_HEADER_NOT_FOUND')) {
        throw new CliError('ERR_VALUE', `'${file}' is neither an add-secret request nor an SE header or SE image`, { cause: e });
      }
      throw e;
    }
    const j = headerReport(hdr, file, size);
    out = asJson ? json(j) : headerReportText(j);
  }
  await log.streams.out(out);
}
