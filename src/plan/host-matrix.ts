/**
 * The KVM host's side of a plan: the AP matrix of the guest's `vfio_ap-passthrough`
 * mediated device and its UUID.
 *
 * An AP matrix is adapters × domains (the kernel's vfio_ap driver assigns whole adapters
 * and whole domains), so planned queues that do not fill that grid give the guest more
 * queues than planned. The device's UUID is the plan's `mdevUuid`, or a name-based UUID
 * (RFC 9562 §5.8 UUIDv8 with SHA-256, as in its Appendix B.2) of the guest name, so every
 * run of the same plan names the same device.
 *
 * @module
 */
import { sha256 } from '../crypto/hash.js';
import { concatBytes, fromHex, toHex } from '../internal/bytes.js';

/** The mediated device of a plan. */
export interface HostMatrix {
  /** Adapter numbers, ascending. */
  readonly adapters: readonly number[];
  /** Usage domains, ascending. */
  readonly domains: readonly number[];
  /** Control domains, ascending (the usage domains unless the plan lists `controlDomains`). */
  readonly controlDomains: readonly number[];
  /** Lowercase `8-4-4-4-12` UUID. */
  readonly mdevUuid: string;
  /** APQNs the matrix gives the guest that the plan does not list. */
  readonly extraQueues: readonly string[];
}

/** Namespace of se-secrets' name-based mediated-device UUIDs (a fixed random UUID). */
export const MDEV_UUID_NAMESPACE = '6f1d7a52-3c0e-4b8f-9a41-2e5d8c7b90f3';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Lowercase UUID text, or undefined when `s` is not `8-4-4-4-12` hex. */
export function parseUuid(s: string): string | undefined {
  const u = s.toLowerCase();
  return UUID_RE.test(u) ? u : undefined;
}

function uuidText(b: Uint8Array): string {
  const h = toHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The name-based UUID of a guest's mediated device: SHA-256 over the namespace's 16
 * bytes and the UTF-8 name, cut to 16 bytes, version 8, RFC 9562 variant.
 *
 * @example
 * ```ts
 * mdevUuidFor('seguest') // the same UUID on every run
 * ```
 */
export function mdevUuidFor(guest: string): string {
  const ns = fromHex(MDEV_UUID_NAMESPACE.replace(/-/g, '')) as Uint8Array;
  const b = sha256(concatBytes(ns, new TextEncoder().encode(guest))).slice(0, 16);
  b[6] = ((b[6] as number) & 0x0f) | 0x80; // version 8
  b[8] = ((b[8] as number) & 0x3f) | 0x80; // variant 10
  return uuidText(b);
}

/** `aa.dddd` for an adapter and a domain. */
export const apqnText = (adapter: number, domain: number) => `${adapter.toString(16).padStart(2, '0')}.${domain.toString(16).padStart(4, '0')}`;

const sortedUnique = (xs: Iterable<number>) => [...new Set(xs)].sort((a, b) => a - b);

/** The matrix of planned queues. */
export function hostMatrix(
  queues: readonly { apqn: string; adapter: number; domain: number }[],
  controlDomains: readonly number[] | undefined,
  mdevUuid: string,
): HostMatrix {
  const adapters = sortedUnique(queues.map((q) => q.adapter));
  const domains = sortedUnique(queues.map((q) => q.domain));
  const planned = new Set(queues.map((q) => q.apqn));
  const extraQueues = adapters.flatMap((a) => domains.map((d) => apqnText(a, d))).filter((x) => !planned.has(x));
  return { adapters, domains, controlDomains: sortedUnique(controlDomains ?? domains), mdevUuid, extraQueues };
}
