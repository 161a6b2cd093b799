/**
 * What the CLI adds to host-key verification: `--verify-time`, and with `-v` each
 * verification step and each CRL download tried, with its outcome. Used by `create`,
 * `verify-hkd`, `plan` and `create --batch`.
 *
 * @module
 */
import { UsageError } from './errors.js';
import { type FetchCrl, fetchCrlOverHttp, type VerificationStep } from './lib.js';
import type { Logger } from './log.js';

/** RFC 3339 date-time (`2024-03-12T00:00:00Z`, fractions and offsets allowed), or a date. */
const TIME = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2}))?$/;

/**
 * `--verify-time TIME`: the moment verification is done for (certificate validity, CRL
 * dates), to reproduce a past decision.
 *
 * @throws UsageError on anything but an RFC 3339 time or a date (midnight UTC)
 */
export function parseVerifyTime(text: string, command: readonly string[]): Date {
  const d = TIME.test(text) ? new Date(text.length === 10 ? `${text}T00:00:00Z` : text) : undefined;
  // Date rolls a day past the month's end over (2024-02-30 is 1 March): refuse it.
  const [y, m, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (!d || Number.isNaN(d.getTime()) || new Date(Date.UTC(y, m - 1, day)).getUTCDate() !== day) {
    throw new UsageError(`invalid value '${text}' for '--verify-time <TIME>': expected an RFC 3339 time such as 2024-03-12T00:00:00Z, or a date`, command);
  }
  return d;
}

function describe(s: VerificationStep, files: readonly string[]): string {
  switch (s.step) {
    case 'inputs':
      return `read ${s.certificates} certificate(s), ${s.crls} CRL(s) and ${s.roots} trusted root(s)`;
    case 'signing-key':
      return `found the IBM Z signing key: ${s.subject}`;
    case 'chain':
      return `chain of trust verified: ${s.subjects.join(' <- ')}`;
    case 'host-key-document':
      return `host-key document ${files[s.index] !== undefined ? `'${files[s.index]}'` : `#${s.index + 1}`} verified: ${s.keys.map((k) => k.subject).join('; ')}`;
  }
}

/**
 * The verification options that report to the log (at `-v`), with the time of
 * `--verify-time`; `files` names the host-key documents in the steps.
 */
export function reportingOptions(log: Logger, now?: Date, files: readonly string[] = []): { now?: Date; onStep: (s: VerificationStep) => void; fetchCrl: FetchCrl } {
  if (now) log.info(`Verifying as of ${now.toISOString()} (--verify-time)`);
  const fetchCrl: FetchCrl = async (url, options) => {
    log.info(`Downloading CRL ${url}`);
    try {
      const crl = await fetchCrlOverHttp(url, options);
      log.info(crl ? `CRL ${url}: downloaded (${crl.length} bytes)` : `CRL ${url}: not available`);
      return crl;
    } catch (e) {
      log.info(`CRL ${url}: failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  };
  const onStep = (s: VerificationStep) => {
    // pvsecret ignores a -C file without a certificate or CRL silently; say so.
    if (s.step === 'inputs') for (const u of s.unused) log.warn(`${u} holds no certificate and no CRL; it is ignored`);
    log.info(`Verification: ${describe(s, files)}`);
  };
  return { ...(now ? { now } : {}), onStep, fetchCrl };
}
