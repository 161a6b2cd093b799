/**
 * PEM and DER input: a file may hold one DER object, or any number of PEM blocks.
 *
 * @module
 */

// Every position where a marker starts (zero-width, so overlapping markers count too).
const BEGIN_AT = /(?=-----BEGIN ([A-Z0-9 ]+)-----)/g;
const END_AT = /(?=-----END ([A-Z0-9 ]+)-----)/g;

/** One decoded PEM block. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

function base64Decode(s: string): Uint8Array | undefined {
  const clean = s.replace(/[\s]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return undefined;
  try {
    const bin = atob(clean);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

/** True when the bytes look like PEM text (contain a `-----BEGIN ` line). */
export function looksLikePem(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 1 << 20)));
  return head.includes('-----BEGIN ');
}

/**
 * Splits PEM text into its blocks (only those whose label is in `labels`, when given).
 * Returns undefined when a block's body is not valid base64.
 */
export function decodePem(bytes: Uint8Array, labels?: readonly string[]): PemBlock[] | undefined {
  const text = new TextDecoder('latin1').decode(bytes);
  // A block runs from `-----BEGIN L-----` to the first `-----END L-----` after it. Found
  // in one pass over the BEGIN markers with the END markers indexed by label: linear in
  // the input. (The obvious lazy regex with a back-reference rescans to the end of the
  // input for every unmatched BEGIN, which is quadratic: seconds per 300 KiB.)
  const ends = new Map<string, { at: number[]; next: number }>();
  for (const m of text.matchAll(END_AT)) {
    const label = m[1] as string;
    const e = ends.get(label) ?? { at: [], next: 0 };
    ends.set(label, e);
    e.at.push(m.index);
  }
  const out: PemBlock[] = [];
  let cursor = 0;
  for (const m of text.matchAll(BEGIN_AT)) {
    if (m.index < cursor) continue;
    const label = m[1] as string;
    const bodyStart = m.index + '-----BEGIN '.length + label.length + '-----'.length;
    const e = ends.get(label);
    if (!e) continue;
    while (e.next < e.at.length && (e.at[e.next] as number) < bodyStart) e.next++;
    const end = e.at[e.next];
    if (end === undefined) continue;
    cursor = end + '-----END '.length + label.length + '-----'.length;
    if (labels && !labels.includes(label)) continue;
    const der = base64Decode(text.slice(bodyStart, end));
    if (!der) return undefined;
    out.push({ label, der });
  }
  return out;
}

/** Base64 PEM encoding with 64-character lines. */
export function encodePem(label: string, der: Uint8Array): string {
  let bin = '';
  for (const b of der) bin += String.fromCharCode(b);
  const b64 = btoa(bin);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
