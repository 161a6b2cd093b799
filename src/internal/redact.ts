/**
 * Keeping secret bytes out of `console.log`, `util.inspect` and `JSON.stringify`.
 *
 * Objects that carry secrets (key pairs, encoded secret values) get a non-enumerable
 * inspect hook and `toJSON` that print the secret fields as `[redacted N bytes]`. The
 * fields stay readable in code; only their printed form changes. The hook is keyed by
 * the well-known `Symbol.for('nodejs.util.inspect.custom')`, so no `node:` import is
 * needed and other runtimes ignore it.
 *
 * @module
 */

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

function redactedView<T extends object>(obj: T, secretFields: readonly (keyof T)[]): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if ((secretFields as readonly PropertyKey[]).includes(k)) {
      const n = v instanceof Uint8Array ? `${v.length} bytes` : Array.isArray(v) ? `${v.length} values` : typeof v;
      view[k] = `[redacted ${n}]`;
    } else {
      view[k] = v;
    }
  }
  return view;
}

/** Marks `secretFields` of `obj` as secret for printing; returns `obj`. */
export function redactSecrets<T extends object>(obj: T, secretFields: readonly (keyof T)[]): T {
  Object.defineProperty(obj, INSPECT, {
    enumerable: false,
    value(_depth: number, options: unknown, inspect?: (v: unknown, o: unknown) => string) {
      const view = redactedView(obj, secretFields);
      return typeof inspect === 'function' ? inspect(view, options) : view;
    },
  });
  Object.defineProperty(obj, 'toJSON', { enumerable: false, value: () => redactedView(obj, secretFields) });
  return obj;
}
