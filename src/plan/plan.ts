/**
 * `planAssociations`: everything an SE guest needs to use its AP queues, planned on the
 * trusted workstation — one association request per EP11 queue, pvapconfig.yaml,
 * guest-setup.sh and its systemd unit for the guest, host-setup.sh and the libvirt
 * hostdev element for the KVM host, and a manifest.
 *
 * The core works on bytes: files are read through an injected reader and returned as
 * `{ path, bytes, mode }` for the caller to write (the Node CLI writes them atomically).
 *
 * @module
 */
import { createAttestationRequest } from '../attest/create.js';
import { firstHostKeyCertificate } from '../certs/inputs.js';
import type { CryptoBackend } from '../crypto/backend.js';
import { portableBackend } from '../crypto/portable.js';
import { CertificateError, InputError, SeSecretsError } from '../errors.js';
import { parseSeHeader } from '../header/locate.js';
import type { SeHeader } from '../header/se-header.js';
import { zeroize } from '../internal/bytes.js';
import { createAddSecretRequest } from '../request/create.js';
import { ASSOCIATION_SECRET_SIZE } from '../request/guest-secret.js';
import { hostKeyMismatchMessage, hostKeysNotInHeader } from '../request/host-match.js';
import {
  defaultVerifyHostKeyDocuments,
  HostKeyResolver,
  type HostKeyVerification,
  type HostKeyVerificationOptions,
  requestHostKeyOptions,
  type ResolvedHostKeys,
  type VerifyHostKeyDocumentsFn,
} from '../request/verified-host-keys.js';
import { guestAttestScript, guestSetupScript, type ScriptQueue } from './guest-script.js';
import { guestSetupUnit } from './guest-unit.js';
import { hostdevXml, hostSetupScript } from './host-script.js';
import { buildManifest, PLAN_FILES, type PlanManifest } from './manifest.js';
import { pvapconfigYaml } from './pvapconfig.js';
import { type AssociationPlan, type NormalizedPlan, validatePlan } from './validate.js';

/** Options of {@link planAssociations}. */
export interface PlanOptions {
  /** Reads a file named in the plan (resolved against `baseDir`). Required by the portable core. */
  readonly readFile?: (path: string) => Promise<Uint8Array>;
  /** Reads just the SE header of an image (faster for large images); default: readFile + parse. */
  readonly readSeHeader?: (path: string) => Promise<SeHeader>;
  /** Directory the plan's paths are relative to (the plan file's directory). */
  readonly baseDir?: string;
  /** Time for host-key verification and the manifest's `createdAt` (default: now). */
  readonly now?: Date;
  /** Time for host-key verification only, to reproduce a past decision (`--verify-time`); default {@link now}. */
  readonly verifyTime?: Date;
  readonly backend?: CryptoBackend;
  /** Also return the secret values, as files marked `secret` (mode 0600). */
  readonly outputSecrets?: boolean;
  /** CRL download for host-key verification (default: the runtime's, when online). */
  readonly fetchCrl?: HostKeyVerificationOptions['fetchCrl'];
  /**
   * Phase 1 of an attested plan (`plan --attest`): instead of the association requests,
   * an attestation request for the plan's host keys (`attestation-request.bin`, the file
   * `pvattest create -o` writes), its protection key (`attestation-arpk.bin`, marked
   * `secret`, mode 0600: zero it when written) and a guest-setup.sh that runs `pvattest
   * perform`. Excludes `cuid`.
   */
  readonly attest?: boolean;
  /**
   * Phase 2 (`plan --cuid`): the 16-byte configuration unique ID that `attest verify`
   * read from the guest's attestation response; every request is bound to it, so only
   * that guest instance accepts them.
   */
  readonly cuid?: Uint8Array;
}

/** A file to write. `path` is a bare file name. */
export interface PlanFile {
  readonly path: string;
  readonly bytes: Uint8Array;
  /** Unix mode; 0o644 when absent. */
  readonly mode?: number;
  /** True for secret values: write them only where the user asked (`--output-secrets`). */
  readonly secret?: boolean;
  /** What the file is, for messages (default: association secret, or plan output). */
  readonly label?: string;
}

/** What {@link planAssociations} produces. */
export interface PlanResult {
  readonly files: readonly PlanFile[];
  readonly manifest: PlanManifest;
  readonly warnings: readonly string[];
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(p);
}

/** `p` relative to `baseDir` (POSIX or Windows separators kept as given). */
export function resolvePlanPath(baseDir: string | undefined, p: string): string {
  if (!baseDir || isAbsolute(p)) return p;
  return `${baseDir.replace(/[\\/]+$/, '')}/${p}`;
}

