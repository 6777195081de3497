/**
 * The test suites CI runs: `npm test` (fast) and `npm run test:slow` (the large sweeps) together hold
 * every test file exactly once, and .ci/sum-reports.cjs adds their JSON reports into the one
 * "N passed, N failed" line, counting a suite that did not run as failed.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = process.cwd();

/** The test files vitest itself selects with a config (vitest list). */
function filesOf(config: string): string[] {
  const r = spawnSync(join(root, 'node_modules', '.bin', 'vitest'), ['list', '--filesOnly', '--json', '--config', config], { cwd: root, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as Array<{ file: string }>).map((f) => relative(root, f.file)).sort();
}

function allTestFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allTestFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
}

describe('test suites', () => {
  it('npm test, npm run test:slow and npm run test:browser hold every test file exactly once; the large sweeps are in the slow one', () => {
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts.test).toBe('vitest run');
    expect(scripts['test:slow']).toBe('vitest run --config vitest.slow.config.ts');
    expect(scripts['test:browser']).toBe('vitest run --config vitest.browser.config.ts');
    const fast = filesOf('vitest.config.ts');
    const slow = filesOf('vitest.slow.config.ts');
    const browser = filesOf('vitest.browser.config.ts');
    expect(slow).toEqual(['test/slow/bundled-scenarios.test.ts', 'test/slow/calibration-acceptance.test.ts', 'test/slow/calibration.test.ts', 'test/slow/help-examples.test.ts', 'test/slow/readme-examples.test.ts', 'test/slow/sorting.test.ts', 'test/slow/sql-default-city.test.ts']);
    expect(browser.length).toBeGreaterThan(0);
    expect(browser.every((f) => f.startsWith('test/browser/'))).toBe(true);
    const all = [...fast, ...slow, ...browser].sort();
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(allTestFiles('test').sort());
    expect(fast.length).toBeGreaterThan(40);
  }, 60_000);

  it('sums the suites\' JSON reports into one line; a suite that did not run, or a file that did not load, is a failure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mobiseg-ci-'));
    const sum = (...suites: string[]) => spawnSync(process.execPath, [join(root, '.ci', 'sum-reports.cjs'), dir, ...suites], { encoding: 'utf8' });
    writeFileSync(join(dir, 'test.json'), JSON.stringify({ numPassedTests: 7, numFailedTests: 0, testResults: [{ status: 'passed', assertionResults: [{}] }] }));
    writeFileSync(join(dir, 'test-slow.json'), JSON.stringify({ numPassedTests: 2, numFailedTests: 0, testResults: [] }));
    const ok = sum('test', 'test:slow');
    expect(ok.status).toBe(0);
    expect(ok.stdout.trim().split('\n').at(-1)).toBe('9 passed, 0 failed');
    // a failed test, and a test file that failed to load (no assertions)
    writeFileSync(join(dir, 'test-slow.json'), JSON.stringify({ numPassedTests: 1, numFailedTests: 1, testResults: [{ status: 'failed', assertionResults: [] }, { status: 'failed', assertionResults: [{}, {}] }] }));
    const bad = sum('test', 'test:slow');
    expect(bad.status).toBe(1);
    expect(bad.stdout.trim().split('\n').at(-1)).toBe('8 passed, 2 failed');
    // test:browser wrote no report
    const missing = sum('test', 'test:browser');
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain('npm run test:browser: no report');
    expect(missing.stdout.trim().split('\n').at(-1)).toBe('7 passed, 1 failed');
  });

  it('.ci/run runs each suite with its own report and sums them', () => {
    const script = readFileSync(join(root, '.ci', 'run'), 'utf8');
    expect(script).toMatch(/suites=\(test test:slow\)/);
    expect(script).toMatch(/scripts\["test:browser"\][^\n]*; then\n\s+suites\+=\(test:browser\)/);
    expect(script).toMatch(/npm run "\$suite" -- --reporter=default --reporter=json --outputFile\.json="\.ci-results\/\$\{suite\/\/:\/-\}\.json"/);
    expect(script).toMatch(/node \.ci\/sum-reports\.cjs \.ci-results "\$\{suites\[@\]\}" \|\| status=1\nexit \$status\n$/);
  });
});
