import { configDefaults, defineConfig } from 'vitest/config';

/**
 * `npm test`: the fast suite (under 2 minutes and 2 GB on the project's 2-core machine). The large
 * sweeps (test/slow/**: the 382-MSA calibration, the residential-sorting sweep) run with
 * `npm run test:slow` (vitest.slow.config.ts); CI runs both (.ci/run).
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the large sweeps (test/slow) and the browser suite, which needs chromium (test/browser), have their
    // own configs: vitest.slow.config.ts (npm run test:slow) and vitest.browser.config.ts (npm run test:browser)
    exclude: [...configDefaults.exclude, 'test/slow/**', 'test/browser/**'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: a single worker on the project's 2-core
    // machine. Two forks (about 0.45 GB each at their peak) use both cores.
    maxWorkers: 2,
    // the JSON report gives CI its pass/fail counts (.ci/run)
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
  },
});
