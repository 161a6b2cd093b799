/**
 * `se-secrets decrypt REQUEST --host-key-private KEY [--show-secret]`, or
 * `--customer-private-key KEY --host-key-document HKD`: opens and authenticates a
 * request and prints its contents.
 *
 * @module
 */

import { nodeBackend } from '../../crypto/node.js';
import { isAllZero, toHex } from '../../internal/bytes.js';
import { readFileBytes } from '../../node/files.js';
import { FLAG_DISABLE_DUMP } from '../../request/asrcb.js';
import { type DecryptedAddSecretRequest, decryptAddSecretRequest } from '../../request/decrypt.js';
import { getFlag, getString, type ParsedCommand } from '../args.js';
import { isSeSecretsError, secretTypeLabel, signedDataSize, userDataTypeName } from '../lib.js';
import type { Logger } from '../log.js';

function trimZeros(b: Uint8Array): Uint8Array {
  let n = b.length;
  while (n > 0 && b[n - 1] === 0) n--;
  return b.subarray(0, n);
}

/** The printed report (stdout). */
export function formatDecrypted(file: string, d: DecryptedAddSecretRequest, showSecret: boolean): string {
  const r = d.request;
  const rows: [string, string][] = [
    ['request', `${file}: ${r.length} bytes, version 0x${r.version.toString(16)}`],
    ['authenticated', 'yes (AES-256-GCM tag verified over the whole request)'],
    ['opened with', `key slot ${d.keySlot} (host-key hash ${toHex(d.hostKeyHash)})`],
    ['flags', `0x${r.flags.toString(16).padStart(16, '0')}${r.flags & FLAG_DISABLE_DUMP ? ' (disable-dump)' : ''}`],
    ['cuid', isAllZero(r.cuid) ? 'none (all zero)' : `0x${toHex(r.cuid)}`],
    ['SE-header tag', toHex(r.tag)],
    ['pld', toHex(r.pld)],
    ['ald', toHex(r.ald)],
    ['tld', toHex(r.tld)],
    ['user data', `${userDataTypeName(r.userDataType)}${signedDataSize(r.userDataType) === undefined ? '' : ' (signature not checked)'}`],
  ];
  const data = trimZeros(r.userDataArea);
  if (r.userDataType !== 0 && data.length > 0) rows.push(['user data bytes', toHex(data)]);
  rows.push(['customer key', toHex(r.customerPublicKey)]);
  for (const [i, s] of r.keySlots.entries()) rows.push([`key slot ${i}`, `${toHex(s.hostKeyHash)}${i === d.keySlot ? ' (opened)' : ''}`]);
  rows.push(['secret type', secretTypeLabel(d.secret.type)]);
  if (d.secret.id) rows.push(['secret id', `0x${toHex(d.secret.id)}`]);
  rows.push(['secret length', String(d.secret.value.length)]);
  if (d.secret.value.length > 0) rows.push(['secret value', showSecret ? toHex(d.secret.value) : '(hidden; --show-secret prints it)']);
  const ext = isAllZero(d.extensionSecret);
  rows.push(['extension secret', ext ? 'none (all zero)' : showSecret ? toHex(d.extensionSecret) : 'set (hidden; --show-secret prints it)']);
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}\n`).join('');
}

/** Runs `se-secrets decrypt`. */
export async function runDecrypt(path: readonly ParsedCommand[], log: Logger): Promise<void> {
  const c = path[1] as ParsedCommand;
  const file = getString(c, 'request') as string;
  const host = getString(c, 'hostKeyPrivate');
  const request = await readFileBytes(file);
  const key =
    host !== undefined
      ? { hostPrivateKey: await readFileBytes(host), backend: nodeBackend }
      : {
          customerPrivateKey: await readFileBytes(getString(c, 'customerPrivateKey') as string),
          hostKeyDocument: await readFileBytes(getString(c, 'hostKeyDocument') as string),
          backend: nodeBackend,
        };
  // The library names its inputs ('host private key: …'); say which file each was.
  const files: [string, string | undefined][] = [
    ['host private key', host],
    ['customer private key', getString(c, 'customerPrivateKey')],
    ['host-key document', getString(c, 'hostKeyDocument')],
    ['request', file],
  ];
  try {
    const d = await decryptAddSecretRequest(request, key).catch((e: unknown) => {
      if (isSeSecretsError(e)) {
        const named = files.find(([label, f]) => f !== undefined && e.message.startsWith(`${label}:`));
        if (named) e.message = `${named[0]} '${named[1]}'${e.message.slice(named[0].length)}`;
      }
      throw e;
    });
    try {
      await log.streams.out(formatDecrypted(file, d, getFlag(c, 'showSecret')));
    } finally {
      d.secret.value.fill(0);
      d.extensionSecret.fill(0);
    }
  } finally {
    (('hostPrivateKey' in key ? key.hostPrivateKey : key.customerPrivateKey) as Uint8Array).fill(0);
  }
}