/** Prefixes our errors with what was being read; other errors pass unchanged. */
async function reading<T>(what: string, f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof SeSecretsError && !e.message.startsWith(what)) e.message = `${what}: ${e.message}`;
    throw e;
  }
}

const enc = new TextEncoder();

/**
 * The internals of {@link planAssociations} with the host-key verifier as a parameter
 * (tests only give a stand-in here; use `planAssociations`).
 */
export async function planAssociationsWith(verifyFn: VerifyHostKeyDocumentsFn, plan: AssociationPlan, options: PlanOptions = {}): Promise<PlanResult> {
  const p = validatePlan(plan);
  if (options.attest && options.cuid !== undefined) {
    throw new InputError('ERR_INVALID_OPTION', 'options.attest and options.cuid: one phase at a time (attest first, then plan with the CUID that attest verify gave)');
  }
  const warnings = [...p.warnings];
  const backend = options.backend ?? portableBackend;
  const readFile = options.readFile;
  if (typeof readFile !== 'function') {
    throw new InputError('ERR_INVALID_OPTION', 'options.readFile: required to read the files a plan names (the Node entry point provides one)');
  }
  const path = (f: string) => resolvePlanPath(options.baseDir, f);
  const read = (key: string, f: string) => reading(`${key} ${f}`, () => readFile(path(f)));

  const header = await reading(`hdr ${p.hdr}`, async () =>
    options.readSeHeader ? options.readSeHeader(path(p.hdr)) : parseSeHeader(await readFile(path(p.hdr))),
  );
  // As pvsecret and `create`: the first certificate of each host-key document file.
  const documents: Uint8Array[] = [];
  for (const f of p.hostKeyDocuments) {
    const bytes = await read('hostKeyDocuments', f);
    const first = firstHostKeyCertificate(bytes, `host-key document '${f}'`);
    if (first.warning) warnings.push(first.warning);
    documents.push(first.certificate.der);
  }
  const verifyTime = options.verifyTime ?? options.now;
  let verify: HostKeyVerification = false;
  if (p.verify) {
    const certificates: Uint8Array[] = [];
    for (const f of p.verify.certificates) certificates.push(await read('certificates', f));
    const crls: Uint8Array[] = [];
    for (const f of p.verify.crls) crls.push(await read('crls', f));
    verify = {
      certificates,
      crls,
      ...(p.verify.rootCa ? { rootCa: await read('rootCa', p.verify.rootCa) } : {}),
      offline: p.verify.offline,
      names: { certificates: p.verify.certificates, crls: p.verify.crls, ...(p.verify.rootCa ? { rootCa: p.verify.rootCa } : {}) },
      ...(verifyTime ? { now: verifyTime } : {}),
      ...(options.fetchCrl ? { fetchCrl: options.fetchCrl } : {}),
    };
  }
  const resolved = await reading('hostKeyDocuments', () => new HostKeyResolver(verifyFn).resolve(documents, verify, p.hostKeyDocuments));
  const missing = hostKeysNotInHeader(header, resolved.hostKeys);
  if (missing.length > 0) throw new CertificateError('ERR_HOST_KEY_MISMATCH', `plan: ${hostKeyMismatchMessage(missing, header)}`);

  if (options.attest) return attestationPhase(p, header, resolved, backend, options.now ?? new Date(), warnings);

  const requests: PlanFile[] = [];
  const secrets: PlanFile[] = [];
  const queues: ScriptQueue[] = [];
  for (const q of p.queues) {
    if (q.mode !== 'EP11') {
      queues.push(q);
      continue;
    }
    const value = backend.randomBytes(ASSOCIATION_SECRET_SIZE);
    try {
      const bytes = await createAddSecretRequest({
        secret: { type: 'association', name: q.name, value },
        seHeader: header,
        ...requestHostKeyOptions(resolved),
        ...(options.cuid !== undefined ? { cuid: options.cuid } : {}),
        backend,
      });
      requests.push({ path: PLAN_FILES.request(q.apqn), bytes });
      queues.push({ ...q, requestFile: PLAN_FILES.request(q.apqn) });
      if (options.outputSecrets) secrets.push({ path: PLAN_FILES.secret(q.apqn), bytes: value.slice(), mode: 0o600, secret: true });
    } finally {
      zeroize(value);
    }
  }

  const outputs: PlanFile[] = [
    ...(p.pvapconfig ? [{ path: PLAN_FILES.pvapconfig, bytes: enc.encode(pvapconfigYaml(p.guest, p.queues)) }] : []),
    {
      path: PLAN_FILES.guestSetup,
      bytes: enc.encode(guestSetupScript(p.guest, queues, { pvapconfig: p.pvapconfig, ...(options.cuid !== undefined ? { cuid: options.cuid } : {}) })),
      mode: 0o755,
    },
    { path: PLAN_FILES.guestUnit, bytes: enc.encode(guestSetupUnit({ pvapconfig: p.pvapconfig })) },
    ...hostFiles(p),
  ];
  const manifest = planManifest(p, header, resolved, {
    requests: new Map(requests.map((r) => [r.path, r.bytes])),
    secretFiles: options.outputSecrets === true,
    files: Object.fromEntries(outputs.map((f) => [f.path, f.bytes])),
    now: options.now ?? new Date(),
    ...(options.cuid !== undefined && requests.length > 0 ? { cuid: options.cuid } : {}),
  });
  return { files: [...requests, ...outputs, manifestFile(manifest), ...secrets], manifest, warnings };
}

