/**
 * `se-secrets verify-hkd`: what pvverify does. Verifies host-key documents with the
 * certificate options of `create` and prints, for each, its subject and host-key
 * hash (stdout). With `--no-verify` the documents are only read.
 *
 * @module
 */
import { type ParsedCommand, getFlag, getList, getString } from '../args.js';
import { readInput } from '../files.js';
import { type Certificate, firstCertificate, unverifiedHostKey, type VerifiedHostKeyLike, verifyHostKeyDocuments } from '../lib.js';
import type { Logger } from '../log.js';
import { parseVerifyTime, reportingOptions } from '../verification.js';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export async function runVerifyHkd(path: readonly ParsedCommand[], log: Logger): Promise<void> {
  const c = path[1] as ParsedCommand;
  const files = getList(c, 'hostKeyDocuments');
  const noVerify = getFlag(c, 'noVerify');
  const time = getString(c, 'verifyTime');
  const now = time === undefined ? undefined : parseVerifyTime(time, ['verify-hkd']);
  if (noVerify) log.warn('host-key document verification is disabled (--no-verify): the documents are only read, not verified');
  const docs: Certificate[] = [];
  const sources: string[] = [];
  for (const file of files) {
    const source = `host-key document '${file}'`;
    const first = firstCertificate(await readInput(file, 'host-key document'), source);
    if (first.count > 1) log.warn(`${source} holds ${first.count} certificates; only the first one is used`);
    docs.push(first.certificate);
    sources.push(source);
  }
  let keys: readonly VerifiedHostKeyLike[];
  if (noVerify) {
    keys = docs.map((d, i) => unverifiedHostKey(d, sources[i] as string));
  } else {
    const readAll = (fs: string[], label: string) => Promise.all(fs.map((f) => readInput(f, label)));
    const rootCa = getString(c, 'rootCa');
    keys = await verifyHostKeyDocuments({
      hostKeyDocuments: docs,
      certificates: await readAll(getList(c, 'certs'), 'certificate'),
      crls: await readAll(getList(c, 'crls'), 'CRL'),
      ...(rootCa !== undefined ? { rootCa: await readInput(rootCa, 'root CA certificate') } : {}),
      offline: getFlag(c, 'offline'),
      ...reportingOptions(log, now),
    });
  }
  const lines: string[] = [];
  keys.forEach((k, i) => {
    lines.push(files[i] ?? `host-key document #${i + 1}`);
    lines.push(`  subject:       ${k.subject ?? '(unknown)'}`);
    lines.push(`  host-key hash: 0x${hex(k.hash)}`);
  });
  await log.streams.out(`${lines.join('\n')}\n`);
  log.success(noVerify ? 'Host-key documents read (not verified).' : 'Host-key documents verified.');
}
