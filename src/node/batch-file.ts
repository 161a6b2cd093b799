/**
 * Batch files for `se-secrets create --batch FILE` (Node only): a YAML or JSON list of
 * requests to build, for one or more guests. Paths are relative to the batch file.
 *
 * ```yaml
 * defaults:                      # optional; merged under every request
 *   hostKeyDocuments: [HKD-8561-0123456.crt]
 *   certificates: [ibm-z-host-key-signing-gen2.crt, DigiCertCA.crt]
 *   crls: [ibm-z-host-key-gen2.crl]
 * requests:                      # or the list alone, without defaults
 *   - output: out/guest1-meta.bin
 *     hdr: guest1.hdr
 *     secret: { type: meta }
 *     flags: [disable-dump]
 *   - output: out/guest2-assoc.bin
 *     hdr: guest2-se.img
 *     secret: { type: association, name: guest2-16.001e, outputSecret: secrets/guest2.bin }
 * ```
 *
 * Entry keys: `output`, `hdr`, `hostKeyDocuments`, `noVerify` | `certificates`, `crls`,
 * `rootCa`, `offline`; `secret` (`{ type: meta }` or `{ type: association, name,
 * inputSecret?, outputSecret?, useName? }`); `flags` (`disable-dump`); `cuid` (`0x` + 32
 * hex digits); `extensionSecret` or `cck` (32-byte files); `strictHostMatch`.
 *
 * @module
 */
import { dirname, resolve } from 'node:path';
import { firstHostKeyCertificate } from '../certs/inputs.js';
import { nodeBackend } from '../crypto/node.js';
import { InputError } from '../errors.js';
import { type Fields, SchemaReader, VERIFICATION_KEYS } from '../internal/schema.js';
import type { SeHeader } from '../header/se-header.js';
import { parseCuidText } from '../request/cuid.js';
import { parseTextData } from '../plan/parse.js';
import type { BatchItem } from '../request/batch.js';
import type { ExtensionSecretOption } from '../request/ext-secret.js';
import { ASSOCIATION_SECRET_SIZE, type SecretSpec } from '../request/guest-secret.js';
import type { HostKeyVerification } from '../request/verified-host-keys.js';
import { INPUT_CAPS, readInputFile } from './input.js';
import { readSeHeader } from './read-se-header.js';

/** A batch ready to build: the items, and where each result goes. */
export interface BatchPlan {
  readonly items: readonly BatchItem[];
  /** Warnings of reading the files (a host-key document with several certificates). */
  readonly warnings: readonly string[];
  /** Per item: the request path, and the path for a generated association secret. */
  readonly outputs: readonly { readonly request: string; readonly secret?: string; readonly secretValue?: Uint8Array }[];
}

const ENTRY_KEYS = ['output', 'hdr', 'hostKeyDocuments', ...VERIFICATION_KEYS, 'secret', 'flags', 'cuid', 'extensionSecret', 'cck', 'strictHostMatch'];
const SECRET_KEYS = ['type', 'name', 'inputSecret', 'outputSecret', 'useName'];

const schema = new SchemaReader('ERR_BATCH', 'batch');
function fail(message: string): never {
  return schema.fail(message);
}
const mapping = (v: unknown, where: string) => schema.mapping(v, where);
const str = (v: unknown, where: string) => schema.str(v, where);
const list = (v: unknown, where: string) => schema.list(v, where);
const bool = (v: unknown, where: string) => schema.bool(v, where) === true;

/** Reads every file at most once. */
class Reader {
  private readonly files = new Map<string, Promise<Uint8Array>>();
  private readonly headers = new Map<string, Promise<SeHeader>>();
  private readonly documents = new Map<string, Promise<Uint8Array>>();
  /** Warnings of reading the files (each said once). */
  readonly warnings: string[] = [];
  private readonly baseDir: string;
  constructor(baseDir: string) {
    this.baseDir = baseDir;
  }
  path(p: string): string {
    return resolve(this.baseDir, p);
  }
  file(p: string): Promise<Uint8Array> {
    const abs = this.path(p);
    const f = this.files.get(abs) ?? readInputFile(abs);
    this.files.set(abs, f);
    return f;
  }
  async exact(p: string, size: number, where: string): Promise<Uint8Array> {
    const b = await this.file(p);
    if (b.length !== size) fail(`${where}: ${p} must be exactly ${size} bytes (got ${b.length})`);
    return b;
  }
  /** A host-key document: its first certificate, as pvsecret and `create` take it (a warning when there are more). */
  hostKeyDocument(p: string): Promise<Uint8Array> {
    const abs = this.path(p);
    let d = this.documents.get(abs);
    if (!d) {
      d = this.file(p).then((bytes) => {
        const first = firstHostKeyCertificate(bytes, `host-key document '${p}'`);
        if (first.warning) this.warnings.push(first.warning);
        return first.certificate.der;
      });
      this.documents.set(abs, d);
    }
    return d;
  }
  header(p: string): Promise<SeHeader> {
    const abs = this.path(p);
    const h = this.headers.get(abs) ?? readSeHeader(abs);
    this.headers.set(abs, h);
    return h;
  }
}

