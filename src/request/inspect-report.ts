/**
 * The inspect report: the non-confidential fields of a request or SE header, as a
 * stable JSON shape (documented in docs/cli.md) and as text. One report for
 * `se-secrets inspect` and the offline page, both through the public entry points.
 *
 * JSON conventions: byte strings are lowercase hex without `0x`; 64-bit words are
 * hex strings of 16 digits; counts and sizes are numbers; absent values are `null`.
 *
 * @module
 */
import type { SeHeader } from '../header/se-header.js';
import { toHex as hex } from '../internal/bytes.js';
import type { AddSecretRequestInfo } from './asrcb.js';
import { secretTypeJsonName, secretTypeLabel } from './secret.js';

const word = (v: bigint) => v.toString(16).padStart(16, '0');

/** User-data types: JSON name and text (sizes come from the decoded request). */
const USER_DATA: Record<number, [string, string]> = {
  0: ['none', 'none'],
  1: ['unsigned', 'unsigned'],
  2: ['ecdsa-p521', 'signed with EC P-521 (ECDSA)'],
  3: ['rsa-2048', 'signed with RSA-2048 (PSS)'],
  4: ['rsa-3072', 'signed with RSA-3072 (PSS)'],
};

/** Request flag bits by MSB-0 position (pvsecret `AddSecretFlags`). */
const REQUEST_FLAGS: Record<number, string> = { 0: 'disable-dump' };
/** SE-header plaintext control flags by MSB-0 position (s390-tools `pvimg` `PcfV1`). */
const PCF_FLAGS: Record<number, string> = {
  34: 'allow-dumping', 35: 'no-component-encryption', 56: 'pckmo-dea-tdea', 57: 'pckmo-aes',
  58: 'pckmo-ecc', 59: 'pckmo-hmac', 62: 'backup-target-keys',
};

export interface ReportFlags {
  readonly hex: string;
  readonly names: string[];
  /** Set bits without a known name, MSB-0 (bit 0 = 0x8000000000000000). */
  readonly otherBits: number[];
}

function flags(v: bigint, known: Record<number, string>): ReportFlags {
  const names: string[] = [];
  const otherBits: number[] = [];
  for (let bit = 0; bit < 64; bit++) {
    if (((v >> BigInt(63 - bit)) & 1n) === 0n) continue;
    const n = known[bit];
    if (n) names.push(n);
    else otherBits.push(bit);
  }
  return { hex: word(v), names, otherBits };
}

/** The id as text when it is printable ASCII followed only by zero bytes (a `--use-name` id). */
function idAscii(id: Uint8Array): string | null {
  let end = id.indexOf(0);
  if (end < 0) end = id.length;
  if (end === 0 || id.subarray(end).some((b) => b !== 0)) return null;
  const head = id.subarray(0, end);
  return head.every((b) => b >= 0x20 && b <= 0x7e) ? String.fromCharCode(...head) : null;
}

/** The report of a parsed request (`inspect --json`); `file` and `fileSize` are shown as given. */
export function requestReport(r: AddSecretRequestInfo, file: string, fileSize: number) {
  const udName = USER_DATA[r.userDataType]?.[0] ?? 'unknown';
  return {
    format: 'add-secret-request' as const,
    file,
    fileSize,
    version: r.version,
    requestLength: r.length,
    secret: {
      type: r.secret.type,
      typeName: secretTypeJsonName(r.secret.type),
      length: r.secret.length,
      id: r.secret.id ? hex(r.secret.id) : null,
      idAscii: r.secret.id ? idAscii(r.secret.id) : null,
    },
    flags: flags(r.flags, REQUEST_FLAGS),
    cuid: r.cuid.some((b) => b !== 0) ? hex(r.cuid) : null,
    userData: { type: r.userDataType, typeName: udName, dataSize: r.userData?.length ?? 0, signatureSize: r.signature?.length ?? null },
    keySlots: r.keySlots.map((k) => ({ hostKeyHash: hex(k.hostKeyHash) })),
    encryptedSize: r.sea,
    iv: hex(r.iv),
    customerPublicKey: hex(r.customerPublicKey),
    seHeader: { pld: hex(r.pld), ald: hex(r.ald), tld: hex(r.tld), tag: hex(r.tag) },
    requestTag: hex(r.requestTag),
  };
}

