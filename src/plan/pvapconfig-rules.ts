/**
 * pvapconfig's own rules, applied at plan time so the guest never meets them
 * (s390-tools 2.43 `rust/pvapconfig/src/{ap.rs,main.rs,config.rs}`):
 *
 * - **one master key per EP11 adapter** (`ApqnList::check_mk_restriction`): pvapconfig
 *   fails the whole run when two EP11 queues of one adapter have the same MKVP. The
 *   MKVP compared is the first 32 hex digits (a 64-digit value is cut to 32, both in the
 *   config file and in what sysfs `mkvps` shows);
 * - **`mingen` is a maximum** (`config_and_apqn_match`): an entry does not match a queue
 *   whose card generation is higher than its `mingen`;
 * - **entries match queues, not APQNs**: an entry matches any queue of its mode (EP11: the
 *   same MKVP, and the same serial number when the entry gives one), so two entries that
 *   can match the same queue may land on each other's queue.
 *
 * @module
 */
import { InputError } from '../errors.js';
import type { NormalizedQueue } from './validate.js';

/** The MKVP pvapconfig compares: the first 32 hex digits, lowercase. */
export function pvapconfigMkvp(mkvp: string): string {
  return mkvp.slice(0, 32);
}

/** The newest card generation; a `mingen` below it excludes newer cards. */
const NEWEST_GENERATION = 8;

const generation = (mingen: string) => Number.parseInt(mingen.slice(3), 10);

/** Whether pvapconfig could match one queue to both entries. */
function canMatchSameQueue(a: NormalizedQueue, b: NormalizedQueue): boolean {
  if (a.mode !== b.mode) return false;
  if (a.mode === 'Accel') return true; // every accelerator entry matches an old enough accelerator
  if (pvapconfigMkvp(a.mkvp ?? '') !== pvapconfigMkvp(b.mkvp ?? '')) return false;
  return a.serialnr === undefined || b.serialnr === undefined || a.serialnr === b.serialnr;
}

/**
 * Checks a plan's queues against pvapconfig's rules. Returns warnings; throws when
 * pvapconfig would refuse to run and the plan uses pvapconfig.
 *
 * @throws InputError `ERR_PLAN` (two EP11 domains of one adapter with the same MKVP)
 */
export function checkPvapconfigRules(queues: readonly NormalizedQueue[], usePvapconfig: boolean): string[] {
  const warnings: string[] = [];
  for (const [j, b] of queues.entries()) {
    for (const [i, a] of queues.slice(0, j).entries()) {
      if (a.mode !== 'EP11' || b.mode !== 'EP11' || a.adapter !== b.adapter) continue;
      if (pvapconfigMkvp(a.mkvp ?? '') !== pvapconfigMkvp(b.mkvp ?? '')) continue;
      const what = `queues[${j}]: ${b.apqn} and ${a.apqn} (queues[${i}]) are EP11 domains of adapter ${b.apqn.slice(0, 2)} with the same MKVP; pvapconfig refuses to run when two EP11 domains of one adapter share a master key`;
      if (usePvapconfig) {
        throw new InputError('ERR_PLAN', `plan: ${what} (give each domain its own EP11 master key, or set pvapconfig: false to bind with chzcrypt only)`);
      }
      warnings.push(`${what}; pvapconfig: false, so the guest binds with chzcrypt only`);
    }
  }
  for (const [i, q] of queues.entries()) {
    if (q.mingen !== undefined && generation(q.mingen) < NEWEST_GENERATION) {
      warnings.push(
        `queues[${i}] (${q.apqn}): mingen ${q.mingen} acts as a maximum in pvapconfig (an entry does not match a card newer than its mingen), so a CEX8 card will not match this entry`,
      );
    }
  }
  if (usePvapconfig) {
    for (const [j, b] of queues.entries()) {
      const others = queues.slice(0, j).filter((a) => canMatchSameQueue(a, b));
      if (others.length === 0) continue;
      const hint = b.mode === 'EP11' ? '; give each entry its card serialnr to pin it to its adapter' : '';
      warnings.push(
        `queues[${j}] (${b.apqn}): pvapconfig matches queues by mode${b.mode === 'EP11' ? ', MKVP and serial number' : ''}, not by APQN, so this entry may land on ${others.map((a) => a.apqn).join(', ')} and ${others.length === 1 ? 'that entry' : 'those entries'} on ${b.apqn}${hint}`,
      );
    }
  }
  return warnings;
}
