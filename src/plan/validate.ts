/**
 * The association plan as the user writes it, and the rules it must follow before
 * anything is read or built.
 *
 * The rules come from the guest side (see docs/plan.md): at most 12 AP queues per SE
 * guest; only EP11 and accelerator queues (no CCA); EP11 queues need their master-key
 * verification pattern (`mkvp`) and get their own association secret; accelerator
 * queues are only bound. pvapconfig's own checks (s390-tools `rust/pvapconfig/src/config.rs`)
 * are applied here too, so the generated pvapconfig.yaml is accepted on the guest.
 *
 * @module
 */
import { SchemaReader, VERIFICATION_KEYS } from '../internal/schema.js';
import { secretId } from '../request/secret-id.js';
import { type HostMatrix, hostMatrix, mdevUuidFor, parseUuid } from './host-matrix.js';
import { checkPvapconfigRules } from './pvapconfig-rules.js';

export type { HostMatrix } from './host-matrix.js';

/** One AP queue of a plan, as written in the plan file. */
export interface PlanQueue {
  /** `adapter.domain` in hex: two digits, a dot, four digits (e.g. `16.001e`). */
  readonly apqn: string;
  /** `EP11` or `Accel` (any case). */
  readonly mode: string;
  /** Master-key verification pattern, 32 or 64 hex digits (optional `0x`); required for EP11. */
  readonly mkvp?: string;
  /** Crypto Express card serial number, 16 non-blank characters (EP11 only). */
  readonly serialnr?: string;
  /** Minimal card generation: `CEX8` for EP11, `CEX4`..`CEX8` for Accel. */
  readonly mingen?: string;
  /** Association secret name; default `<guest>-<apqn>`. */
  readonly name?: string;
}

/**
 * An association plan (`se-secrets plan PLAN.yaml`). Paths are relative to the plan
 * file (or to `baseDir`).
 */
export interface AssociationPlan {
  /** The guest's name, used in default secret names and messages. */
  readonly guest: string;
  /** The guest's SE image or extracted SE header. */
  readonly hdr: string;
  /** Host-key documents of the hosts the guest may run on. */
  readonly hostKeyDocuments: readonly string[];
  /** Build on unverified host keys (pvsecret `--no-verify`). Excludes the four below. */
  readonly noVerify?: boolean | string;
  /** IBM Z signing key and intermediate CA certificates. */
  readonly certificates?: readonly string[];
  readonly crls?: readonly string[];
  readonly rootCa?: string;
  readonly offline?: boolean | string;
  /**
   * `false`: the guest binds and associates with chzcrypt only — no pvapconfig.yaml, and
   * pvapconfig's own rules (one MKVP per EP11 adapter) only warn. Default `true`.
   */
  readonly pvapconfig?: boolean | string;
  /** KVM host: control domains of the mediated device, hex (`1e`, `0x1e`, `001e`); default: the planned domains. */
  readonly controlDomains?: readonly string[];
  /** KVM host: the mediated device's UUID; default: derived from the guest name. */
  readonly mdevUuid?: string;
  readonly queues: readonly PlanQueue[];
}

/** Most AP queues one SE guest may use. */
export const MAX_PLAN_QUEUES = 12;

/** A checked queue with everything derived from it. */
export interface NormalizedQueue {
  /** Lowercase `aa.dddd`, as lszcrypt and chzcrypt print it. */
  readonly apqn: string;
  readonly adapter: number;
  readonly domain: number;
  readonly mode: 'EP11' | 'Accel';
  /** Lowercase hex without `0x` (EP11 only). */
  readonly mkvp?: string;
  readonly serialnr?: string;
  /** Uppercase, e.g. `CEX8`. */
  readonly mingen?: string;
  readonly name: string;
  /** SHA-256 of the name (EP11 only): the secret id pvsecret list shows. */
  readonly secretId?: Uint8Array;
}

/** A checked plan. */
export interface NormalizedPlan {
  readonly guest: string;
  readonly hdr: string;
  readonly hostKeyDocuments: readonly string[];
  readonly verify: false | { readonly certificates: readonly string[]; readonly crls: readonly string[]; readonly rootCa?: string; readonly offline: boolean };
  readonly queues: readonly NormalizedQueue[];
  /** False when the plan said `pvapconfig: false`. */
  readonly pvapconfig: boolean;
  /** The KVM host's side: the AP matrix of the guest's mediated device. */
  readonly host: HostMatrix;
  /** Things that are allowed but probably not meant. */
  readonly warnings: readonly string[];
}

