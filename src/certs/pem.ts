/**
 * PEM and DER input: a file may hold one DER object, or any number of PEM blocks.
 *
 * @module
 */

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

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
  const out: PemBlock[] = [];
  for (const m of text.matchAll(PEM_RE)) {
    const label = m[1] as string;
    if (labels && !labels.includes(label)) continue;
    const der = base64Decode(m[2] as string);
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
