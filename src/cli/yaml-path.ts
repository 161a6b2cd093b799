/**
 * Where pvsecret puts `NAME.yaml`: the name with every whitespace character mapped
 * to `_`, joined to the parent directory of `-o` as a path, then given the extension
 * `yaml` the way Rust's `PathBuf::set_extension` does it (an existing extension is
 * replaced: `my.key` → `my.yaml`). POSIX path rules; on Windows a `\` in `-o` also
 * separates directories. Source: s390-tools `rust/pvsecret/src/cmd/create.rs`
 * (`write_yaml`) and Rust std `Path`.
 *
 * @module
 */
import { CliError } from './errors.js';

/** Rust `char::is_whitespace` (Unicode White_Space). */
const WHITESPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/gu;

/** Components as Rust's `Path::components` yields them ('.' only at the start of a relative path). */
function components(p: string): { absolute: boolean; parts: string[] } {
  const absolute = p.startsWith('/');
  const parts = p.split('/').filter((c, i) => c !== '' && (c !== '.' || (i === 0 && !absolute)));
  return { absolute, parts };
}

/** Rust `Path::parent`; undefined for `/` and the empty path. */
export function rustParent(p: string): string | undefined {
  const { absolute, parts } = components(p);
  if (parts.length === 0) return undefined;
  const rest = parts.slice(0, -1).join('/');
  return absolute ? `/${rest}` : rest;
}

/** Rust `PathBuf::push`. */
function push(dir: string, name: string): string {
  if (name.startsWith('/')) return name;
  if (dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** Rust `PathBuf::set_extension(ext)`; the path is unchanged when it has no file name. */
function setExtension(p: string, ext: string): string {
  let end = p.length;
  // Trailing separators and '.' components are not part of the file name.
  for (;;) {
    if (end > 0 && p[end - 1] === '/') end--;
    else if (end > 1 && p[end - 1] === '.' && p[end - 2] === '/') end -= 2;
    else break;
  }
  const start = p.lastIndexOf('/', end - 1) + 1;
  const name = p.slice(start, end);
  if (name === '' || name === '..' || (name === '.' && start === 0)) return p;
  const dot = name.lastIndexOf('.');
  const stemEnd = dot > 0 ? start + dot : end;
  return `${p.slice(0, stemEnd)}.${ext}`;
}

/**
 * The path of `NAME.yaml` for a request written to `output`.
 *
 * @throws CliError `ERR_VALUE` when `output` has no parent directory (`/`, empty)
 */
export function secretInfoPath(name: string, output: string, platform: string = process.platform): string {
  // pvsecret runs on Linux only; on Windows a backslash in -o separates directories too.
  const dir = rustParent(platform === 'win32' ? output.replace(/\\/g, '/') : output);
  if (dir === undefined) throw new CliError('ERR_VALUE', `cannot place NAME.yaml: '${output}' has no parent directory`);
  return setExtension(push(dir, name.replace(WHITESPACE, '_')), 'yaml');
}
