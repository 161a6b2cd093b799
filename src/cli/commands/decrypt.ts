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
import { type CliIo, parseOptions, reportError, resolvePath, UsageError } from './common.js';

export const USAGE = 'se-secrets decrypt [OPTIONS] <--host-key-private <KEY>|--customer-private-key <KEY> --host-key-document <HKD>> <REQUEST>';

export const HELP = `Decrypt an add-secret request and print its contents

For lab and test hosts whose host private key is at hand, and for known-answer
vectors whose customer private key is known. Decryption authenticates the whole
request (AES-256-GCM over every byte). The secret value and the extension secret
are printed only with --show-secret. A signed request's user-data signature is not
checked here (that needs the user's certificate).

Usage: ${USAGE}

Arguments:
  <REQUEST>  The add-secret request

Options:
      --host-key-private <KEY>      The host's P-521 private key (PKCS#8 or SEC 1,
                                    PEM or DER)
      --customer-private-key <KEY>  The request's customer private key (PKCS#8,
                                    SEC 1, or a raw 66- or 80-byte scalar); needs
                                    --host-key-document
      --host-key-document <HKD>     The host-key document of one of the request's hosts
      --show-secret                 Also print the secret value and extension secret
  -v, --verbose                     Show error causes
  -q, --quiet                       Accepted for symmetry; output is unchanged
  -h, --help                        Print help
`;

const USER_DATA = [
  'none',
  'unsigned',
  'EC P-521 signed (signature not checked)',
  'RSA-2048 signed (signature not checked)',
  'RSA-3072 signed (signature not checked)',
];

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
    ['user data', USER_DATA[r.userDataType] ?? `type ${r.userDataType}`],
  ];
  const data = trimZeros(r.userDataArea);
  if (r.userDataType !== 0 && data.length > 0) rows.push(['user data bytes', toHex(data)]);
  rows.push(['customer key', toHex(r.customerPublicKey)]);
  for (const [i, s] of r.keySlots.entries()) rows.push([`key slot ${i}`, `${toHex(s.hostKeyHash)}${i === d.keySlot ? ' (opened)' : ''}`]);
  rows.push(['secret type', `0x${d.secret.type.toString(16).padStart(2, '0')} (${d.secret.typeName})`]);
  if (d.secret.id) rows.push(['secret id', `0x${toHex(d.secret.id)}`]);
  rows.push(['secret length', String(d.secret.value.length)]);
  if (d.secret.value.length > 0) rows.push(['secret value', showSecret ? toHex(d.secret.value) : '(hidden; --show-secret prints it)']);
  const ext = isAllZero(d.extensionSecret);
  rows.push(['extension secret', ext ? 'none (all zero)' : showSecret ? toHex(d.extensionSecret) : 'set (hidden; --show-secret prints it)']);
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width)} ${v}\n`).join('');
}

/** Runs `se-secrets decrypt`. Returns the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let verbose = false;
  try {
    const { values, positionals } = parseOptions(args, {
      'host-key-private': { type: 'string' },
      'customer-private-key': { type: 'string' },
      'host-key-document': { type: 'string' },
      'show-secret': { type: 'boolean' },
    });
    verbose = values.verbose === true;
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'the request file is required' : `unexpected argument '${positionals[1]}'`);
    const host = values['host-key-private'];
    const customer = values['customer-private-key'];
    const hkd = values['host-key-document'];
    if (host !== undefined && (customer !== undefined || hkd !== undefined)) {
      throw new UsageError("the argument '--host-key-private <KEY>' cannot be used with '--customer-private-key' or '--host-key-document'");
    }
    if (host === undefined && customer === undefined) throw new UsageError("one of '--host-key-private <KEY>' or '--customer-private-key <KEY>' is required");
    if (customer !== undefined && hkd === undefined) throw new UsageError("'--customer-private-key' requires '--host-key-document <HKD>'");
    if (hkd !== undefined && customer === undefined) throw new UsageError("'--host-key-document' requires '--customer-private-key <KEY>'");

    const file = positionals[0] as string;
    const request = await readFileBytes(resolvePath(io, file));
    const key =
      host !== undefined
        ? { hostPrivateKey: await readFileBytes(resolvePath(io, host)), backend: nodeBackend }
        : {
            customerPrivateKey: await readFileBytes(resolvePath(io, customer as string)),
            hostKeyDocument: await readFileBytes(resolvePath(io, hkd as string)),
            backend: nodeBackend,
          };
    try {
      const d = await decryptAddSecretRequest(request, key);
      try {
        io.stdout.write(formatDecrypted(file, d, values['show-secret'] === true));
      } finally {
        d.secret.value.fill(0);
        d.extensionSecret.fill(0);
      }
    } finally {
      (('hostPrivateKey' in key ? key.hostPrivateKey : key.customerPrivateKey) as Uint8Array).fill(0);
    }
    return 0;
  } catch (e) {
    return reportError(io, e, { verbose, usage: USAGE });
  }
}
