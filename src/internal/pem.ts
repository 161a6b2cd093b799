/**
 * The one PEM reader of se-secrets: certificates, CRLs, private keys and root stores
 * are all read through it. It frames the text as OpenSSL 3's `PEM_read_bio` does
 * (`crypto/pem/pem_lib.c`: `get_name`, `get_header_and_data`; `EVP_DecodeUpdate`), which
 * is how pvsecret reads every PEM input:
 *
 * - lines end at `\n`; trailing white space and control characters (a `\r` too) are
 *   dropped from every line, and a UTF-8 byte-order mark from the first line read;
 * - a block starts at a line that begins with `-----BEGIN ` and ends with `-----`
 *   (text before it is skipped; an indented BEGIN line is such text);
 * - it ends at the first line that begins with `-----END `, which must then name the
 *   same label (else the input is refused); no END line refuses the input;
 * - the body is base64 in which spaces and tabs are ignored (indented lines are fine,
 *   and so is everything on one line); other characters refuse it, as does padding
 *   in the middle or a length that is not a multiple of four; a `-` ends the data;
 * - a blank line marks the end of RFC 1421 headers (`Proc-Type: …`): lines before it
 *   are headers, and after it each line must be 64 characters except the last. A block
 *   with headers is only reported ({@link PemBlock.headers}): for the objects read here
 *   that means encrypted, which is refused;
 * - text after the last block is ignored.
 *
 * Lines longer than OpenSSL's 254-byte line buffer are read whole here; OpenSSL cuts
 * them into pieces, which changes nothing for base64 lines.
 *
 * @module
 */

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const TAIL = '-----';
/** A full base64 line after a header: 64 characters and the newline (RFC 1421 §4.3.2.4). */
const HEADER_BODY_LINE = 65;
const UTF8_BOM = '\xef\xbb\xbf';

/** One decoded PEM block. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
  /** True when the block has RFC 1421 headers (an encrypted object). */
  readonly headers?: boolean;
}

/** A malformed PEM input; callers turn it into their own typed error. */
export class PemError extends Error {}

/** A line with trailing white space and control characters removed (`sanitize_line`, EAY mode). */
function sanitize(line: string): string {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) <= 0x20) end--;
  return line.slice(0, end);
}

/** Reads `text` line by line (each without its `\n`). */
class Lines {
  private pos = 0;
  constructor(private readonly text: string) {}
  next(): string | undefined {
    if (this.pos >= this.text.length) return undefined;
    const nl = this.text.indexOf('\n', this.pos);
    const end = nl < 0 ? this.text.length : nl;
    const line = this.text.slice(this.pos, end);
    this.pos = nl < 0 ? this.text.length : nl + 1;
    return line;
  }
}

// Base64 alphabet values; white space is skipped, `-` ends the data.
const B64 = new Int16Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].entries()) B64[c.charCodeAt(0)] = i;

/** `EVP_DecodeUpdate` + `EVP_DecodeFinal` over a block's body. @throws PemError */
function decodeBase64(body: string): Uint8Array {
  const chars: number[] = [];
  let pad = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (c === 0x2d) break; // '-': end of data
    if (c === 0x3d) {
      if (++pad > 2) throw new PemError('pem: bad base64 padding');
      chars.push(0);
      continue;
    }
    const v = c < 128 ? (B64[c] as number) : -1;
    if (v < 0) throw new PemError('pem: a block holds a character that is not base64');
    if (pad > 0) throw new PemError('pem: base64 data after the padding');
    chars.push(v);
  }
  if (chars.length % 4 !== 0) throw new PemError('pem: base64 data is not a multiple of four characters');
  const out = new Uint8Array((chars.length / 4) * 3);
  for (let i = 0, o = 0; i < chars.length; i += 4, o += 3) {
    const n = ((chars[i] as number) << 18) | ((chars[i + 1] as number) << 12) | ((chars[i + 2] as number) << 6) | (chars[i + 3] as number);
    out[o] = n >>> 16;
    out[o + 1] = (n >>> 8) & 0xff;
    out[o + 2] = n & 0xff;
  }
  return out.subarray(0, out.length - pad);
}

