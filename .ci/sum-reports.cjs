// Sum the vitest JSON reports of CI's suites into one "N passed, N failed" line (the last line printed).
// Usage: node .ci/sum-reports.cjs <folder> <suite>...   (suite "test:slow" -> <folder>/test-slow.json)
// A suite without a readable report (it failed to run) counts as one failure, and so does a test file
// that failed to load (no assertions). Exits 1 when anything failed.
const fs = require('fs');
const path = require('path');

const [folder, ...suites] = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const suite of suites) {
  const file = path.join(folder, `${suite.replace(/:/g, '-')}.json`);
  let r;
  try {
    r = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    console.log(`npm run ${suite}: no report (${file}); counted as 1 failed`);
    failed += 1;
    continue;
  }
  const failedFiles = (r.testResults || []).filter((s) => s.status === 'failed' && (s.assertionResults || []).length === 0).length;
  const suiteFailed = (r.numFailedTests || 0) + failedFiles;
  console.log(`npm run ${suite}: ${r.numPassedTests || 0} passed, ${suiteFailed} failed`);
  passed += r.numPassedTests || 0;
  failed += suiteFailed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
