/**
 * Precomputed tables for host keys that a process uses again and again (a batch of
 * requests for the same machines).
 *
 * Each key slot needs an ECDH between a fresh customer key and a host key, so one
 * scalar multiplication of the *host point* per request. The host point is public and
 * repeats across a batch, so a table of its multiples can be built once. With that
 * table @noble/curves multiplies in about a third of the time that Node's bundled
 * OpenSSL needs (Node's OpenSSL has no optimised P-521 code, see docs/performance.md).
 * noble's table multiply is constant time: it uses a fixed window count and scans every
 * table entry.
 *
 * Building one table costs about as much as 60 OpenSSL ECDHs and keeps about 2.4 MiB.
 * So a table is built only after a host key has been used {@link HostPointCacheConfig.afterUses}
 * times in this process, and at most {@link HostPointCacheConfig.maxTables} tables are
 * kept (least recently used first out). A single request, as from the CLI, never builds
 * one. The tables hold public data only.
 *
 * @module
 */
import { p521 } from '@noble/curves/nist.js';
import { toHex } from '../internal/bytes.js';
import { P521_SCALAR_SIZE } from './backend.js';

type Point = ReturnType<typeof p521.Point.fromBytes>;

/** When and how tables are built. */
export interface HostPointCacheConfig {
  /** Uses of one host key before its table is built. */
  afterUses: number;
  /** Tables kept at most (least recently used first out). */
  maxTables: number;
  /** Table window in bits: 8 is the fastest multiply per MiB measured here. */
  window: number;
  /** Host keys whose uses are counted at most (oldest first out); bounds memory for one-off keys. */
  maxTracked: number;
}

const DEFAULTS: HostPointCacheConfig = { afterUses: 32, maxTables: 16, window: 8, maxTracked: 1024 };
let config: HostPointCacheConfig = { ...DEFAULTS };

interface Entry {
  uses: number;
  point?: Point;
}

/** Insertion order is recency order: a use moves the entry to the end. */
const entries = new Map<string, Entry>();
let tables = 0;

/** Changes the cache settings (tests, tuning) and empties it; no argument restores the defaults. */
export function configureHostPointCache(c: Partial<HostPointCacheConfig> = {}): void {
  config = { ...DEFAULTS, ...c };
  entries.clear();
  tables = 0;
}

/** How many tables are built now (for tests and benchmarks). */
export function hostPointTables(): number {
  return tables;
}

function evict(): void {
  for (const [k, e] of entries) {
    if (tables <= config.maxTables && entries.size <= config.maxTracked) return;
    if (e.point || entries.size > config.maxTracked) {
      if (e.point) tables--;
      entries.delete(k);
    }
  }
}

/**
 * Counts one use of host point `q` (133 bytes, already checked to be on the curve).
 * Returns the 66-byte x coordinate of `d·q` through its table when `q` has one,
 * otherwise undefined: the caller then uses its own ECDH.
 */
export function precomputedEcdhX(d: Uint8Array, q: Uint8Array): Uint8Array | undefined {
  const key = toHex(q);
  let e = entries.get(key);
  if (e) entries.delete(key);
  else e = { uses: 0 };
  entries.set(key, e);
  e.uses++;
  if (!e.point && e.uses >= config.afterUses) {
    e.point = p521.Point.fromBytes(q).precompute(config.window, false);
    tables++;
  }
  evict();
  if (!e.point) return undefined;
  const x = e.point.multiply(p521.Point.Fn.fromBytes(d)).toAffine().x;
  const out = p521.Point.Fp.toBytes(x);
  return out.length === P521_SCALAR_SIZE ? out : undefined;
}
