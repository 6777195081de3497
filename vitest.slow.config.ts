import { defineConfig } from 'vitest/config';

/**
 * `npm run test:slow`: the large sweeps kept out of `npm test` for its speed (test/slow/**): the
 * 382-MSA calibration (about 90 s and 7 GB), the residential-sorting sweep over seeds, and the examples of
 * the README and of the top-level --help run as written. One file at a time, so two sweeps never hold their memory together.
 */
export default defineConfig({
  test: {
    include: ['test/slow/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results-slow.json' },
  },
});