/** The KVM host's files: host-setup.sh and the libvirt hostdev element. */
function hostFiles(p: NormalizedPlan): PlanFile[] {
  const hostdevFile = PLAN_FILES.hostdev(p.guest);
  return [
    { path: PLAN_FILES.hostSetup, bytes: enc.encode(hostSetupScript(p.host, hostdevFile)), mode: 0o755 },
    { path: hostdevFile, bytes: enc.encode(hostdevXml(p.host.mdevUuid)) },
  ];
}

/** The manifest of a plan whose host keys were resolved; `rest` says what was produced. */
function planManifest(
  p: NormalizedPlan,
  header: SeHeader,
  resolved: ResolvedHostKeys,
  rest: Omit<Parameters<typeof buildManifest>[0], 'plan' | 'header' | 'hostKeys' | 'verified'>,
): PlanManifest {
  return buildManifest({ plan: p, header, hostKeys: resolved.hostKeys, verified: resolved.verified, ...rest });
}

function manifestFile(manifest: PlanManifest): PlanFile {
  return { path: PLAN_FILES.manifest, bytes: enc.encode(`${JSON.stringify(manifest, null, 2)}\n`) };
}

/**
 * Phase 1 of an attested plan: the attestation request for the plan's (verified) host
 * keys, its protection key as a secret file, the guest script that runs `pvattest
 * perform`, the KVM host's files and the manifest. No association request yet.
 */
async function attestationPhase(
  p: NormalizedPlan,
  header: SeHeader,
  resolved: ResolvedHostKeys,
  backend: CryptoBackend,
  now: Date,
  warnings: readonly string[],
): Promise<PlanResult> {
  const { exchange, protectionKey } = await createAttestationRequest({ ...requestHostKeyOptions(resolved), backend });
  try {
    const outputs: PlanFile[] = [
      { path: PLAN_FILES.attestationRequest, bytes: exchange },
      { path: PLAN_FILES.guestSetup, bytes: enc.encode(guestAttestScript()), mode: 0o755 },
      ...hostFiles(p),
    ];
    const manifest = planManifest(p, header, resolved, {
      requests: new Map(),
      secretFiles: false,
      files: Object.fromEntries(outputs.slice(1).map((f) => [f.path, f.bytes])),
      now,
      attestationRequest: exchange,
    });
    // The protection key goes to the caller, who writes it (0600) and zeroes it.
    const key: PlanFile = { path: PLAN_FILES.attestationKey, bytes: protectionKey, mode: 0o600, secret: true, label: 'attestation request protection key' };
    return { files: [...outputs, manifestFile(manifest), key], manifest, warnings };
  } catch (e) {
    zeroize(protectionKey);
    throw e;
  }
}

/**
 * Plans the AP association of an SE guest: checks the plan, reads its SE header and
 * host-key documents (verifying them unless `noVerify: true`), checks that the image
 * was built for every host key, and builds one association request per EP11 queue, each
 * with its own fresh random secret, plus pvapconfig.yaml, guest-setup.sh and
 * manifest.json. Secret values are returned only with `outputSecrets: true`.
 *
 * @example
 * ```ts
 * const { files, warnings } = await planAssociations(parseAssociationPlan(text), {
 *   readFile: (p) => readFile(p).then((b) => new Uint8Array(b)),
 *   baseDir: dirname(planPath),
 * });
 * ```
 * @throws InputError `ERR_PLAN` (a plan rule), `ERR_INVALID_OPTION`, `ERR_VERIFY_REQUIRED`;
 *   HeaderError `ERR_HEADER_*`; CertificateError `ERR_CERT_PARSE`, `ERR_HOST_KEY_NOT_P521`,
 *   `ERR_HOST_KEY_MISMATCH`, the `ERR_HKD_*` / chain errors of verification; FileError
 *   `ERR_FILE` from the reader
 */
export function planAssociations(plan: AssociationPlan, options: PlanOptions = {}): Promise<PlanResult> {
  return planAssociationsWith(defaultVerifyHostKeyDocuments, plan, options);
}
