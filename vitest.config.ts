import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the browser suite needs chromium and has its own config (vitest.browser.config.ts, npm run test:browser)
    exclude: [...configDefaults.exclude, 'test/browser/**'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // the JSON report gives CI its pass/fail counts (.ci/run)
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
  },
});
