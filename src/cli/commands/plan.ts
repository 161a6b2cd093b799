/**
 * `se-secrets plan PLAN -o DIR [--output-secrets DIR2] [--attest | --cuid FILE]`: plans
 * the AP association of an SE guest, optionally in two phases around an attestation
 * (see docs/plan.md).
 *
 * @module
 */
import { join, resolve } from 'node:path';
import { planAssociationsFromFile, writePlanFiles } from '../../node/plan.js';
import { getFlag, getString, type ParsedCommand } from '../args.js';
import { UsageError } from '../errors.js';
import { PLAN_FILES } from '../../plan/manifest.js';
import { refuseOnGuest } from '../guest.js';
import type { Logger } from '../log.js';
import { parseVerifyTime } from '../verification.js';
import { readCuid } from './create-inputs.js';

/** Runs `se-secrets plan`. */
export async function runPlan(path: readonly ParsedCommand[], log: Logger): Promise<void> {
  const c = path[1] as ParsedCommand;
  const output = getString(c, 'output') as string;
  const outputSecrets = getString(c, 'outputSecrets');
  const dir = resolve(output);
  const secretsDir = outputSecrets === undefined ? undefined : resolve(outputSecrets);
  if (secretsDir === dir) {
    throw new UsageError('--output-secrets must name another directory than --output (DIR is copied to the guest; keep secret values apart)', ['plan']);
  }
  const time = getString(c, 'verifyTime');
  const now = time === undefined ? undefined : parseVerifyTime(time, ['plan']);
  if (now) log.info(`Verifying as of ${now.toISOString()} (--verify-time)`);
  const attest = getFlag(c, 'attest');
  const cuidFile = getString(c, 'cuid');
  const cuid = await readCuid({ cuid: cuidFile });
  const planFile = getString(c, 'plan') as string;
  await refuseOnGuest(getFlag(c, 'force'), log, attest ? 'an attestation request' : 'add-secret requests');
  const result = await planAssociationsFromFile(resolve(planFile), {
    outputSecrets: secretsDir !== undefined,
    ...(now ? { verifyTime: now } : {}),
    ...(attest ? { attest } : {}),
    ...(cuid ? { cuid } : {}),
  });
  for (const w of result.warnings) log.warn(w);
  const shown = result.files.map((f) => join((f.secret ? outputSecrets : output) as string, f.path));
  try {
    await writePlanFiles(result, { dir, ...(secretsDir === undefined ? {} : { secretsDir }) }, { exitOnSignal: true });
  } finally {
    for (const f of result.files) if (f.secret) f.bytes.fill(0);
  }
  const m = result.manifest;
  if (attest) {
    log.success(`Successfully planned the attestation of guest ${m.guest}: '${join(output, PLAN_FILES.attestationRequest)}', its protection key in '${join(outputSecrets as string, PLAN_FILES.attestationKey)}' (mode 0600; keep it here)`);
  } else {
    const ep11 = m.queues.filter((q) => q.mode === 'EP11').length;
    const bound = m.cuid ? `, bound to the guest instance with CUID ${m.cuid}` : '';
    log.success(`Successfully planned ${m.queues.length} AP queue(s) for guest ${m.guest}: ${ep11} association request(s) in '${output}'${bound}`);
  }
  for (const f of shown) log.info(`Wrote '${f}'`);
  if (attest) {
    log.info(`Next: copy '${output}' into the guest and run ./guest-setup.sh there (pvattest perform); bring '${PLAN_FILES.attestationResponse}' back and run:`);
    log.info(`  se-secrets attest verify -i ${PLAN_FILES.attestationResponse} --hdr <the plan's hdr> --arpk ${join(outputSecrets as string, PLAN_FILES.attestationKey)} --format yaml -o result.yaml`);
    log.info(`  se-secrets plan ${planFile} --cuid result.yaml -o <DIR>`);
  }
}