/** `get_name`: the label of the next BEGIN line, or undefined at the end of the input. */
function nextLabel(lines: Lines): string | undefined {
  for (let first = true; ; first = false) {
    const raw = lines.next();
    if (raw === undefined) return undefined;
    const line = sanitize(first && raw.startsWith(UTF8_BOM) ? raw.slice(UTF8_BOM.length) : raw);
    if (line.startsWith(BEGIN) && line.endsWith(TAIL) && line.length >= BEGIN.length + TAIL.length) {
      return line.slice(BEGIN.length, line.length - TAIL.length);
    }
  }
}

/** `get_header_and_data`: the body of the block `label` up to its END line. @throws PemError */
function blockBody(lines: Lines, label: string): { body: string; headers: boolean } {
  let state: 'maybe-header' | 'in-header' | 'after-header' = 'maybe-header';
  const before: string[] = []; // headers, or the body when no blank line comes
  const after: string[] = [];
  let short = false;
  for (;;) {
    const raw = lines.next();
    if (raw === undefined) throw new PemError(`pem: no END line for the "${label}" block`);
    if (state === 'maybe-header' && raw.includes(':')) state = 'in-header';
    const line = sanitize(raw);
    if (line === '') {
      if (state === 'after-header') throw new PemError('pem: a second blank line in a block');
      state = 'after-header';
      continue;
    }
    if (line.startsWith(END)) {
      const rest = line.slice(END.length);
      if (!rest.startsWith(label) || !rest.slice(label.length).startsWith(TAIL)) {
        throw new PemError(`pem: the END line does not match "-----BEGIN ${label}-----"`);
      }
      if (state === 'maybe-header') return { body: before.join('\n'), headers: false };
      return { body: after.join('\n'), headers: before.length > 0 };
    }
    if (short) throw new PemError('pem: a short line before the end of a block');
    if (state === 'after-header') {
      after.push(line);
      if (line.length + 1 > HEADER_BODY_LINE) throw new PemError('pem: a line after the block headers is too long');
      short = line.length + 1 < HEADER_BODY_LINE;
    } else {
      before.push(line);
    }
  }
}

/**
 * Every PEM block of `bytes`, in order, as OpenSSL's `PEM_read_bio` reads them one
 * after the other: a malformed block throws when it is reached, so a caller that stops
 * early (the first private key) does not see a malformed block after it.
 *
 * @throws PemError
 */
export function* pemBlocks(bytes: Uint8Array): Generator<PemBlock> {
  const lines = new Lines(new TextDecoder('latin1').decode(bytes));
  for (;;) {
    const label = nextLabel(lines);
    if (label === undefined) return;
    const { body, headers } = blockBody(lines, label);
    const der = decodeBase64(body);
    yield headers ? { label, der, headers } : { label, der };
  }
}

/** True when the bytes contain a line that starts a PEM block. */
export function looksLikePem(bytes: Uint8Array): boolean {
  const text = new TextDecoder('latin1').decode(bytes);
  for (let at = text.indexOf(BEGIN); at >= 0; at = text.indexOf(BEGIN, at + 1)) {
    if (at === 0 || text[at - 1] === '\n' || (at === UTF8_BOM.length && text.startsWith(UTF8_BOM))) return true;
  }
  return false;
}

/**
 * The PEM blocks of `bytes` (only those whose label is in `labels`, when given), read
 * as OpenSSL reads them; undefined when the input is malformed anywhere.
 *
 * @example
 * ```ts
 * const [cert] = decodePem(await readFile('HKD.crt'), ['CERTIFICATE']) ?? [];
 * ```
 */
export function decodePem(bytes: Uint8Array, labels?: readonly string[]): PemBlock[] | undefined {
  try {
    return [...pemBlocks(bytes)].filter((b) => !labels || labels.includes(b.label)).map(({ label, der }) => ({ label, der }));
  } catch (e) {
    if (e instanceof PemError) return undefined;
    throw e;
  }
}

/** Base64 PEM encoding with 64-character lines. */
export function encodePem(label: string, der: Uint8Array): string {
  let bin = '';
  for (const b of der) bin += String.fromCharCode(b);
  const b64 = btoa(bin);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