const PLAN_KEYS = ['guest', 'hdr', 'hostKeyDocuments', ...VERIFICATION_KEYS, 'pvapconfig', 'controlDomains', 'mdevUuid', 'queues'];
const QUEUE_KEYS = ['apqn', 'mode', 'mkvp', 'serialnr', 'mingen', 'name'];
const APQN_RE = /^([0-9a-fA-F]{2})\.([0-9a-fA-F]{4})$/;
/** AP queue indexes (domains) are 8 bits wide: 256 domains per adapter at most. */
const MAX_DOMAIN = 0xff;
const MKVP_RE = /^(?:0x)?([0-9a-f]{32}|[0-9a-f]{64})$/;
/** Card serial numbers are printable ASCII; pvapconfig wants 16 non-blank characters. */
const SERIALNR_RE = /^[!-~]{16}$/;
const EP11_MINGEN = ['CEX8'];
const ACCEL_MINGEN = ['CEX4', 'CEX5', 'CEX6', 'CEX7', 'CEX8'];
/**
 * What a name must not hold: C0 and C1 control characters (U+0085 NEL among them) and
 * the line and paragraph separators U+2028, U+2029 — libyaml (pvapconfig's YAML reader)
 * breaks lines at U+0085, U+2028 and U+2029, so such a name would not read back as written.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse
const UNSAFE_NAME_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const schema = new SchemaReader('ERR_PLAN', 'plan');
function fail(message: string): never {
  return schema.fail(message);
}
const str = (v: unknown, where: string) => schema.str(v, where);
const optStr = (v: unknown, where: string) => schema.optStr(v, where);

const q = (s: string) => JSON.stringify(s);

const codePoint = (c: string) => `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;

/** A name that reads the same on the guest: no control characters or line breaks, no outer blanks (pvapconfig trims). */
function checkName(v: string, where: string): string {
  const bad = UNSAFE_NAME_RE.exec(v)?.[0];
  if (bad !== undefined) {
    fail(
      `${where}: must not contain control characters or line separators (found ${codePoint(bad)}; YAML readers such as libyaml break lines at U+0085, U+2028 and U+2029)`,
    );
  }
  if (v.trim() !== v) fail(`${where}: must not start or end with whitespace (pvapconfig trims names, and the secret id would no longer match)`);
  return v;
}

/**
 * Parses an APQN written `adapter.domain` in hex (`16.001e`: two digits, a dot, four
 * digits, any case, no `0x`). Returns undefined when malformed or out of range.
 *
 * @example
 * ```ts
 * parseApqn('16.001E') // { apqn: '16.001e', adapter: 22, domain: 30 }
 * parseApqn('16.1e')   // undefined
 * ```
 */
export function parseApqn(s: string): { apqn: string; adapter: number; domain: number } | undefined {
  const m = typeof s === 'string' ? APQN_RE.exec(s) : null;
  if (!m) return undefined;
  const adapter = Number.parseInt(m[1] as string, 16);
  const domain = Number.parseInt(m[2] as string, 16);
  if (domain > MAX_DOMAIN) return undefined;
  return { apqn: s.toLowerCase(), adapter, domain };
}

function checkQueue(raw: unknown, i: number, guest: string, warnings: string[]): NormalizedQueue {
  const where = `queues[${i}]`;
  const r = schema.mapping(raw, where, 'a mapping with apqn and mode');
  schema.known(r, QUEUE_KEYS, where);
  const apqnText = str(r.apqn, `${where}.apqn`);
  const parsed = parseApqn(apqnText);
  if (!parsed) {
    fail(`${where}.apqn: malformed APQN ${q(apqnText)} (expected adapter.domain in hex: two digits, a dot, four digits up to 00ff, e.g. 16.001e)`);
  }
  const modeText = str(r.mode, `${where}.mode`);
  const mode = modeText.toLowerCase() === 'ep11' ? 'EP11' : modeText.toLowerCase() === 'accel' ? 'Accel' : undefined;
  if (!mode) fail(`${where}.mode: ${q(modeText)} is not supported (expected EP11 or Accel; SE guests cannot use CCA queues)`);
  const name = checkName(optStr(r.name, `${where}.name`) ?? `${guest}-${parsed.apqn}`, `${where}.name`);
  const mkvpText = optStr(r.mkvp, `${where}.mkvp`);
  const serialnr = optStr(r.serialnr, `${where}.serialnr`);
  const mingenText = optStr(r.mingen, `${where}.mingen`);
  const mingen = mingenText?.toUpperCase();
  const allowed = mode === 'EP11' ? EP11_MINGEN : ACCEL_MINGEN;
  if (mingen !== undefined && !allowed.includes(mingen)) {
    fail(`${where}.mingen: ${q(mingenText as string)} is not valid for ${mode} queues (expected ${allowed.join(', ')})`);
  }
  if (mode === 'Accel') {
    if (mkvpText !== undefined) warnings.push(`${where} (${parsed.apqn}): mkvp is ignored for accelerator queues`);
    if (serialnr !== undefined) warnings.push(`${where} (${parsed.apqn}): serialnr is ignored for accelerator queues`);
    return { ...parsed, mode, name, ...(mingen ? { mingen } : {}) };
  }
  if (mkvpText === undefined) fail(`${where}.mkvp: required for EP11 queues (the master-key verification pattern of the EP11 domain, 32 hex digits)`);
  const mkvp = MKVP_RE.exec(mkvpText.toLowerCase())?.[1];
  if (!mkvp) fail(`${where}.mkvp: ${q(mkvpText)} is not 32 or 64 hex digits (optionally with 0x)`);
  if (serialnr !== undefined && !SERIALNR_RE.test(serialnr)) fail(`${where}.serialnr: ${q(serialnr)} is not 16 non-blank ASCII characters`);
  return { ...parsed, mode, name, mkvp, ...(serialnr ? { serialnr } : {}), ...(mingen ? { mingen } : {}), secretId: secretId(name) };
}

