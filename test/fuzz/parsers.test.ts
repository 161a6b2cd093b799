/**
 * Fuzzing every parser of untrusted input (see harness.ts for the properties and
 * targets.ts for the table). The only acceptable failure is a `SeSecretsError`.
 */
import { describe, expect, it } from 'vitest';
import { FUZZ_RUNS, fuzzBitFlips, fuzzMutations, fuzzRandomBytes, fuzzTruncations } from './harness.js';
import { targets } from './targets.js';

const TIMEOUT = Math.max(30_000, FUZZ_RUNS * 50);

describe(`fuzz (${FUZZ_RUNS} runs per property; FUZZ_RUNS raises it)`, () => {
  it('every target has a unique name and at least one seed', () => {
    expect(new Set(targets.map((t) => t.name)).size).toBe(targets.length);
    for (const t of targets) expect(t.seeds.length, t.name).toBeGreaterThan(0);
  });

  describe.each(targets.map((t) => [t.name, t] as const))('%s', (_name, target) => {
    it('random bytes', () => fuzzRandomBytes(target), TIMEOUT);

    it(
      'every truncation of every seed',
      async () => {
        const outcomes = await fuzzTruncations(target);
        // the whole seed parses; shorter prefixes end in typed errors
        expect(outcomes.get('ok') ?? 0).toBeGreaterThanOrEqual(1);
      },
      TIMEOUT,
    );

    it('bit flips of the seeds', () => fuzzBitFlips(target), TIMEOUT);

    it('mutations and dictionary splices', () => fuzzMutations(target), TIMEOUT);
  });
});
