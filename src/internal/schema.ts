/**
 * The checks of documents a user writes by hand — association plans and batch files,
 * read with the failsafe schema (`yaml-read.ts`: every scalar arrives as text). One
 * copy for both: each check names the key path it failed at, and every failure is an
 * `InputError` with the document's own code and prefix (`plan: …`, `batch: …`).
 *
 * @module
 */
import { type ErrorCode, InputError } from '../errors.js';

/** A mapping as parsed, not yet checked. */
export type Fields = Record<string, unknown>;

/** The keys of {@link SchemaReader.verification}, for a document's list of known keys. */
export const VERIFICATION_KEYS = ['noVerify', 'certificates', 'crls', 'rootCa', 'offline'] as const;

/** Chain-of-trust paths as written (`certificates`, `crls`, `rootCa`, `offline`), or `false` for `noVerify: true`. */
export type VerificationPaths =
  | false
  | { readonly certificates: readonly string[]; readonly crls: readonly string[]; readonly rootCa?: string; readonly offline: boolean };

/** The checks of one kind of document. */
export class SchemaReader {
  private readonly code: ErrorCode;
  private readonly area: string;

  /** `area` starts every message (`"plan"` → `plan: hdr: expected a non-empty string`). */
  constructor(code: ErrorCode, area: string) {
    this.code = code;
    this.area = area;
  }

  fail(message: string): never {
    throw new InputError(this.code, `${this.area}: ${message}`);
  }

  /** `v` as a mapping; `expected` says what one should hold; `where` is empty at the top. */
  mapping(v: unknown, where: string, expected = 'a mapping'): Fields {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(`${where ? `${where}: ` : ''}expected ${expected}`);
    return v as Fields;
  }

  /** Refuses keys not in `keys`; `where` is empty at the top of the document. */
  known(obj: object, keys: readonly string[], where: string): void {
    for (const k of Object.keys(obj)) {
      if (!keys.includes(k)) this.fail(`${where ? `${where}: ` : ''}unknown key ${JSON.stringify(k)} (known: ${keys.join(', ')})`);
    }
  }

  str(v: unknown, where: string): string {
    if (typeof v !== 'string' || v.length === 0) this.fail(`${where}: expected a non-empty string`);
    return v;
  }

  /** A string, or undefined when the key is absent or empty (`key:` with no value). */
  optStr(v: unknown, where: string): string | undefined {
    return v === undefined || v === null ? undefined : this.str(v, where);
  }

  /** A list of strings with at least `min` entries; one string alone is a list of one. */
  list(v: unknown, where: string, min = 0): string[] {
    const l = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(l)) this.fail(`${where}: expected a list`);
    if (l.length < min) this.fail(`${where}: expected at least ${min} entr${min === 1 ? 'y' : 'ies'}`);
    return l.map((x, i) => this.str(x, `${where}[${i}]`));
  }

  /** `true`/`false` (as text, or as JSON booleans); undefined when absent. */
  bool(v: unknown, where: string): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    return this.fail(`${where}: expected true or false`);
  }

  /**
   * The chain of trust as written: `noVerify: true`, or `certificates` (required) with
   * optional `crls`, `rootCa` and `offline`; the two ways exclude each other.
   */
  verification(e: Fields, where: string): VerificationPaths {
    const at = (key: string) => (where ? `${where}.${key}` : key);
    const noVerify = this.bool(e.noVerify, at('noVerify'));
    const offline = this.bool(e.offline, at('offline'));
    const chainGiven = e.certificates !== undefined || e.crls !== undefined || e.rootCa !== undefined || offline !== undefined;
    if (noVerify) {
      if (chainGiven) this.fail(`${where ? `${where}: ` : ''}noVerify: true excludes certificates, crls, rootCa and offline`);
      return false;
    }
    if (e.certificates === undefined) {
      this.fail(`${at('certificates')}: required unless noVerify: true (the IBM Z signing key and intermediate CA that verify the host-key documents)`);
    }
    const rootCa = this.optStr(e.rootCa, at('rootCa'));
    return {
      certificates: this.list(e.certificates, at('certificates'), 1),
      crls: e.crls === undefined ? [] : this.list(e.crls, at('crls')),
      ...(rootCa ? { rootCa } : {}),
      offline: offline === true,
    };
  }
}
