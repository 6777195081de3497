import { defineConfig } from 'vitest/config';

/** The browser suite (npm run test:browser): report.html opened from disk in headless Debian chromium. */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-browser-results.json' },
  },
});
