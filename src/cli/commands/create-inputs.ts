/**
 * The inputs of `create`, read from the files named on the command line, in the
 * order pvsecret reads them (so the first problem reported is the same one).
 *
 * @module
 */
import { getFlag, getList, getString, type ParsedCommand } from '../args.js';
import { UsageError } from '../errors.js';
import { INPUT_CAPS, inputSize, readExact, readInput } from '../files.js';
import {
  type Certificate,
  type CliSecret,
  FLAG_DISABLE_DUMP,
  type HostKey,
  type RetrievableKind,
  type SeHeader,
  firstHostKeyCertificate,
  isSeSecretsError,
  nodeBackend,
  readSeHeader,
  unverifiedHostKey,
  verifyHostKeyDocuments,
} from '../lib.js';
import type { Logger } from '../log.js';
import { cuidFromFile, parseCuidHex, parsePcf } from '../values.js';
import { parseVerifyTime, reportingOptions } from '../verification.js';

export const ASSOCIATION_SECRET_SIZE = 32;
export const CCK_SIZE = 32;
export const EXTENSION_SECRET_SIZE = 32;

/** The command line of `create`, typed. */
export interface CreateArgs {
  readonly hostKeyDocuments: string[];
  readonly noVerify: boolean;
  readonly certs: string[];
  readonly crls: string[];
  readonly offline: boolean;
  readonly rootCa?: string;
  readonly verifyTime?: Date;
  readonly hdr: string;
  readonly force: boolean;
  readonly strictHostMatch: boolean;
  readonly output: string;
  readonly extensionSecret?: string;
  readonly cck?: string;
  readonly cuidHex?: string;
  readonly cuid?: string;
  readonly pcf?: string;
  readonly flags: string[];
  readonly userData?: string;
  readonly policy?: string;
  readonly tocPolicy?: string;
  readonly userSignKey?: string;
  readonly useName: boolean;
  readonly kind: 'meta' | 'association' | 'retrievable' | 'update-cck';
  readonly name?: string;
  readonly stdout: boolean;
  readonly inputSecret?: string;
  readonly outputSecret?: string;
  readonly secretFile?: string;
  readonly type?: RetrievableKind;
}

/** The certificate options (`-k`, `--no-verify`, `-C`, `--crl`, `--offline`, `--root-ca`, `--verify-time`) of `create` and `verify-hkd`. */
export type CertificateArgs = Pick<CreateArgs, 'hostKeyDocuments' | 'noVerify' | 'certs' | 'crls' | 'offline' | 'rootCa' | 'verifyTime'>;

export function certificateArgs(c: ParsedCommand, command: string): CertificateArgs {
  const time = getString(c, 'verifyTime');
  const rootCa = getString(c, 'rootCa');
  return {
    ...(time !== undefined ? { verifyTime: parseVerifyTime(time, [command]) } : {}),
    hostKeyDocuments: getList(c, 'hostKeyDocuments'), noVerify: getFlag(c, 'noVerify'), certs: getList(c, 'certs'),
    crls: getList(c, 'crls'), offline: getFlag(c, 'offline'), ...(rootCa !== undefined ? { rootCa } : {}),
  };
}

export function createArgs(path: readonly ParsedCommand[]): CreateArgs {
  const c = path[1] as ParsedCommand;
  const s = path[2] as ParsedCommand;
  const str = (p: ParsedCommand, k: string) => getString(p, k);
  return {
    ...certificateArgs(c, 'create'), hdr: str(c, 'hdr') as string,
    force: getFlag(c, 'force'), strictHostMatch: getFlag(c, 'strictHostMatch'), output: str(c, 'output') as string, extensionSecret: str(c, 'extensionSecret'),
    cck: str(c, 'cck'), cuidHex: str(c, 'cuidHex'), cuid: str(c, 'cuid'), pcf: str(c, 'pcf'), flags: getList(c, 'flags'),
    userData: str(c, 'userData'), policy: str(c, 'policy'), tocPolicy: str(c, 'tocPolicy'), userSignKey: str(c, 'userSignKey'),
    useName: getFlag(c, 'useName'), kind: s.spec.name as CreateArgs['kind'], name: str(s, 'name'), stdout: getFlag(s, 'stdout'),
    inputSecret: str(s, 'inputSecret'), outputSecret: str(s, 'outputSecret'), secretFile: str(s, 'secret'),
    type: str(s, 'type') as RetrievableKind | undefined,
  };
}

/** Fails early, before reading anything, when the command line needs what this build lacks. */
/** pvsecret's extra command-line checks for association secrets (`validate_cli`). */
export function validateNames(a: CreateArgs): void {
  if (a.kind !== 'association' || a.stdout) return;
  const yaml = `${a.name}.yaml`;
  const words = ['create', 'association'];
  if (a.outputSecret === yaml) throw new UsageError(`--output-secret '${yaml}' is the file the secret information goes to; choose another name`, words);
  if (a.output === yaml) throw new UsageError(`--output '${yaml}' is the file the secret information goes to; choose another name`, words);
}

const KIND_LABEL: Record<RetrievableKind, string> = {
  plain: 'plaintext secret',
  aes: 'AES key',
  'aes-xts': 'AES-XTS key',
  'hmac-sha': 'HMAC-SHA key',
  ec: 'EC private key',
};

