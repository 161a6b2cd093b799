/**
 * Values given as text on the command line or in small files: `--cuid-hex`, `--pcf`,
 * the `--cuid` file. Rules from pvsecret 2.43 (`rust/pvsecret/src/cmd/create.rs`,
 * `rust/pv_core/src/utils.rs`).
 *
 * @module
 */
import { InputError } from '../errors.js';
import { parseCuidFile, parseCuidText } from '../request/cuid.js';
import { CliError } from './errors.js';

/**
 * `--cuid-hex`: an optional lowercase `0x`, then exactly 32 hex digits (big-endian);
 * the library's one CUID rule (`parseCuidText`).
 *
 * @throws CliError `ERR_VALUE`
 */
export function parseCuidHex(text: string, what = '--cuid-hex'): Uint8Array {
  try {
    return parseCuidText(text, what);
  } catch (e) {
    valueError(e);
  }
}

/** The library's `ERR_CUID` rethrown as the CLI's value error (same message). */
function valueError(e: unknown): never {
  if (e instanceof InputError) throw new CliError('ERR_VALUE', e.message, { cause: e });
  throw e;
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

/**
 * The CUID from a `--cuid` file: exactly 16 bytes are taken raw; anything else must
 * be YAML holding `0x` + 32 hex digits, either as the whole document or under a `cuid`
 * key up to 8 mappings deep (the library's `parseCuidFile`). Scalars are read as text,
 * so an unquoted `cuid: 0x…` works too (pvsecret 2.43 only accepts it quoted).
 *
 * @throws CliError `ERR_VALUE`
 */
export function cuidFromFile(bytes: Uint8Array, path: string): Promise<Uint8Array> {
  return parseCuidFile(bytes, `--cuid '${path}'`).catch(valueError);
}
