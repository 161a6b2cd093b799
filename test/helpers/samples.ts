/** The bundled samples (samples/, made by scripts/gen-samples.ts) for the plan tests. */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { p521ScalarFromPem } from './independent.js';

export const SAMPLES = join(import.meta.dirname, '..', '..', 'samples');
export const sample = (f: string) => new Uint8Array(readFileSync(join(SAMPLES, f)));
export const hostScalar = (n: 1 | 2) => p521ScalarFromPem(readFileSync(join(SAMPLES, `HKD-sample-${n}.key`)));

/** The 133-byte point of a host-key document, read by node:crypto. */
export function hostPoint(pem: Uint8Array): Buffer {
  const jwk = new X509Certificate(Buffer.from(pem)).publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}

/** Runs `p` and returns the error's code (undefined when it resolves). */
export async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return (e as { code?: string }).code ?? `untyped: ${(e as Error).message}`;
  }
  return undefined;
}
