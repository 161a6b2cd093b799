/**
 * manifest.json: what a plan produced, for review and audit — the guest, the SE header
 * it is bound to, the host keys, and per queue its APQN, mode, name, secret id and
 * request file with its SHA-256. It never holds a secret value.
 *
 * @module
 */
import { sha256 } from '../crypto/hash.js';
import type { SeHeader } from '../header/se-header.js';
import { toHex } from '../internal/bytes.js';
import type { HostKey } from '../request/host-key.js';
import type { NormalizedPlan } from './validate.js';

/** File names of a plan's outputs. */
export const PLAN_FILES = {
  pvapconfig: 'pvapconfig.yaml',
  guestSetup: 'guest-setup.sh',
  guestUnit: 'se-guest-setup.service',
  hostSetup: 'host-setup.sh',
  /** `<guest>-hostdev.xml`, with characters other than letters, digits, `.`, `_`, `+`, `-` replaced by `_`. */
  hostdev: (guest: string) => `${guest.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^\./, '_')}-hostdev.xml`,
  manifest: 'manifest.json',
  request: (apqn: string) => `request-${apqn}.bin`,
  secret: (apqn: string) => `secret-${apqn}.bin`,
  /** `plan --attest`: the attestation request (pvattest's exchange file) for `pvattest perform`. */
  attestationRequest: 'attestation-request.bin',
  /** `plan --attest`: what `pvattest perform` writes in the guest, to bring back for `attest verify`. */
  attestationResponse: 'attestation-response.bin',
  /** `plan --attest`: the attestation request protection key (ARPK), in the secrets directory. */
  attestationKey: 'attestation-arpk.bin',
} as const;

/** The manifest format identifier. */
export const PLAN_MANIFEST_FORMAT = 'se-secrets/association-plan/1';

/** A file and its SHA-256. */
export interface ManifestFile {
  readonly file: string;
  readonly sha256: string;
  readonly size: number;
}

/** One queue in the manifest. */
export interface ManifestQueue {
  readonly apqn: string;
  /** Adapter and domain in hex, as in the APQN. */
  readonly adapter: string;
  readonly domain: string;
  readonly mode: 'EP11' | 'Accel';
  readonly mkvp?: string;
  readonly serialnr?: string;
  readonly mingen?: string;
  readonly name: string;
  /** EP11: SHA-256 of the name, 64 hex digits — what `pvsecret list` shows after `0x`. */
  readonly secretId?: string;
  /** EP11: the association request. */
  readonly request?: ManifestFile;
  /** EP11 with `--output-secrets`: the name of the secret value file (in that directory). */
  readonly secretFile?: string;
}

/** The content of manifest.json. */
export interface PlanManifest {
  readonly format: typeof PLAN_MANIFEST_FORMAT;
  readonly createdAt: string;
  readonly guest: string;
  readonly seHeader: { readonly file: string; readonly tag: string; readonly hostKeyHashes: readonly string[] };
  readonly hostKeys: readonly { readonly subject?: string; readonly hash: string }[];
  /** False when the plan said `noVerify: true`. */
  readonly hostKeysVerified: boolean;
  /** False when the plan said `pvapconfig: false` (then there is no pvapconfig.yaml). */
  readonly pvapconfig: boolean;
  /** The KVM host's mediated device: its UUID, adapters, domains and control domains (hex), and the queues it adds beyond the plan. */
  readonly host: {
    readonly mdevUuid: string;
    readonly adapters: readonly string[];
    readonly domains: readonly string[];
    readonly controlDomains: readonly string[];
    readonly extraQueues: readonly string[];
  };
  readonly queues: readonly ManifestQueue[];
  /**
   * `plan --attest` (phase 1): the attestation request, the name of its protection key
   * file (in the secrets directory) and of the response `pvattest perform` writes.
   */
  readonly attestation?: { readonly request: ManifestFile; readonly protectionKeyFile: string; readonly responseFile: string };
  /** `plan --cuid` (phase 2): the CUID every request is bound to, `0x` and 32 hex digits. */
  readonly cuid?: string;
  readonly files: readonly ManifestFile[];
}

function fileEntry(file: string, bytes: Uint8Array): ManifestFile {
  return { file, sha256: toHex(sha256(bytes)), size: bytes.length };
}

/** Builds the manifest. */
export function buildManifest(m: {
  plan: NormalizedPlan;
  header: SeHeader;
  hostKeys: readonly HostKey[];
  verified: boolean;
  requests: ReadonlyMap<string, Uint8Array>;
  secretFiles: boolean;
  files: Readonly<Record<string, Uint8Array>>;
  now: Date;
  /** Phase 1 of an attested plan: the attestation request (exchange file). */
  attestationRequest?: Uint8Array;
  /** Phase 2: the CUID the requests are bound to. */
  cuid?: Uint8Array;
}): PlanManifest {
  const queues = m.plan.queues.map((q): ManifestQueue => {
    const base = {
      apqn: q.apqn,
      adapter: q.apqn.slice(0, 2),
      domain: q.apqn.slice(3),
      mode: q.mode,
      ...(q.mkvp ? { mkvp: q.mkvp } : {}),
      ...(q.serialnr ? { serialnr: q.serialnr } : {}),
      ...(q.mingen ? { mingen: q.mingen } : {}),
      name: q.name,
    };
    if (q.mode !== 'EP11' || !q.secretId) return base;
    const file = PLAN_FILES.request(q.apqn);
    const bytes = m.requests.get(file);
    return {
      ...base,
      secretId: toHex(q.secretId),
      ...(bytes ? { request: fileEntry(file, bytes) } : {}),
      ...(m.secretFiles ? { secretFile: PLAN_FILES.secret(q.apqn) } : {}),
    };
  });
  return {
    format: PLAN_MANIFEST_FORMAT,
    createdAt: m.now.toISOString(),
    guest: m.plan.guest,
    seHeader: { file: m.plan.hdr, tag: toHex(m.header.tag), hostKeyHashes: m.header.hostKeyHashes.map(toHex) },
    hostKeys: m.hostKeys.map((k) => ({ ...(k.subject ? { subject: k.subject } : {}), hash: toHex(k.hash) })),
    hostKeysVerified: m.verified,
    pvapconfig: m.plan.pvapconfig,
    host: {
      mdevUuid: m.plan.host.mdevUuid,
      adapters: m.plan.host.adapters.map((a) => a.toString(16).padStart(2, '0')),
      domains: m.plan.host.domains.map((d) => d.toString(16).padStart(4, '0')),
      controlDomains: m.plan.host.controlDomains.map((d) => d.toString(16).padStart(4, '0')),
      extraQueues: m.plan.host.extraQueues,
    },
    queues,
    ...(m.attestationRequest
      ? {
          attestation: {
            request: fileEntry(PLAN_FILES.attestationRequest, m.attestationRequest),
            protectionKeyFile: PLAN_FILES.attestationKey,
            responseFile: PLAN_FILES.attestationResponse,
          },
        }
      : {}),
    ...(m.cuid ? { cuid: `0x${toHex(m.cuid)}` } : {}),
    files: Object.entries(m.files).map(([f, b]) => fileEntry(f, b)),
  };
}
