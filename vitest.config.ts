import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Timeouts guard against hangs; they do not measure speed (bench/ does). On a 2-core
    // machine shared with other CPU-bound work, a test that takes 5 s idle (a guest session
    // of a few hundred bash processes, a dozen CLI runs, Chromium) takes ten times that.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // expect.poll returns as soon as the page shows the answer; this is only how long to wait.
    expect: { poll: { timeout: 60_000 } },
    // One process per test file: in-process CLI runs change the working directory and the
    // environment. Workers: the default, cores - 1 (one on this machine).
    pool: 'forks',
  },
});
