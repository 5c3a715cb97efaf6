// Sums the test counts of every runner into the one line CI reads:
// "N passed, N failed, N skipped". A runner without a report counts as one failure, and so does
// each failed step that has no tests of its own (install, check), so the line never says
// "0 failed" for a red run. Exit code 1 when anything failed.
import fs from 'node:fs';

const [vitestReport, playwrightReport, nonTestFailures = '0'] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
let missingReports = 0;

/**
 * @param {string | undefined} file
 * @param {string} runner
 * @returns {unknown} the runner's JSON report, or null when it wrote none
 */
function readReport(file, runner) {
  if (file === undefined || !fs.existsSync(file)) {
    console.error(`no ${runner} report at ${String(file)}: counted as one failure`);
    missingReports += 1;
    return null;
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * @typedef {{ numPassedTests: number, numFailedTests: number, numPendingTests: number,
 *   numTodoTests: number, testResults: { status: string, assertionResults: unknown[] }[] }} VitestReport
 * @typedef {{ stats: { expected: number, unexpected: number, flaky: number, skipped: number },
 *   errors?: unknown[] }} PlaywrightReport
 */
const vitest = /** @type {VitestReport | null} */ (readReport(vitestReport, 'Vitest'));
if (vitest !== null) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + vitest.numTodoTests;
  // A suite that failed to load has no failed tests of its own.
  failed += vitest.testResults.filter(
    (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
  ).length;
}

const playwright = /** @type {PlaywrightReport | null} */ (
  readReport(playwrightReport, 'Playwright')
);
if (playwright !== null) {
  passed += playwright.stats.expected + playwright.stats.flaky;
  failed += playwright.stats.unexpected;
  skipped += playwright.stats.skipped;
  failed += playwright.errors?.length ?? 0;
}

// Steps that are not test runs (install, check) count once each when they fail.
failed += missingReports + Number(nonTestFailures);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
