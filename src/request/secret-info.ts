/**
 * The secret info pvsecret writes next to a request for association and retrievable
 * secrets (`NAME.yaml`, or stdout with `--stdout`): the secret's name and id, and for a
 * retrievable secret its kind, as YAML that `pvsecret retrieve` reads back.
 *
 * ```text
 *  !Association                      !Retrievable
 *  name: <name>                      kind: <type code> (<type name>)
 *  id: 0x<64 lowercase hex digits>   name: <name>
 *                                    id: 0x<64 lowercase hex digits>
 * ```
 *
 * Source: s390-tools `rust/pv/src/uvsecret/guest_secret.rs` (`GuestSecret`, serialised
 * with serde_yaml 0.9.34), `rust/pv_core/src/uvdevice/retr_secret.rs` (`kind`),
 * `rust/pvsecret/src/cmd/create.rs` (`write_secret`). Names are quoted exactly as
 * serde_yaml and libyaml do (see `src/internal/yaml-scalar.ts`).
 *
 * @module
 */

import { portableBackend } from '../crypto/portable.js';
import { InputError } from '../errors.js';
import { toHex, zeroize } from '../internal/bytes.js';
import { yamlMappingValue } from '../internal/yaml-scalar.js';
import { encodeGuestSecret, type SecretSpec } from './guest-secret.js';
import { secretTypeName } from './secret.js';

/** Lone UTF-16 surrogates, which UTF-8 (and so the secret id) turns into U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The exact `NAME.yaml` text pvsecret writes for an association or retrievable secret,
 * given the same `secret` passed to `createAddSecretRequest` (trailing newline included;
 * `pvsecret create … --stdout` prints it followed by one more newline).
 *
 * @example
 * ```ts
 * secretInfoYaml({ type: 'association', name: 'myConfidentialSecret' });
 * // '!Association\nname: myConfidentialSecret\nid: 0x3751487690cca3e4…\n'
 * ```
 * @throws InputError `ERR_INVALID_OPTION` for meta and update-CCK secrets (pvsecret
 *   writes no secret info for them), and every error `createAddSecretRequest` raises
 *   for the secret itself (`ERR_SECRET_NAME`, `ERR_SECRET_SIZE`, `ERR_SECRET_KEY_TYPE`, …)
 */
export function secretInfoYaml(secret: SecretSpec): string {
  if (typeof secret !== 'object' || secret === null || (secret.type !== 'association' && secret.type !== 'retrievable')) {
    const t = typeof secret === 'object' && secret !== null ? JSON.stringify(secret.type) : typeof secret;
    throw new InputError('ERR_INVALID_OPTION', `secret info: only association and retrievable secrets have one (got ${t})`);
  }
  // The value is encoded only to learn the retrievable type (size or curve), then wiped.
  const spec = secret.type === 'association' ? { ...secret, value: new Uint8Array(32) } : secret;
  const { header, value } = encodeGuestSecret(spec, portableBackend);
  zeroize(value);
  const name = secret.name.replace(LONE_SURROGATE, '\uFFFD');
  const lines: string[] = [secret.type === 'association' ? '!Association\n' : '!Retrievable\n'];
  let openEnded = false;
  const entry = (key: string, v: string) => {
    const y = yamlMappingValue(v);
    lines.push(`${key}:${y.text}${y.endsLine ? '' : '\n'}`);
    openEnded ||= y.openEnded;
  };
  if (secret.type === 'retrievable') entry('kind', `${header.type} (${secretTypeName(header.type)})`);
  entry('name', name);
  entry('id', `0x${toHex(header.id ?? new Uint8Array(32))}`);
  // libyaml closes a stream whose last block scalar kept trailing newlines (`|+`) with `...`.
  if (openEnded) lines.push('...\n');
  return lines.join('');
}

/** Unicode White_Space, as Rust's `char::is_whitespace` (differs from JavaScript's `\s`). */
const RUST_WHITESPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/gu;

/**
 * Where pvsecret writes the secret info: the name with every whitespace character
 * replaced by `_`, joined to `directory` (the directory of the request's output file;
 * empty for the current directory) as a path, then given the extension `yaml` the way
 * Rust's `Path::set_extension` does — it replaces an existing extension
 * (`my.key` → `my.yaml`, `v1.2.3` → `v1.2.yaml`) and keeps a leading-dot name whole
 * (`.hidden` → `.hidden.yaml`).
 *
 * @example
 * ```ts
 * secretInfoFileName('my secret');        // 'my_secret.yaml'
 * secretInfoFileName('key', 'out');       // 'out/key.yaml'
 * ```
 */
export function secretInfoFileName(name: string, directory = ''): string {
  const mapped = name.replace(RUST_WHITESPACE, '_');
  const path = mapped.startsWith('/') || directory === '' ? mapped : directory.endsWith('/') ? directory + mapped : `${directory}/${mapped}`;
  return setExtension(path, 'yaml');
}

/** Rust `PathBuf::set_extension` on a Unix path string. */
function setExtension(path: string, extension: string): string {
  // file_name(): the last normal component; `.` components are skipped, `..` has none.
  let end = path.length;
  for (;;) {
    while (end > 0 && path[end - 1] === '/') end--;
    const start = path.lastIndexOf('/', end - 1) + 1;
    const component = path.slice(start, end);
    if (component === '.' && start > 0) {
      end = start;
      continue;
    }
    if (component === '' || component === '.' || component === '..') return path;
    // file_stem(): up to the last dot, unless the only dot leads the name.
    const dot = component.lastIndexOf('.');
    const stemEnd = dot <= 0 ? end : start + dot;
    return `${path.slice(0, stemEnd)}.${extension}`;
  }
}
