/**
 * Access to the reference's known-answer vectors in ../shared/vectors/upstream.
 * They are never copied into this repository; when the folder is absent (a user's
 * machine) the suites that need them are skipped with a message saying why — except
 * under CI (`CI=true`), where a missing folder fails every file that needs it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const UPSTREAM_DIR = resolve(process.env.SE_SECRETS_UPSTREAM_VECTORS ?? join(here, '../../../shared/vectors/upstream'));
export const HAVE_UPSTREAM = existsSync(join(UPSTREAM_DIR, 'README.md'));
export const UPSTREAM_SKIP_REASON = `upstream vectors not found at ${UPSTREAM_DIR} (they live beside the repository, in ../shared; set SE_SECRETS_UPSTREAM_VECTORS to point elsewhere)`;

if (!HAVE_UPSTREAM && process.env.CI === 'true') {
  throw new Error(`CI=true: the upstream known-answer tests must run, but the ${UPSTREAM_SKIP_REASON}`);
}
if (!HAVE_UPSTREAM) {
  // Visible on every run that lacks them.
  console.warn(`SKIPPING upstream known-answer tests: ${UPSTREAM_SKIP_REASON}`);
}

export function upstream(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(join(UPSTREAM_DIR, rel)));
}

/** The fixed inputs of the reference's request vectors (see the vectors' README). */
export const UPSTREAM_INPUTS = {
  iv: new Uint8Array(12).fill(0x55),
  protectionKey: new Uint8Array(32).fill(0x17),
  tags: {
    pld: new Uint8Array(64).fill(0x01),
    ald: new Uint8Array(64).fill(0x02),
    tld: new Uint8Array(64).fill(0x03),
    tag: new Uint8Array(16).fill(0x04),
  },
  cuid: new Uint8Array(16).fill(0x42),
  associationName: 'add_secret_request',
  associationValue: new Uint8Array(32).fill(0x11),
  extensionSimple: new Uint8Array(32).fill(0x17),
  cck: new Uint8Array(32).fill(0x00),
};