/** The secret of the request, with its confidential value read or generated. */
export async function readSecret(a: CreateArgs): Promise<CliSecret> {
  const useName = a.useName ? { useName: true } : {};
  switch (a.kind) {
    case 'meta':
      return { type: 'meta' };
    case 'association': {
      const value = a.inputSecret
        ? await readExact(a.inputSecret, 'association secret', ASSOCIATION_SECRET_SIZE)
        : nodeBackend.randomBytes(ASSOCIATION_SECRET_SIZE);
      return { type: 'association', name: a.name as string, value, ...useName };
    }
    case 'retrievable': {
      const kind = a.type as RetrievableKind;
      const value = await readInput(a.secretFile as string, `retrievable ${KIND_LABEL[kind]}`);
      return { type: 'retrievable', kind, name: a.name as string, value, ...useName };
    }
    case 'update-cck':
      return { type: 'update-cck', value: await readExact(a.secretFile as string, 'CCK', CCK_SIZE) };
  }
}

/** The 64-bit request flags: `--pcf` (hex), then each `--flags` value ORed in. */
export function requestFlags(a: CreateArgs): bigint {
  let flags = a.pcf !== undefined ? parsePcf(a.pcf) : 0n;
  for (const f of a.flags) if (f === 'disable-dump') flags |= FLAG_DISABLE_DUMP;
  return flags;
}

/** The SE header of `--hdr` (image or extracted header). */
export async function readHeader(path: string, log: Logger): Promise<SeHeader> {
  await inputSize(path, 'SE header');
  try {
    return await readSeHeader(path, { onWarning: (m) => log.warn(`${path}: ${m}`) });
  } catch (e) {
    // Name the option and the file once: "--hdr 'F': se header: ...".
    if (isSeSecretsError(e) && e.message.startsWith(`${path}: `)) e.message = `--hdr '${path}': ${e.message.slice(path.length + 2)}`;
    throw e;
  }
}

/** `--cuid FILE` or `--cuid-hex`. */
export async function readCuid(a: Pick<CreateArgs, 'cuid' | 'cuidHex'>): Promise<Uint8Array | undefined> {
  if (a.cuid !== undefined) return cuidFromFile(await readInput(a.cuid, 'CUID file', INPUT_CAPS.yaml), a.cuid);
  if (a.cuidHex !== undefined) return parseCuidHex(a.cuidHex);
  return undefined;
}

export async function readExtensionSecret(a: CreateArgs): Promise<{ value: Uint8Array } | { cck: Uint8Array } | undefined> {
  if (a.extensionSecret !== undefined) return { value: await readExact(a.extensionSecret, 'extension secret', EXTENSION_SECRET_SIZE) };
  if (a.cck !== undefined) return { cck: await readExact(a.cck, 'CCK', CCK_SIZE) };
  return undefined;
}

export interface HostKeyInputs {
  readonly files: readonly string[];
  readonly hostKeys: readonly HostKey[];
  readonly verify?: false;
}

/**
 * The host keys of the host-key documents (first certificate of each file, each file
 * read once): verified against the certificates, CRLs and root CA, or with
 * `--no-verify` only read.
 */
export async function readHostKeys(
  a: CertificateArgs,
  log: Logger,
  noVerifyWarning = 'host-key document verification is disabled (--no-verify): the secret may NOT be protected. Verify the host-key documents yourself, or use --cert.',
): Promise<HostKeyInputs> {
  if (a.noVerify) log.warn(noVerifyWarning);
  const documents: Certificate[] = [];
  const sources: string[] = [];
  for (const file of a.hostKeyDocuments) {
    const source = `host-key document '${file}'`;
    const first = firstHostKeyCertificate(await readInput(file, 'host-key document'), source);
    if (first.warning) log.warn(first.warning);
    documents.push(first.certificate);
    sources.push(source);
  }
  if (a.noVerify) return { files: a.hostKeyDocuments, hostKeys: documents.map((c, i) => unverifiedHostKey(c, sources[i] as string)), verify: false };
  const readAll = async (files: readonly string[], label: string) => Promise.all(files.map((f) => readInput(f, label)));
  const hostKeys = await verifyHostKeyDocuments({
    hostKeyDocuments: documents,
    certificates: await readAll(a.certs, 'certificate'),
    crls: await readAll(a.crls, 'CRL'),
    ...(a.rootCa !== undefined ? { rootCa: await readInput(a.rootCa, 'root CA certificate') } : {}),
    offline: a.offline,
    // Messages then name the files: `CRL 'x.crl': …`, not `CRL #2: …`.
    names: { hostKeyDocuments: a.hostKeyDocuments, certificates: a.certs, crls: a.crls, ...(a.rootCa !== undefined ? { rootCa: a.rootCa } : {}) },
    ...reportingOptions(log, a.verifyTime, a.hostKeyDocuments),
  });
  return { files: a.hostKeyDocuments, hostKeys };
}

/** Warns when `--use-name` cuts the name (the ID keeps at most 31 bytes; pvsecret cuts silently). */
export function noteUseName(a: CreateArgs, log: Logger): void {
  if (!a.useName || a.name === undefined) return;
  const len = new TextEncoder().encode(a.name).length;
  if (len > 31) log.warn(`--use-name: the secret ID keeps only the first 31 of the ${len} bytes of the name`);
}