async function readEntry(r: Reader, e: Fields, where: string, strict: boolean): Promise<BatchPlan['outputs'][number] & { item: BatchItem }> {
  schema.known(e, ENTRY_KEYS, where);
  const output = r.path(str(e.output, `${where}.output`));
  const s = mapping(e.secret, `${where}.secret`);
  schema.known(s, SECRET_KEYS, `${where}.secret`);
  const type = str(s.type, `${where}.secret.type`);
  let secret: SecretSpec;
  let secretPath: string | undefined;
  let secretValue: Uint8Array | undefined;
  if (type === 'meta') {
    if (Object.keys(s).length > 1) fail(`${where}.secret: a meta secret takes no other keys`);
    secret = { type: 'meta' };
  } else if (type === 'association') {
    const name = str(s.name, `${where}.secret.name`);
    if (s.inputSecret !== undefined && s.outputSecret !== undefined) fail(`${where}.secret: inputSecret and outputSecret exclude each other`);
    if (s.inputSecret !== undefined)
      secretValue = await r.exact(str(s.inputSecret, `${where}.secret.inputSecret`), ASSOCIATION_SECRET_SIZE, `${where}.secret.inputSecret`);
    if (s.outputSecret !== undefined) {
      secretPath = r.path(str(s.outputSecret, `${where}.secret.outputSecret`));
      secretValue = nodeBackend.randomBytes(ASSOCIATION_SECRET_SIZE);
    }
    secret = { type: 'association', name, useName: bool(s.useName, `${where}.secret.useName`), ...(secretValue ? { value: secretValue } : {}) };
  } else {
    return fail(`${where}.secret.type: ${JSON.stringify(type)} is not supported (expected meta or association)`);
  }

  const paths = schema.verification(e, where);
  const verify: HostKeyVerification = paths && {
    certificates: await Promise.all(paths.certificates.map((p) => r.file(p))),
    crls: await Promise.all(paths.crls.map((p) => r.file(p))),
    ...(paths.rootCa === undefined ? {} : { rootCa: await r.file(paths.rootCa) }),
    offline: paths.offline,
    // Messages name the files as the batch file gives them.
    names: { certificates: paths.certificates, crls: paths.crls, ...(paths.rootCa === undefined ? {} : { rootCa: paths.rootCa }) },
  };
  const flags = e.flags === undefined ? [] : list(e.flags, `${where}.flags`);
  for (const f of flags) if (f !== 'disable-dump') fail(`${where}.flags: unknown flag ${JSON.stringify(f)} (known: disable-dump)`);
  let cuid: Uint8Array | undefined;
  if (e.cuid !== undefined) {
    const what = `${where}.cuid`;
    try {
      cuid = parseCuidText(str(e.cuid, what), what, { yaml: true });
    } catch (err) {
      if (err instanceof InputError) fail(err.message);
      throw err;
    }
  }
  if (e.extensionSecret !== undefined && e.cck !== undefined) fail(`${where}: extensionSecret and cck exclude each other`);
  let extensionSecret: ExtensionSecretOption | undefined;
  if (e.extensionSecret !== undefined)
    extensionSecret = { value: await r.exact(str(e.extensionSecret, `${where}.extensionSecret`), 32, `${where}.extensionSecret`) };
  if (e.cck !== undefined) extensionSecret = { cck: await r.exact(str(e.cck, `${where}.cck`), 32, `${where}.cck`) };

  const hostKeyDocumentNames = list(e.hostKeyDocuments, `${where}.hostKeyDocuments`);
  const item: BatchItem = {
    label: str(e.output, `${where}.output`),
    secret,
    seHeader: await r.header(str(e.hdr, `${where}.hdr`)),
    hostKeyDocuments: await Promise.all(hostKeyDocumentNames.map((p) => r.hostKeyDocument(p))),
    hostKeyDocumentNames,
    verify,
    flags: { disableDump: flags.includes('disable-dump') },
    ...(cuid ? { cuid } : {}),
    ...(extensionSecret ? { extensionSecret } : {}),
    strictHostMatch: strict || bool(e.strictHostMatch, `${where}.strictHostMatch`),
  };
  return { item, request: output, ...(secretPath ? { secret: secretPath } : {}), ...(secretPath && secretValue ? { secretValue } : {}) };
}

/**
 * Reads a batch file and every file it names.
 *
 * @throws InputError `ERR_BATCH`; FileError `ERR_FILE`, `ERR_INPUT_TOO_LARGE`; HeaderError `ERR_HEADER_*`
 */
export async function readBatchFile(path: string, options: { strictHostMatch?: boolean } = {}): Promise<BatchPlan> {
  const data = parseTextData(await readInputFile(path, { label: 'batch file', maxSize: INPUT_CAPS.yaml }), 'batch', 'ERR_BATCH');
  let entries: unknown[];
  let defaults: Fields = {};
  if (Array.isArray(data)) entries = data;
  else {
    const top = mapping(data, 'top level');
    schema.known(top, ['defaults', 'requests'], 'top level');
    if (top.defaults !== undefined) defaults = mapping(top.defaults, 'defaults');
    if (!Array.isArray(top.requests)) fail('requests: expected a list');
    entries = top.requests;
  }
  if (entries.length === 0) fail('no requests listed');
  const r = new Reader(dirname(resolve(path)));
  const items: BatchItem[] = [];
  const outputs: BatchPlan['outputs'][number][] = [];
  const seen = new Map<string, string>();
  for (const [i, raw] of entries.entries()) {
    const where = `requests[${i}]`;
    const { item, ...out } = await readEntry(r, { ...defaults, ...mapping(raw, where) }, where, options.strictHostMatch === true);
    for (const p of [out.request, out.secret]) {
      if (p === undefined) continue;
      const other = seen.get(p);
      if (other) fail(`${where}: output ${p} is also written by ${other}`);
      seen.set(p, where);
    }
    items.push(item);
    outputs.push(out);
  }
  return { items, outputs, warnings: r.warnings };
}
