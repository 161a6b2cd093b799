/**
 * Passing request options into a page and bytes back: Uint8Array and bigint do not
 * cross Playwright's evaluate boundary as such, so they travel as tagged hex.
 */

/** JSON text in which bytes are `{ "$bytes": hex }` and bigints `{ "$bigint": hex }`. */
export type Wire = string;

function tagged(x: unknown): unknown {
  if (x instanceof Uint8Array) return { $bytes: Buffer.from(x).toString('hex') };
  if (typeof x === 'bigint') return { $bigint: x.toString(16) };
  if (Array.isArray(x)) return x.map(tagged);
  if (x instanceof Date) return x.getTime();
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, tagged(v)]));
  return x;
}

/** Node side: a value → {@link Wire} text. */
export function toWire(x: unknown): Wire {
  return JSON.stringify(tagged(x));
}

/**
 * Page side: installs `globalThis.fromWire` (Wire text → value, the inverse of {@link toWire}) and
 * `globalThis.toHex`. Passed to `page.evaluate`, so it must not close over anything.
 */
export function installWireHelpers(): void {
  const g = globalThis as unknown as Record<string, unknown>;
  const fromWire = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(fromWire);
    if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.$bytes === 'string') return Uint8Array.from((o.$bytes.match(/../g) ?? []).map((h) => Number.parseInt(h, 16)));
      if (typeof o.$bigint === 'string') return BigInt(`0x${o.$bigint}`);
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fromWire(v)]));
    }
    return x;
  };
  g.fromWire = (text: string) => fromWire(JSON.parse(text));
  g.toHex = (b: Uint8Array) => Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('');
}
