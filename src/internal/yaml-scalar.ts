/**
 * One YAML scalar, written exactly as pvsecret's serde_yaml 0.9.34 (with
 * unsafe-libyaml 0.2.11) writes a string as the value of a block mapping.
 *
 * Two steps, as there:
 * 1. serde_yaml asks for a style: literal (`|`) when the string has a `\n`;
 *    single-quoted when the plain text would read back as something other than a string
 *    (null, bool, integer, float, or digits with a leading zero); otherwise "any".
 * 2. libyaml analyses the characters and may override it: plain → single-quoted →
 *    double-quoted, literal → double-quoted, when the style cannot hold the text.
 *
 * Written from the behaviour of those libraries; none of their code is used.
 *
 * @module
 */

const BREAKS = new Set(['\r', '\n', '\u0085', '\u2028', '\u2029']);
const isBreak = (c: string | undefined) => c !== undefined && BREAKS.has(c);
/** Blank, break, or the end of the string (libyaml's NUL terminator), or an embedded NUL. */
const isBlankZ = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || c === '\0' || isBreak(c);

/** libyaml's printable set (unsafe-libyaml also counts U+10000 and above). */
function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0) as number;
  if (cp === 0x0a || (cp >= 0x20 && cp <= 0x7e)) return true;
  if (cp >= 0xa0 && cp <= 0xd7ff) return true;
  if (cp >= 0xe000 && cp <= 0xfffd) return cp !== 0xfeff;
  return cp >= 0x10000;
}

// ---- step 1: what serde_yaml's resolver would read a plain scalar as ----------------

/** Rust `from_str_radix` for a `bits`-wide integer: one optional sign, then digits only. */
function fromStrRadix(s: string, radix: number, signed: boolean, bits: number): boolean {
  let body = s;
  let negative = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    if (s.startsWith('-')) {
      if (!signed) return false;
      negative = true;
    }
    body = s.slice(1);
  }
  if (body.length === 0) return false;
  const digit = /^[0-9a-zA-Z]$/;
  let value = 0n;
  for (const c of body) {
    if (!digit.test(c)) return false;
    const d = Number.parseInt(c, 36);
    if (d >= radix) return false;
    value = value * BigInt(radix) + BigInt(d);
  }
  const limit = signed ? 1n << BigInt(bits - 1) : 1n << BigInt(bits);
  return negative ? value <= limit : value < limit;
}

/** Leading zero followed only by digits ("0123", "-007"): a string in YAML 1.2. */
export function digitsButNotNumber(s: string): boolean {
  const t = s.startsWith('-') || s.startsWith('+') ? s.slice(1) : s;
  return t.length > 1 && t.startsWith('0') && /^[0-9]*$/.test(t.slice(1));
}

const RADIX_PREFIXES: readonly [string, number][] = [
  ['0x', 16],
  ['0o', 8],
  ['0b', 2],
];

function isUnsignedInt(s: string): boolean {
  const unpositive = s.startsWith('+') ? s.slice(1) : s;
  for (const [prefix, radix] of RADIX_PREFIXES) {
    if (!unpositive.startsWith(prefix)) continue;
    const rest = unpositive.slice(2);
    if (rest.startsWith('+') || rest.startsWith('-')) return false;
    if (fromStrRadix(rest, radix, false, 128)) return true;
  }
  if (unpositive.startsWith('+') || unpositive.startsWith('-')) return false;
  if (digitsButNotNumber(s)) return false;
  return fromStrRadix(unpositive, 10, false, 128);
}

function isNegativeInt(s: string): boolean {
  for (const [prefix, radix] of RADIX_PREFIXES) {
    if (s.startsWith(`-${prefix}`) && fromStrRadix(`-${s.slice(3)}`, radix, true, 128)) return true;
  }
  if (digitsButNotNumber(s)) return false;
  return fromStrRadix(s, 10, true, 128);
}

/** Rust `f64::from_str` accepting only finite values, plus YAML's `.inf` / `.nan` spellings. */
function isFloat(s: string): boolean {
  let unpositive = s;
  if (s.startsWith('+')) {
    unpositive = s.slice(1);
    if (unpositive.startsWith('+') || unpositive.startsWith('-')) return false;
  }
  if (['.inf', '.Inf', '.INF'].includes(unpositive)) return true;
  if (['-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN'].includes(s)) return true;
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(unpositive)) return false;
  return Number.isFinite(Number(unpositive));
}

/** True when serde_yaml asks for single quotes: the plain text would not read back as a string. */
export function needsQuotes(s: string): boolean {
  if (s === '' || ['~', 'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE'].includes(s)) return true;
  if (isUnsignedInt(s) || isNegativeInt(s)) return true;
  if (digitsButNotNumber(s)) return true;
  return isFloat(s);
}

// ---- step 2: libyaml's analysis and writers -------------------------------------------