/** The report of an SE header or image (`inspect --json`); `file` and `fileSize` are shown as given. */
export function headerReport(h: SeHeader, file: string, fileSize: number) {
  return {
    format: h.offset === 0 ? ('se-header' as const) : ('se-image' as const),
    file,
    fileSize,
    offset: h.offset,
    version: h.version,
    size: h.size,
    iv: hex(h.iv),
    pcf: flags(h.pcf, PCF_FLAGS),
    nep: word(h.nep),
    encryptedSize: h.sea,
    keySlots: h.hostKeyHashes.map((k) => ({ hostKeyHash: hex(k) })),
    customerPublicKey: hex(h.customerPublicKey),
    pld: hex(h.pld),
    ald: hex(h.ald),
    tld: hex(h.tld),
    tag: hex(h.tag),
  };
}

export type RequestReport = ReturnType<typeof requestReport>;
export type HeaderReport = ReturnType<typeof headerReport>;

function flagsText(f: ReportFlags): string {
  const parts = [...f.names, ...f.otherBits.map((b) => `bit ${b}`)];
  return `0x${f.hex} (${parts.length ? parts.join(', ') : 'none'})`;
}

const row = (label: string, value: string | number) => `${`${label}:`.padEnd(20)}${value}`;

/** A request report as the text `se-secrets inspect` prints. */
export function requestReportText(j: RequestReport): string {
  const ud = USER_DATA[j.userData.type];
  const lines = [
    row('File', `${j.file} (${j.fileSize} bytes)`),
    row('Format', `add-secret request, version 0x${j.version.toString(16)}`),
    row('Secret type', secretTypeLabel(j.secret.type)),
    row('Secret length', `${j.secret.length} bytes`),
  ];
  if (j.secret.id) lines.push(row('Secret ID', `0x${j.secret.id}`));
  if (j.secret.idAscii) lines.push(row('Secret ID (ASCII)', JSON.stringify(j.secret.idAscii)));
  lines.push(
    row('Flags', flagsText(j.flags)),
    row('CUID', j.cuid ? `0x${j.cuid}` : 'not set'),
    row('User data', j.userData.type === 0 ? 'none' : `${ud?.[1] ?? 'unknown'}, ${j.userData.dataSize} bytes of data${j.userData.signatureSize !== null ? `, ${j.userData.signatureSize}-byte signature` : ''}`),
    row('Key slots', j.keySlots.length),
    ...j.keySlots.map((k, i) => `  [${i}] host-key hash 0x${k.hostKeyHash}`),
    row('Encrypted size', `${j.encryptedSize} bytes (secret ${j.secret.length} + extension secret ${j.encryptedSize - j.secret.length})`),
    row('IV', j.iv),
    row('SE-header tag', j.seHeader.tag),
    row('pld', j.seHeader.pld),
    row('ald', j.seHeader.ald),
    row('tld', j.seHeader.tld),
    row('Request tag', j.requestTag),
  );
  return `${lines.join('\n')}\n`;
}

/** An SE-header report as the text `se-secrets inspect` prints. */
export function headerReportText(j: HeaderReport): string {
  const lines = [
    row('File', `${j.file} (${j.fileSize} bytes)`),
    row('Format', j.format === 'se-header' ? 'SE header' : `SE image, header at offset 0x${j.offset.toString(16)}`),
    row('Header version', `0x${j.version.toString(16)}`),
    row('Header size', `${j.size} bytes`),
    row('PCF', flagsText(j.pcf)),
    row('Key slots', j.keySlots.length),
    ...j.keySlots.map((k, i) => `  [${i}] host-key hash 0x${k.hostKeyHash}`),
    row('Encrypted size', `${j.encryptedSize} bytes`),
    row('Encrypted pages', `${BigInt(`0x${j.nep}`)}`),
    row('IV', j.iv),
    row('pld', j.pld),
    row('ald', j.ald),
    row('tld', j.tld),
    row('Tag', j.tag),
  ];
  return `${lines.join('\n')}\n`;
}
