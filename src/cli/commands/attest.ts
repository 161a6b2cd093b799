/**
 * `se-secrets attest create | verify | check`: pvattest 2.43's trusted-workstation
 * commands (s390-tools `rust/pvattest/src/cmd/{create,verify,check}.rs`), with its
 * option spellings and exit codes: 0 success, 1 error, 2 the measurement differs
 * (verify) or a policy fails (check). Outputs are written atomically, the protection
 * key with mode 0600, and nothing is written when a step fails.
 *
 * @module
 */
import { type ParsedCommand, getFlag, getList, getString } from '../args.js';
import { readExact, readInput } from '../files.js';
import {
  type AttestationResult,
  type HostKeyCheckPolicy,
  attestationResultYaml,
  checkAttestation,
  checkFirmware,
  checkResultYaml,
  type FirmwareCheckVersion,
  readAttestationResponse,
  createAttestationRequest,
  isSeSecretsError,
  verifyAttestation,
} from '../lib.js';
import type { Logger } from '../log.js';
import { MODE_SECRET, Outputs } from '../output.js';
import { certificateArgs, readHeader, readHostKeys } from './create-inputs.js';

/** pvattest's exit code for a failed attestation (measurement or policy). */
export const EXIT_ATTESTATION_FAILED = 2;
const ARPK_SIZE = 32;
const ADD_DATA = { 'phkh-img': 'imagePhkh', 'phkh-att': 'attestPhkh', 'secret-store-hash': 'secretStoreHash', 'firmware-state': 'firmwareState' } as const;
const hex = (b: Uint8Array) => `0x${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;

async function write(log: Logger, files: (o: Outputs) => Promise<void>): Promise<void> {
  const outputs = new Outputs();
  try {
    await files(outputs);
    await outputs.commit((chunk) => log.streams.out(chunk));
  } catch (e) {
    await outputs.abort();
    throw e;
  }
}

async function runCreate(c: ParsedCommand, log: Logger): Promise<void> {
  const hk = await readHostKeys(
    certificateArgs(c, 'attest create'),
    log,
    'host-key document verification is disabled (--no-verify): the attestation request may NOT be protected. Verify the host-key documents yourself, or use --cert.',
  );
  const flags = Object.fromEntries(getList(c, 'addData').map((f) => [ADD_DATA[f as keyof typeof ADD_DATA], true]));
  const created = await createAttestationRequest({ hostKeys: hk.hostKeys, verify: hk.verify, flags });
  try {
    for (const f of hk.files) log.info(`Use host-key document at '${f}'`);
    const output = getString(c, 'output') as string;
    const arpk = getString(c, 'arpk') as string;
    await write(log, async (o) => {
      await o.file(output, created.exchange, 'attestation request');
      await o.file(arpk, created.protectionKey, 'attestation request protection key', MODE_SECRET);
    });
    log.success('Successfully generated the request');
    log.info(`Wrote the protection key to '${arpk}' (mode 0600): keep it secret, destroy it after 'attest verify'`);
  } finally {
    created.protectionKey.fill(0);
  }
}

function summary(r: AttestationResult): string {
  const lines = ['Config UID:', hex(r.cuid)];
  if (r.additionalData) lines.push('Additional-data:', hex(r.additionalData));
  const a = r.additional;
  if (a) {
    const named = [['Image PHKH', a.imagePhkh], ['Attestation PHKH', a.attestationPhkh], ['Secret store hash', a.secretStoreHash], ['Firmware state', a.firmwareState], ['Unrecognized', a.unrecognized]] as const;
    for (const [name, v] of named) if (v) lines.push(`${name}:`, hex(v));
  }
  if (r.userData) lines.push('user-data:', hex(r.userData));
  return lines.join('\n');
}

async function runVerify(c: ParsedCommand, log: Logger): Promise<number | undefined> {
  const input = getString(c, 'input') as string;
  const exchange = await readInput(input, 'attestation response');
  const seHeader = await readHeader(getString(c, 'hdr') as string, log);
  const protectionKey = await readExact(getString(c, 'arpk') as string, 'attestation request protection key', ARPK_SIZE);
  let result: AttestationResult;
  try {
    result = await verifyAttestation({ exchange, protectionKey, seHeader });
  } catch (e) {
    if (isSeSecretsError(e, 'ERR_ATTESTATION_MISMATCH')) {
      log.error(e.message);
      return EXIT_ATTESTATION_FAILED;
    }
    if (isSeSecretsError(e)) e.message = `'${input}': ${e.message}`;
    throw e;
  } finally {
    protectionKey.fill(0);
  }
  log.success('Attestation measurement verified');
  log.success(summary(result));
  const output = getString(c, 'output');
  const userData = getString(c, 'userData');
  await write(log, async (o) => {
    if (output !== undefined) await o.file(output, attestationResultYaml(result), 'verification result');
    if (userData !== undefined && result.userData) await o.file(userData, result.userData, 'user data');
  });
  if (userData !== undefined && !result.userData) log.warn(`--user-data '${userData}': the response holds no user data; nothing written`);
  return undefined;
}

/** `--firmware`: what the firmware verification service says (the Node transport is loaded only here). */
async function checkFirmwareOf(c: ParsedCommand, response: AttestationResult, log: Logger) {
  const { postFirmwareCheck } = await import('../../node/firmware-check.js');
  const endpoint = getString(c, 'firmwareVerifyUrl');
  const version = Number(getString(c, 'firmwareCheckVersion') ?? '1') as FirmwareCheckVersion;
  const verdict = await checkFirmware(response, { post: (r) => postFirmwareCheck(r), version, ...(endpoint !== undefined ? { endpoint } : {}) });
  if (verdict.valid) log.success(`✓ ${verdict.message}`);
  return verdict;
}

async function runCheck(c: ParsedCommand, log: Logger): Promise<number | undefined> {
  const input = (getString(c, 'input') ?? getString(c, 'inputPos')) as string;
  const output = (getString(c, 'output') ?? getString(c, 'outputPos')) as string;
  const exchange = await readInput(input, 'attestation response');
  const hkdFiles = getList(c, 'hostKeyDocuments');
  const secretFiles = getList(c, 'secret');
  const userData = getString(c, 'userData');
  const locked = getString(c, 'secretStoreLocked');
  let result: ReturnType<typeof checkAttestation>;
  try {
    const response = readAttestationResponse(exchange);
    const firmware = getFlag(c, 'firmware') ? await checkFirmwareOf(c, response, log) : undefined;
    result = checkAttestation(response, {
      ...(firmware ? { firmware } : {}),
      hostKeyDocuments: await Promise.all(hkdFiles.map((f) => readInput(f, 'host-key document'))),
      hostKeyCheck: getList(c, 'hostKeyCheck') as HostKeyCheckPolicy[],
      ...(userData !== undefined ? { userData: await readInput(userData, 'user data') } : {}),
      secrets: await Promise.all(secretFiles.map((f) => readInput(f, 'add-secret request'))),
      ...(locked !== undefined ? { secretStoreLocked: locked === 'true' } : {}),
    });
  } catch (e) {
    if (isSeSecretsError(e) && e.code.startsWith('ERR_ATTESTATION')) e.message = `'${input}': ${e.message}`;
    throw e;
  }
  for (const issue of result.issues) log.warn(`✘ ${issue}`);
  await write(log, (o) => o.file(output, checkResultYaml(result, { hostKeyDocuments: hkdFiles, secrets: secretFiles }), 'check result'));
  if (!result.successful) {
    log.error('the attestation response does not fulfil every policy');
    return EXIT_ATTESTATION_FAILED;
  }
  log.success('✓ The attestation response fulfils every policy');
  return undefined;
}

export async function runAttest(path: readonly ParsedCommand[], log: Logger): Promise<number | undefined> {
  const c = path[2] as ParsedCommand;
  switch (c.spec.name) {
    case 'create':
      await runCreate(c, log);
      return undefined;
    case 'verify':
      return runVerify(c, log);
    default:
      return runCheck(c, log);
  }
}
