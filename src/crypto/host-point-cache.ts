/**
 * Precomputed tables for host keys that one batch uses again and again.
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
 * times through one cache, and at most {@link HostPointCacheConfig.maxTables} tables are
 * kept (least recently used first out). There is no process-wide cache: the tables
 * belong to the {@link HostPointCache} a caller holds — `createAddSecretRequests` makes
 * one per call — and go with it. A single request, as from the CLI, has none. The
 * tables, and the backends' imported host keys kept beside them, hold public data only.
 *
 * @module
 */
import type { WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
import { toHex } from '../internal/bytes.js';
import { P521_SCALAR_SIZE } from './backend.js';
import { nobleP521 } from './p521.js';

type Point = WeierstrassPoint<bigint>;

/** When and how tables are built. */
export interface HostPointCacheConfig {
  /** Uses of one host key before its table is built. */
  readonly afterUses: number;
  /** Tables kept at most (least recently used first out). */
  readonly maxTables: number;
  /** Table window in bits: 8 is the fastest multiply per MiB measured here. */
  readonly window: number;
  /** Host keys whose uses are counted at most (oldest first out); bounds memory for one-off keys. */
  readonly maxTracked: number;
}

const DEFAULTS: HostPointCacheConfig = { afterUses: 32, maxTables: 16, window: 8, maxTracked: 1024 };

interface Entry {
  uses: number;
  point?: Point;
  /** A backend's own import of the point (an OpenSSL key object): see {@link HostPointCache.imported}. */
  imported?: unknown;
}

/**
 * Precomputed host-point tables for many requests: hold one across the requests of a
 * batch (pass it as `hostPointCache`) and drop it afterwards.
 *
 * @example
 * ```ts
 * const hostPointCache = new HostPointCache();
 * for (const name of names) {
 *   await createAddSecretRequest({ secret: { type: 'association', name }, seHeader, hostKeys, verify: false, hostPointCache });
 * }
 * ```
 */
export class HostPointCache {
  readonly config: HostPointCacheConfig;
  /** Insertion order is recency order: a use moves the entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private built = 0;

  constructor(config: Partial<HostPointCacheConfig> = {}) {
    this.config = { ...DEFAULTS, ...config };
  }

  /** How many tables are built now (for tests and benchmarks). */
  get tables(): number {
    return this.built;
  }

  private evict(): void {
    const { maxTables, maxTracked } = this.config;
    for (const [k, e] of this.entries) {
      if (this.built <= maxTables && this.entries.size <= maxTracked) return;
      if (e.point || this.entries.size > maxTracked) {
        if (e.point) this.built--;
        this.entries.delete(k);
      }
    }
  }

  /**
   * A backend's own import of host point `q` (133 bytes, already checked), made once by
   * `make` and kept with `q`'s entry while the cache tracks it: the node backend keeps
   * its OpenSSL key object here, so a batch imports each host key once. Not a use.
   */
  imported<T>(q: Uint8Array, make: () => T): T {
    const key = toHex(q);
    let e = this.entries.get(key);
    if (!e) {
      e = { uses: 0 };
      this.entries.set(key, e);
      this.evict();
    }
    e.imported ??= make();
    return e.imported as T;
  }

  /**
   * Counts one use of host point `q` (133 bytes, already checked to be on the curve).
   * Returns the 66-byte x coordinate of `d·q` through its table when `q` has one,
   * otherwise undefined: the caller then uses its own ECDH.
   */
  ecdhX(d: Uint8Array, q: Uint8Array): Uint8Array | undefined {
    const key = toHex(q);
    let e = this.entries.get(key);
    if (e) this.entries.delete(key);
    else e = { uses: 0 };
    this.entries.set(key, e);
    e.uses++;
    if (!e.point && e.uses >= this.config.afterUses) {
      e.point = nobleP521().Point.fromBytes(q).precompute(this.config.window, false);
      this.built++;
    }
    this.evict();
    if (!e.point) return undefined;
    const { Fn, Fp } = nobleP521().Point;
    const x = e.point.multiply(Fn.fromBytes(d)).toAffine().x;
    const out = Fp.toBytes(x);
    return out.length === P521_SCALAR_SIZE ? out : undefined;
  }
}
