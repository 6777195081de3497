/**
 * Debian's chromium driven by playwright-core (no browser download). Where it is missing the suite
 * fails with the command that installs it: a browser test that cannot run must never pass.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The browser's path: Debian's package, or CHROMIUM_PATH where it lives elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need chromium, and there is none at ${CHROMIUM_PATH}. Install it with:\n\n    apt-get install -y chromium\n\n` +
        '(or set CHROMIUM_PATH to a Chromium binary), then run npm run test:browser again.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
}
