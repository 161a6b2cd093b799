/**
 * The configuration unique ID (CUID) as users write it: the one rule that every reader
 * of a CUID uses (CLI `--cuid-hex` and `--cuid FILE`, batch files, the page). From
 * pvsecret 2.43 (`rust/pvsecret/src/cmd/create.rs`, `rust/pv_core/src/utils.rs`):
 *
 * - as an option value: an optional lowercase `0x`, then exactly 32 hex digits;
 * - as a YAML value: `0x` and 32 hex digits, quoted (`cuid: '0x4242…'`, as pvattest
 *   writes it) or unquoted — pvsecret refuses the unquoted form, se-secrets reads it as
 *   the same text;
 * - as a file: exactly 16 raw bytes, or YAML whose whole document is such a value or
 *   which holds it under a `cuid` key up to 8 mappings deep.
 *
 * @module
 */
import type { Node } from 'yaml';
import { InputError } from '../errors.js';
import { copyBytes, fromHex } from '../internal/bytes.js';
import { CUID_SIZE } from './asrcb.js';

/** How deep the `cuid` key is searched in nested mappings (the reference's limit). */
export const CUID_SEARCH_DEPTH = 8;

const HINT = "expected 16 raw bytes, or YAML with 'cuid: 0x' and 32 hex digits";

/**
 * A CUID written as text. `yaml: true` is the rule of a YAML value (`0x` required),
 * otherwise that of an option value (`0x` optional).
 *
 * @throws InputError `ERR_CUID` (the message starts with `what`)
 */
export function parseCuidText(text: string, what = 'cuid', options: { yaml?: boolean } = {}): Uint8Array {
  if (typeof text !== 'string') throw new InputError('ERR_CUID', `${what}: expected text (got ${typeof text})`);
  if (options.yaml && !text.startsWith('0x')) throw new InputError('ERR_CUID', `${what}: the CUID must start with 0x (${HINT})`);
  const digits = text.startsWith('0x') ? text.slice(2) : text;
  if (digits.length !== CUID_SIZE * 2) {
    throw new InputError('ERR_CUID', `${what}: the CUID must be 32 hex digits with leading zeros (got ${digits.length} characters)`);
  }
  const bytes = /^[0-9a-fA-F]+$/.test(digits) ? fromHex(digits) : undefined;
  if (!bytes) throw new InputError('ERR_CUID', `${what}: '${digits}' is not a hexadecimal number`);
  return bytes;
}

type Yaml = typeof import('yaml');

/** Depth-first search for a `cuid` key, as the reference does (only untagged mappings are entered). */
function findCuid(Y: Yaml, node: Node | null | undefined, depth: number): string | undefined {
  if (depth >= CUID_SEARCH_DEPTH || !Y.isMap(node)) return undefined;
  if (node.tag && node.tag !== 'tag:yaml.org,2002:map') return undefined;
  const entry = node.items.find((p) => Y.isScalar(p.key) && p.key.value === 'cuid');
  if (entry) return Y.isScalar(entry.value) && typeof entry.value.value === 'string' ? entry.value.value : undefined;
  for (const p of node.items) {
    const found = findCuid(Y, p.value as Node | null, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The CUID of a CUID file's bytes: 16 raw bytes are taken as they are (copied);
 * anything else is read as YAML (scalars as text, so quoted and unquoted alike).
 *
 * @throws InputError `ERR_CUID` (the message starts with `what`)
 */
export async function parseCuidFile(bytes: Uint8Array, what = 'cuid file'): Promise<Uint8Array> {
  if (bytes.length === CUID_SIZE) return copyBytes(bytes);
  // Loaded only here: most runs never parse YAML.
  const Y = await import('yaml');
  // The one bounded YAML setup (size cap, linear duplicate-key check).
  const parsed = (await import('../internal/yaml-read.js')).parseYaml(new TextDecoder().decode(bytes));
  if ('problem' in parsed) {
    throw new InputError('ERR_CUID', `${what}: neither 16 raw bytes (got ${bytes.length}) nor YAML (line ${parsed.problem.line}: ${parsed.problem.reason})`);
  }
  const { doc } = parsed;
  const root = doc.contents;
  const text = Y.isScalar(root) && typeof root.value === 'string' ? root.value : findCuid(Y, root, 0);
  if (text === undefined) throw new InputError('ERR_CUID', `${what}: no 'cuid' entry found (${HINT})`);
  return parseCuidText(text, what, { yaml: true });
}
