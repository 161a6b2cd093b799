/**
 * How pvsecret's YAML writer (serde_yaml 0.9.34 over libyaml, unlimited width,
 * unicode on) prints a string as the value of a top-level mapping key. Needed to
 * write `NAME.yaml` byte for byte as pvsecret does, whatever the name.
 *
 * Two steps, as in the reference:
 * 1. serde_yaml asks for single quotes when the text would read back as something
 *    other than a string (null, bool, integer, float, or digits with a leading
 *    zero), and for a literal block when it contains `\n`;
 * 2. libyaml analyses the text and falls back to single quotes when a plain scalar
 *    is not allowed, and to double quotes when single quotes or a literal block are
 *    not allowed (control characters, a space next to a line break, ...).
 *
 * Sources (read, not copied): serde_yaml `src/ser.rs` (`serialize_str`), `src/de.rs`
 * (`visit_untagged_scalar` and the parse helpers); libyaml `emitter.c`
 * (`yaml_emitter_analyze_scalar`, `yaml_emitter_select_scalar_style`, the writers).
 *
 * @module
 */

const isBreak = (c: number) => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBlank = (c: number | undefined) => c === 0x20 || c === 0x09;
/** libyaml's blank-or-break-or-end test (`IS_BLANKZ`). */
const isBlankZ = (c: number | undefined) => c === undefined || c === 0 || isBlank(c) || isBreak(c);
/** libyaml's `IS_PRINTABLE`, by code point. */
function isPrintable(c: number): boolean {
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

// ---- step 1: serde_yaml's choice ------------------------------------------------

const U128_MAX = (1n << 128n) - 1n;
const I128_MIN = -(1n << 127n);

function digitsButNotNumber(s: string): boolean {
  const t = s.startsWith('-') || s.startsWith('+') ? s.slice(1) : s;
  return t.length > 1 && t.startsWith('0') && /^[0-9]+$/.test(t.slice(1));
}

/** Rust `from_str_radix`: optional sign (only `+` when unsigned), then at least one digit. */
function fromStrRadix(s: string, radix: 2 | 8 | 10 | 16, signed: boolean): bigint | undefined {
  let sign = 1n;
  let t = s;
  if (t.startsWith('+')) t = t.slice(1);
  else if (signed && t.startsWith('-')) {
    sign = -1n;
    t = t.slice(1);
  }
  const digits = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[radix];
  if (!digits.test(t)) return undefined;
  const prefix = { 2: '0b', 8: '0o', 10: '', 16: '0x' }[radix];
  const v = sign * BigInt(`${prefix}${t}`);
  return signed ? (v >= I128_MIN && v < -I128_MIN ? v : undefined) : v <= U128_MAX ? v : undefined;
}

const RADIX = [['0x', 16], ['0o', 8], ['0b', 2]] as const;

function isUnsignedInt(s: string): boolean {
  const unpositive = s.startsWith('+') ? s.slice(1) : s;
  for (const [p, radix] of RADIX) {
    if (!unpositive.startsWith(p)) continue;
    const rest = unpositive.slice(2);
    if (rest.startsWith('+') || rest.startsWith('-')) return false;
    if (fromStrRadix(rest, radix, false) !== undefined) return true;
  }
  if (unpositive.startsWith('+') || unpositive.startsWith('-') || digitsButNotNumber(s)) return false;
  return fromStrRadix(unpositive, 10, false) !== undefined;
}

function isNegativeInt(s: string): boolean {
  for (const [p, radix] of RADIX) {
    if (s.startsWith(`-${p}`) && fromStrRadix(`-${s.slice(3)}`, radix, true) !== undefined) return true;
  }
  if (digitsButNotNumber(s)) return false;
  return fromStrRadix(s, 10, true) !== undefined;
}

function isFloat(s: string): boolean {
  let t = s;
  if (t.startsWith('+')) {
    t = t.slice(1);
    if (t.startsWith('+') || t.startsWith('-')) return false;
  }
  if (['.inf', '.Inf', '.INF'].includes(t) || ['-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN'].includes(s)) return true;
  if (!/^[+-]?([0-9]+|[0-9]+\.[0-9]*|[0-9]*\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t)) return false;
  return Number.isFinite(Number(t));
}

type Style = 'plain' | 'single' | 'double' | 'literal';

export function serdeStyle(s: string): 'any' | 'single' | 'literal' {
  if (s.includes('\n')) return 'literal';
  if (s === '' || ['null', 'Null', 'NULL', '~', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE'].includes(s)) return 'single';
  if (isUnsignedInt(s) || isNegativeInt(s)) return 'single';
  if (!digitsButNotNumber(s) && isFloat(s)) return 'single';
  return digitsButNotNumber(s) ? 'single' : 'any';
}

// ---- step 2: libyaml's analysis and choice -----------------------------------------

function analyze(cps: readonly number[]): { blockPlain: boolean; single: boolean; block: boolean } {
  if (cps.length === 0) return { blockPlain: true, single: true, block: false };
  const text = String.fromCodePoint(...cps.slice(0, 3));
  let blockIndicators = text === '---' || text === '...';
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let prevSpace = false;
  let prevBreak = false;
  let precededByWs = true;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i] as number;
    const followedByWs = isBlankZ(cps[i + 1]);
    const ch = String.fromCodePoint(c);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      if ((ch === '?' || ch === ':') && followedByWs) blockIndicators = true;
      if (ch === '-' && followedByWs) blockIndicators = true;
    } else {
      if (ch === ':' && followedByWs) blockIndicators = true;
      if (ch === '#' && precededByWs) blockIndicators = true;
    }
    if (!isPrintable(c)) special = true;
    if (isBreak(c)) lineBreaks = true;
    const last = i === cps.length - 1;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (last) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (last) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = isBlankZ(c);
  }
  const blockPlain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || breakSpace || spaceBreak || special || lineBreaks || blockIndicators);
  return {
    blockPlain,
    single: !(breakSpace || spaceBreak || special),
    block: !(trailingSpace || spaceBreak || special),
  };
}

