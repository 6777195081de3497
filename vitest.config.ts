import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // the JSON report gives CI its pass/fail counts (.ci/run)
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
  },
});
