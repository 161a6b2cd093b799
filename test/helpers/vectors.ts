/**
 * The project's own request vectors (test/vectors/, made by scripts/gen-vectors.ts):
 * the manifest format and its translation into createAddSecretRequest options.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CreateAddSecretRequestOptions } from '../../src/request/create.js';
import type { SecretSpec } from '../../src/request/guest-secret.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const VECTOR_DIR = join(ROOT, 'test', 'vectors');

/** A secret as the manifest writes it: bytes as hex, EC keys as a file under test/vectors/. */
export type ManifestSecret =
  | { type: 'meta' }
  | { type: 'association'; name: string; value: string; useName?: boolean }
  | { type: 'retrievable'; kind: 'plain' | 'aes' | 'aes-xts' | 'hmac-sha'; name: string; value: string; useName?: boolean }
  | { type: 'retrievable'; kind: 'ec'; name: string; valueFile: string; useName?: boolean }
  | { type: 'update-cck'; value: string };

export interface ManifestVector {
  /** `<secret>_<extension>_<flags>_<cuid>_<hostkeys>`; absent for error scenarios. */
  file?: string;
  comment: string;
  secret: ManifestSecret;
  extension?: { simple: string } | { cck: string };
  flags?: 'disable-dump' | { pcf: string };
  cuid?: string;
  /** Host-key documents under samples/, in key-slot order. */
  hostKeys: string[];
  userData?: string;
  /** For `--policy` scenarios: what the user data was made from. */
  policy?: { content: string; path: string };
  expected: { outcome: 'ok'; size: number; userDataType: number; secretType: number; secretLength: number } | { outcome: 'error'; code: string };
}

export interface Manifest {
  comment: string;
  inputs: {
    iv: string;
    protectionKey: string;
    /** Raw P-521 scalar of the customer key, 66 bytes. */
    customerPrivateKey: string;
    /** The SE header every vector is bound to (its tags are copied into the request). */
    seHeader: string;
    tags: { pld: string; ald: string; tld: string; tag: string };
  };
  vectors: ManifestVector[];
}

export const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

export function loadManifest(): Manifest {
  return JSON.parse(readFileSync(join(VECTOR_DIR, 'manifest.json'), 'utf8')) as Manifest;
}

export function secretOf(s: ManifestSecret): SecretSpec {
  switch (s.type) {
    case 'meta':
      return s;
    case 'update-cck':
      return { type: 'update-cck', value: hex(s.value) };
    case 'association':
      return { type: 'association', name: s.name, value: hex(s.value), ...(s.useName ? { useName: true } : {}) };
    default: {
      const value = s.kind === 'ec' ? new Uint8Array(readFileSync(join(VECTOR_DIR, s.valueFile))) : hex(s.value);
      return { type: 'retrievable', kind: s.kind, name: s.name, value, ...(s.useName ? { useName: true } : {}) };
    }
  }
}

/** The createAddSecretRequest options of a manifest vector (without backend). */
export function optionsOf(m: Manifest, v: ManifestVector): CreateAddSecretRequestOptions {
  return {
    secret: secretOf(v.secret),
    seHeader: new Uint8Array(readFileSync(join(ROOT, m.inputs.seHeader))),
    hostKeys: v.hostKeys.map((f) => new Uint8Array(readFileSync(join(ROOT, 'samples', f)))),
    verify: false,
    ...(v.extension ? { extensionSecret: 'simple' in v.extension ? { value: hex(v.extension.simple) } : { cck: hex(v.extension.cck) } } : {}),
    ...(v.flags ? { flags: v.flags === 'disable-dump' ? { disableDump: true } : BigInt(`0x${v.flags.pcf}`) } : {}),
    ...(v.cuid ? { cuid: hex(v.cuid) } : {}),
    ...(v.userData !== undefined ? { userData: hex(v.userData) } : {}),
    deterministic: { iv: hex(m.inputs.iv), protectionKey: hex(m.inputs.protectionKey), customerPrivateKey: hex(m.inputs.customerPrivateKey) },
  };
}
