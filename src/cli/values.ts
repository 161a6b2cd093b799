/**
 * Values given as text on the command line or in small files: `--cuid-hex`, `--pcf`,
 * the `--cuid` file. Rules from pvsecret 2.43 (`rust/pvsecret/src/cmd/create.rs`,
 * `rust/pv_core/src/utils.rs`).
 *
 * @module
 */
import type { Node } from 'yaml';
import { fromHex } from '../internal/bytes.js';
import { CliError } from './errors.js';

/** Size of a configuration unique ID. */
export const CUID_SIZE = 16;
/** How deep the `cuid` key is searched in nested mappings (the reference's limit). */
export const CUID_SEARCH_DEPTH = 8;

/**
 * `--cuid-hex`: an optional lowercase `0x`, then exactly 32 hex digits (big-endian).
 *
 * @throws CliError `ERR_VALUE`
 */
export function parseCuidHex(text: string, what = '--cuid-hex'): Uint8Array {
  const digits = text.startsWith('0x') ? text.slice(2) : text;
  if (digits.length !== CUID_SIZE * 2) {
    throw new CliError('ERR_VALUE', `${what}: the CUID must be 32 hex digits with leading zeros (got ${digits.length} characters)`);
  }
  const bytes = /^[0-9a-fA-F]+$/.test(digits) ? fromHex(digits) : undefined;
  if (!bytes) throw new CliError('ERR_VALUE', `${what}: '${digits}' is not a hexadecimal number`);
  return bytes;
}

/**
 * `--pcf`: the raw 64-bit request flags, always hexadecimal (`10` is 0x10), optional
 * lowercase `0x`, 1 to 16 digits.
 *
 * @throws CliError `ERR_VALUE`
 */
export function parsePcf(text: string): bigint {
  const digits = text.startsWith('0x') ? text.slice(2) : text;
  if (digits.length === 0) throw new CliError('ERR_VALUE', '--pcf: no hex digits given');
  if (digits.length > 16) throw new CliError('ERR_VALUE', `--pcf: at most 16 hex digits (got ${digits.length})`);
  if (!/^[0-9a-fA-F]+$/.test(digits)) throw new CliError('ERR_VALUE', `--pcf: '${text}' is not a hexadecimal number`);
  return BigInt(`0x${digits}`);
}

/** Depth-first search for a `cuid` key, as the reference does (only untagged mappings are entered). */
type Yaml = typeof import('yaml');

function findCuid(Y: Yaml, node: Node | null | undefined, depth: number): string | undefined {
  const { isMap, isScalar } = Y;
  if (depth >= CUID_SEARCH_DEPTH || !isMap(node)) return undefined;
  if (node.tag && node.tag !== 'tag:yaml.org,2002:map') return undefined;
  const entry = node.items.find((p) => isScalar(p.key) && p.key.value === 'cuid');
  if (entry) {
    return isScalar(entry.value) && typeof entry.value.value === 'string' ? entry.value.value : undefined;
  }
  for (const p of node.items) {
    const found = findCuid(Y, p.value as Node | null, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The CUID from a `--cuid` file: exactly 16 bytes are taken raw; anything else must
 * be YAML holding a string `0x` + 32 hex digits, either as the whole document or
 * under a `cuid` key up to 8 mappings deep. Scalars are read as text, so an unquoted
 * `cuid: 0x…` works too (pvsecret 2.43 only accepts it quoted).
 *
 * @throws CliError `ERR_VALUE`
 */
export async function cuidFromFile(bytes: Uint8Array, path: string): Promise<Uint8Array> {
  if (bytes.length === CUID_SIZE) return bytes.slice();
  const what = `--cuid '${path}'`;
  // Loaded only here: most runs never parse YAML.
  const Y = await import('yaml');
  const parsed = (await import('../internal/yaml-read.js')).parseYaml(new TextDecoder().decode(bytes));
  if ('problem' in parsed) {
    throw new CliError('ERR_VALUE', `${what}: neither 16 raw bytes (got ${bytes.length}) nor YAML (line ${parsed.problem.line}: ${parsed.problem.reason})`);
  }
  const { doc } = parsed;
  const root = doc.contents;
  const text = Y.isScalar(root) && typeof root.value === 'string' ? root.value : findCuid(Y, root, 0);
  if (text === undefined) throw new CliError('ERR_VALUE', `${what}: no 'cuid' entry found (expected 16 raw bytes, or YAML with 'cuid: 0x' and 32 hex digits)`);
  if (!text.startsWith('0x')) {
    throw new CliError('ERR_VALUE', `${what}: the CUID must start with 0x (expected 16 raw bytes, or YAML with 'cuid: 0x' and 32 hex digits)`);
  }
  return parseCuidHex(text, what);
}