function chooseStyle(s: string, cps: readonly number[]): Style {
  const wanted = serdeStyle(s);
  const a = analyze(cps);
  let style: Style = wanted === 'any' ? 'plain' : wanted;
  if (style === 'plain' && !a.blockPlain) style = 'single';
  if (style === 'single' && !a.single) style = 'double';
  if (style === 'literal' && !a.block) style = 'double';
  return style;
}

// ---- the writers ------------------------------------------------------------------

const ESCAPES: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
  0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

/** A libyaml emitter reduced to what a block-mapping value needs. */
class Emitter {
  out = '';
  column = 0;
  whitespace = false;
  indention = false;
  openEnded = false;
  constructor(readonly indent: number) {}
  put(s: string): void {
    this.out += s;
    this.column += 1;
  }
  putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }
  writeBreak(c: number): void {
    if (c === 0x0a) this.putBreak();
    else {
      this.out += String.fromCodePoint(c);
      this.column = 0;
    }
  }
  writeIndent(indent = this.indent): void {
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }
  indicator(s: string, needWhitespace: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.out += s;
    this.column += s.length;
    this.whitespace = false;
    this.indention = false;
  }
  /** Plain and single-quoted text share one loop; `quote` doubles single quotes. */
  flowText(cps: readonly number[], quote: boolean): void {
    let breaks = false;
    for (const c of cps) {
      if (c === 0x20) this.put(' ');
      else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (quote && c === 0x27) this.put("'");
        this.put(String.fromCodePoint(c));
        this.indention = false;
        breaks = false;
      }
    }
    if (quote && breaks) this.writeIndent();
  }
  plain(cps: readonly number[]): void {
    if (!this.whitespace && cps.length !== 0) this.put(' ');
    this.flowText(cps, false);
    this.whitespace = false;
    this.indention = false;
  }
  single(cps: readonly number[]): void {
    this.indicator("'", true);
    this.flowText(cps, true);
    this.indicator("'", false);
  }
  double(cps: readonly number[]): void {
    this.indicator('"', true);
    for (const c of cps) {
      if (!isPrintable(c) || c === 0xfeff || isBreak(c) || c === 0x22 || c === 0x5c) {
        const e = ESCAPES[c];
        if (e !== undefined) this.out += `\\${e}`;
        else if (c <= 0xff) this.out += `\\x${c.toString(16).toUpperCase().padStart(2, '0')}`;
        else if (c <= 0xffff) this.out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
        else this.out += `\\U${c.toString(16).toUpperCase().padStart(8, '0')}`;
      } else this.put(String.fromCodePoint(c));
    }
    this.indicator('"', false);
  }
  literal(cps: readonly number[]): void {
    this.indicator('|', true);
    const first = cps[0];
    if (first !== undefined && (first === 0x20 || isBreak(first))) this.indicator('2', false);
    const last = cps[cps.length - 1];
    const beforeLast = cps[cps.length - 2];
    if (last === undefined || !isBreak(last)) this.indicator('-', false);
    else if (beforeLast === undefined || isBreak(beforeLast)) {
      this.indicator('+', false);
      this.openEnded = true;
    }
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of cps) {
      if (isBreak(c)) {
        this.writeBreak(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(String.fromCodePoint(c));
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/**
 * The lines `key: value` … for a top-level block mapping with string values, with the
 * document's final line break and, where libyaml adds it, the `...` end marker.
 */
export function yamlMappingLines(entries: readonly (readonly [string, string])[]): string {
  const e = new Emitter(2);
  e.indention = true;
  e.whitespace = true;
  for (const [key, value] of entries) {
    e.writeIndent(0);
    e.out += key;
    e.column += key.length;
    e.indention = false;
    e.indicator(':', false);
    const cps = Array.from(value, (ch) => ch.codePointAt(0) as number);
    const style = chooseStyle(value, cps);
    if (style === 'plain') e.plain(cps);
    else if (style === 'single') e.single(cps);
    else if (style === 'double') e.double(cps);
    else e.literal(cps);
  }
  e.writeIndent(0);
  if (e.openEnded) {
    e.indicator('...', true);
    e.writeIndent(0);
  }
  return e.out;
}
