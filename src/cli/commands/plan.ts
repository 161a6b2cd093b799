/**
 * `se-secrets plan PLAN -o DIR [--output-secrets DIR2]`: plans the AP association of an
 * SE guest (see docs/plan.md).
 *
 * @module
 */
import { join, resolve } from 'node:path';
import { planAssociationsFromFile, writePlanFiles } from '../../node/plan.js';
import { getString, type ParsedCommand } from '../args.js';
import { UsageError } from '../errors.js';
import type { Logger } from '../log.js';
import { parseVerifyTime } from '../verification.js';

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
  const result = await planAssociationsFromFile(resolve(getString(c, 'plan') as string), { outputSecrets: secretsDir !== undefined, ...(now ? { now } : {}) });
  for (const w of result.warnings) log.warn(w);
  const shown = result.files.map((f) => join((f.secret ? outputSecrets : output) as string, f.path));
  try {
    await writePlanFiles(result, { dir, ...(secretsDir === undefined ? {} : { secretsDir }) }, { exitOnSignal: true });
  } finally {
    for (const f of result.files) if (f.secret) f.bytes.fill(0);
  }
  const ep11 = result.manifest.queues.filter((q) => q.mode === 'EP11').length;
  log.success(`Successfully planned ${result.manifest.queues.length} AP queue(s) for guest ${result.manifest.guest}: ${ep11} association request(s) in '${output}'`);
  for (const f of shown) log.info(`Wrote '${f}'`);
}
