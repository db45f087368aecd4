import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // CI only: one retry, because the browser tests read the page after an action and a
    // loaded 2-core machine can be a frame late; a test that fails twice still fails.
    retry: process.env.CI ? 1 : 0,
  },
});
