/**
 * The YAML `pvattest verify -o` and `pvattest check` write (serde_yaml 0.9 over the
 * reference's `AttestationResult` and `CheckResult`): bytes as `0x` + hex, each scalar
 * styled as serde_yaml styles it — so `cuid: '0x…'` is single-quoted (it would read back
 * as an integer), which is what `pvsecret create --cuid` and `se-secrets create --cuid` read.
 *
 * Source: s390-tools `rust/pvattest/src/additional.rs`, `cmd/check.rs`, `rust/utils/src/hexslice.rs`.
 *
 * @module
 */
import { toHex } from '../internal/bytes.js';
import { yamlMappingValue } from '../internal/yaml-scalar.js';
import type { CheckAttestationResult } from './check.js';
import type { AttestationResult } from './verify.js';

const scalar = (s: string) => yamlMappingValue(s).text;
const hexValue = (b: Uint8Array) => scalar(`0x${toHex(b)}`);

/** The verification result as `pvattest verify --format yaml -o FILE` writes it. */
export function attestationResultYaml(r: AttestationResult): string {
  const lines = [`cuid:${hexValue(r.cuid)}`];
  if (r.additionalData) {
    lines.push(`add:${hexValue(r.additionalData)}`);
    const a = r.additional ?? {};
    const fields = [
      ['image_phkh', a.imagePhkh],
      ['attestation_phkh', a.attestationPhkh],
      ['secret_store_hash', a.secretStoreHash],
      ['firmware_state', a.firmwareState],
      ['unrecognized', a.unrecognized],
    ] as const;
    const present = fields.filter(([, v]) => v !== undefined);
    if (present.length === 0) lines.push('add_fields: {}');
    else {
      lines.push('add_fields:');
      for (const [k, v] of present) lines.push(`  ${k}:${hexValue(v as Uint8Array)}`);
    }
  }
  if (r.userData) lines.push(`user_data:${hexValue(r.userData)}`);
  return `${lines.join('\n')}\n`;
}

/** The check result as `pvattest check` writes it; `names` label the host-key documents and secrets (file paths). */
export function checkResultYaml(r: CheckAttestationResult, names: { hostKeyDocuments?: readonly string[]; secrets?: readonly string[] } = {}): string {
  const lines = [`successful: ${r.successful}`];
  if (r.issues.length > 0) {
    lines.push('issues:');
    for (const i of r.issues) lines.push(`-${scalar(i)}`);
  }
  for (const [key, hk] of [['image_host_key', r.imageHostKey], ['attest_host_key', r.attestHostKey]] as const) {
    if (hk.match === undefined && !hk.checkEnforced) continue;
    lines.push(`${key}:`, `  check_enforced: ${hk.checkEnforced}`);
    if (hk.match !== undefined) lines.push(`  hash:${scalar(names.hostKeyDocuments?.[hk.match] ?? `host-key document #${hk.match + 1}`)}`);
  }
  if (r.userData) lines.push(`user_data:${hexValue(r.userData)}`);
  if (r.secretStore) {
    const s = names.secrets ?? [];
    lines.push('secret_store:');
    if (s.length === 0) lines.push('  add_secret_requests: []');
    else {
      lines.push('  add_secret_requests:');
      for (const n of s) lines.push(`  -${scalar(n)}`);
    }
    lines.push(`  locked: ${r.secretStore.locked}`);
  }
  if (r.validFirmware !== undefined) lines.push(`valid_firmware: ${r.validFirmware}`);
  return `${lines.join('\n')}\n`;
}
