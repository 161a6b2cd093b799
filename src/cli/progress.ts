/**
 * A progress bar on stderr for long runs: drawn only on a terminal, and only once the
 * work has taken more than a moment, so quick runs and logs stay clean.
 *
 * @module
 */

/** Options of {@link progressBar}. */
export interface ProgressOptions {
  /** What is counted, e.g. `requests`. */
  readonly label: string;
  /** Draw only after this many milliseconds (default 400). */
  readonly delayMs?: number;
  /** Clock in milliseconds (default `Date.now`). */
  readonly now?: () => number;
  /** Bar width in characters (default 30). */
  readonly width?: number;
}

/** A progress bar: call `update` after each step and `finish` at the end (or on failure). */
export interface ProgressBar {
  update(done: number, total: number): void;
  finish(): void;
  /** True once the bar has been drawn. */
  readonly shown: boolean;
}

/** A progress bar on `tty` (stderr when it is a terminal; nothing is drawn without one). */
export function progressBar(tty: { write(chunk: string): unknown } | undefined, o: ProgressOptions): ProgressBar {
  const now = o.now ?? Date.now;
  const start = now();
  const delay = o.delayMs ?? 400;
  const width = o.width ?? 30;
  let shown = false;
  return {
    update(done, total) {
      if (!tty || total <= 0 || now() - start < delay) return;
      const filled = Math.round((width * done) / total);
      tty.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${o.label}`);
      shown = true;
    },
    finish() {
      if (shown) tty?.write('\r\x1b[K');
    },
    get shown() {
      return shown;
    },
  };
}