interface Analysis {
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

function analyze(chars: readonly string[]): Analysis {
  if (chars.length === 0) return { blockPlain: true, singleQuoted: true, block: false };
  const text = chars.join('');
  let blockIndicators = text.startsWith('---') || text.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  const last = chars.length - 1;
  chars.forEach((c, i) => {
    const followedByWhitespace = isBlankZ(chars[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) blockIndicators = true;
    } else {
      if (c === ':' && followedByWhitespace) blockIndicators = true;
      if (c === '#' && precededByWhitespace) blockIndicators = true;
    }
    if (!isPrintable(c)) special = true;
    if (isBreak(c)) lineBreaks = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (i === last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankZ(c);
  });
  let blockPlain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || lineBreaks || blockIndicators);
  let singleQuoted = true;
  let block = !trailingSpace;
  if (breakSpace) blockPlain = singleQuoted = false;
  if (spaceBreak || special) blockPlain = singleQuoted = block = false;
  return { blockPlain, singleQuoted, block };
}

/** The indentation of a block-mapping value at the root: libyaml's best indent, 2. */
const INDENT = '  ';

function singleQuoted(chars: readonly string[]): string {
  let out = " '";
  let breaks = false;
  for (const c of chars) {
    if (isBreak(c)) {
      out += c; // only U+2028 / U+2029 get here (others force another style)
      breaks = true;
      continue;
    }
    if (breaks && c !== ' ') out += INDENT;
    if (c === "'") out += "'";
    out += c;
    breaks = false;
  }
  return `${out}${breaks ? INDENT : ''}'`;
}

const ESCAPES: Record<number, string> = {
  0: '0',
  7: 'a',
  8: 'b',
  9: 't',
  10: 'n',
  11: 'v',
  12: 'f',
  13: 'r',
  27: 'e',
  34: '"',
  92: '\\',
  133: 'N',
  160: '_',
  8232: 'L',
  8233: 'P',
};

function doubleQuoted(chars: readonly string[]): string {
  let out = ' "';
  for (const c of chars) {
    const cp = c.codePointAt(0) as number;
    if (!isPrintable(c) || cp === 0xfeff || isBreak(c) || c === '"' || c === '\\') {
      const esc = ESCAPES[cp];
      if (esc !== undefined) out += `\\${esc}`;
      else if (cp <= 0xff) out += `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`;
      else if (cp <= 0xffff) out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
      else out += `\\U${cp.toString(16).toUpperCase().padStart(8, '0')}`;
    } else {
      out += c;
    }
  }
  return `${out}"`;
}

function literal(chars: readonly string[]): { text: string; keep: boolean } {
  let out = ' |';
  if (chars[0] === ' ' || isBreak(chars[0])) out += '2';
  const last = chars.at(-1);
  let keep = false;
  if (!isBreak(last)) out += '-';
  else if (chars.length === 1 || isBreak(chars.at(-2))) {
    out += '+';
    keep = true;
  }
  out += '\n';
  let breaks = true;
  for (const c of chars) {
    if (isBreak(c)) {
      out += c;
      breaks = true;
    } else {
      if (breaks) out += INDENT;
      out += c;
      breaks = false;
    }
  }
  return { text: out, keep };
}

/** A scalar written after `key:`. */
export interface YamlValue {
  /** The text after the colon, starting with its separating space. */
  readonly text: string;
  /** True when the text already ends at the start of a new line (a literal ending in a break). */
  readonly endsLine: boolean;
  /** True after a keep-chomped literal (`|+`): libyaml then ends the stream with `...`. */
  readonly openEnded: boolean;
}

/** The style serde_yaml asks libyaml for: literal with a `\n`, single-quoted when needed, else any. */
export type RequestedStyle = 'any' | 'single' | 'literal';

export function serdeRequestedStyle(value: string): RequestedStyle {
  return value.includes('\n') ? 'literal' : needsQuotes(value) ? 'single' : 'any';
}

/**
 * Writes `value` as the value of a root block-mapping entry, like serde_yaml + libyaml.
 * `requested` is for tests of the libyaml half; it defaults to serde_yaml's choice.
 */
export function yamlMappingValue(value: string, requested: RequestedStyle = serdeRequestedStyle(value)): YamlValue {
  const chars = [...value];
  const a = analyze(chars);
  let style: 'plain' | 'single' | 'double' | 'literal';
  if (requested === 'literal') style = a.block ? 'literal' : 'double';
  else if (requested === 'single') style = a.singleQuoted ? 'single' : 'double';
  else style = a.blockPlain ? 'plain' : a.singleQuoted ? 'single' : 'double';
  switch (style) {
    case 'plain':
      return { text: value.length === 0 ? '' : ` ${value}`, endsLine: false, openEnded: false };
    case 'single':
      return { text: singleQuoted(chars), endsLine: false, openEnded: false };
    case 'double':
      return { text: doubleQuoted(chars), endsLine: false, openEnded: false };
    default: {
      const { text, keep } = literal(chars);
      return { text, endsLine: isBreak(chars.at(-1)), openEnded: keep };
    }
  }
}
