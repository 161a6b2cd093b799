/**
 * The test suite itself: under CI (`CI=true`) a missing folder of upstream vectors is
 * a failure, not a skip.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ROOT } from './helpers.js';

function loadUpstreamHelper(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', "await import('./test/helpers/upstream.ts')"], {
    cwd: ROOT,
    env: { ...process.env, SE_SECRETS_UPSTREAM_VECTORS: join(ROOT, 'no-such-folder'), ...env },
    encoding: 'utf8',
  });
}

describe.concurrent('missing upstream vectors', () => {
  it('are skipped with a warning on a developer machine', ({ expect }) => {
    const r = loadUpstreamHelper({ CI: '' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/SKIPPING upstream known-answer tests: upstream vectors not found at .*no-such-folder/);
  });

  it('fail under CI=true', ({ expect }) => {
    const r = loadUpstreamHelper({ CI: 'true' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/CI=true: the upstream known-answer tests must run, but the upstream vectors not found at .*no-such-folder/);
  });
});