/** Cross-queue rules: no duplicates, no shared names, one mode and one card per adapter. */
function checkTogether(queues: readonly NormalizedQueue[]): void {
  for (const [j, b] of queues.entries()) {
    for (const [i, a] of queues.slice(0, j).entries()) {
      if (a.apqn === b.apqn) fail(`queues[${j}]: APQN ${b.apqn} is listed twice (also queues[${i}])`);
      if (a.name === b.name) fail(`queues[${j}].name: ${q(b.name)} is also the name of queues[${i}] (each queue needs its own association secret)`);
      if (a.adapter === b.adapter && a.mode !== b.mode) {
        fail(`queues[${j}]: adapter ${b.apqn.slice(0, 2)} is ${a.mode} in queues[${i}] but ${b.mode} here (an adapter runs all its domains in one mode)`);
      }
      if (a.adapter === b.adapter && a.serialnr && b.serialnr && a.serialnr !== b.serialnr) {
        fail(`queues[${j}].serialnr: adapter ${b.apqn.slice(0, 2)} has serial number ${q(a.serialnr)} in queues[${i}] (one adapter is one card)`);
      }
    }
  }
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');
const hex4 = (n: number) => n.toString(16).padStart(4, '0');
const DOMAIN_RE = /^(?:0x)?([0-9a-f]{1,4})$/;

/** The KVM host's matrix: control domains and the mediated device's UUID. */
function checkHost(plan: AssociationPlan, guest: string, queues: readonly NormalizedQueue[]): HostMatrix {
  let controlDomains: number[] | undefined;
  if (plan.controlDomains !== undefined) {
    const list = plan.controlDomains;
    if (!Array.isArray(list) || list.length === 0) fail('controlDomains: expected a list of domain numbers in hex');
    controlDomains = list.map((x, i) => {
      const text = str(x, `controlDomains[${i}]`);
      const m = DOMAIN_RE.exec(text.toLowerCase());
      const n = m ? Number.parseInt(m[1] as string, 16) : Number.NaN;
      if (!(n <= MAX_DOMAIN)) fail(`controlDomains[${i}]: ${q(text)} is not a domain number in hex (e.g. 1e, 0x1e or 001e; at most ff)`);
      return n;
    });
  }
  const uuidText = optStr(plan.mdevUuid, 'mdevUuid');
  const mdevUuid = uuidText === undefined ? mdevUuidFor(guest) : parseUuid(uuidText);
  if (mdevUuid === undefined) fail(`mdevUuid: ${q(uuidText as string)} is not a UUID (8-4-4-4-12 hex digits)`);
  return hostMatrix(queues, controlDomains, mdevUuid);
}

/**
 * Checks a plan and derives names and ids. Reads nothing.
 *
 * @throws InputError `ERR_PLAN` naming the key and the rule broken
 */
export function validatePlan(plan: AssociationPlan): NormalizedPlan {
  const fields = schema.mapping(plan, '', 'a mapping with guest, hdr, hostKeyDocuments and queues');
  schema.known(fields, PLAN_KEYS, '');
  const guest = checkName(str(plan.guest, 'guest'), 'guest');
  const hdr = str(plan.hdr, 'hdr');
  const hostKeyDocuments = schema.list(plan.hostKeyDocuments, 'hostKeyDocuments', 1);
  const verify: NormalizedPlan['verify'] = schema.verification(fields, '');

  if (!Array.isArray(plan.queues) || plan.queues.length === 0) fail(`queues: expected a list of 1 to ${MAX_PLAN_QUEUES} AP queues`);
  if (plan.queues.length > MAX_PLAN_QUEUES) {
    fail(`queues: ${plan.queues.length} AP queues listed; an SE guest can use at most ${MAX_PLAN_QUEUES}`);
  }
  const warnings: string[] = [];
  const queues = plan.queues.map((raw, i) => checkQueue(raw, i, guest, warnings));
  checkTogether(queues);
  const pvapconfig = schema.bool(plan.pvapconfig, 'pvapconfig') !== false;
  warnings.push(...checkPvapconfigRules(queues, pvapconfig));
  const host = checkHost(plan, guest, queues);
  if (host.extraQueues.length > 0) {
    warnings.push(
      `the AP matrix of adapters ${host.adapters.map(hex2).join(', ')} × domains ${host.domains.map(hex4).join(', ')} also gives the guest ${host.extraQueues.join(', ')}, which the plan does not list (the KVM host assigns whole adapters and domains)`,
    );
  }
  if (verify === false) warnings.push('host-key verification is disabled (noVerify: true); the secrets may not be protected');
  return { guest, hdr, hostKeyDocuments, verify, queues, pvapconfig, host, warnings };
}
