// `node bench/margin-engine.mjs` (after `npm run build`): issue 5, acceptance 5, the engine half.
// 100,000 margin calculations (specs/margin.md B, every field and the scenario table) must take
// under 1 s. The inputs cycle through Long and Short, both account types and both day-count
// bases so that no single path is measured. Median of 5 timed runs after one warm-up run;
// prints the figures and writes bench/results/margin-engine.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { machine, quantile } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const coreEntry = path.join(root, 'packages/core/dist/index.js');
const CALCULATIONS = 100_000;
const RUNS = 5;
const TARGET_MS = 1000;

if (!fs.existsSync(coreEntry)) {
  console.error('bench: build first (npm run build)');
  process.exit(1);
}
const { calculateMargin, validateMarginInputs } = await import(pathToFileURL(coreEntry).href);

// A spread of valid inputs, checked once up front (validation is not what is timed).
/** @type {unknown[]} */
const inputs = [];
for (const position_type of ['Long', 'Short']) {
  for (const account_type of ['reg_t', 'portfolio']) {
    for (const day_count_basis of [365, 360]) {
      for (const leverage of [1, 1.5, 2, 2.5, 3]) {
        const validation = validateMarginInputs({
          ticker: 'SPY',
          investment_amount: 100_000 + leverage * 1234.5,
          leverage,
          current_price: 450.25 + leverage,
          account_type,
          position_type,
          interest_rate: 5.5,
          holding_period: 24,
          day_count_basis,
        });
        if (!validation.ok) throw new Error(JSON.stringify(validation.issues));
        inputs.push(validation.inputs);
      }
    }
  }
}

function run() {
  let checksum = 0;
  const started = performance.now();
  for (let i = 0; i < CALCULATIONS; i += 1) {
    const result = calculateMargin(inputs[i % inputs.length]);
    // Read a result so that the work cannot be skipped.
    checksum += result.display.margin_call_price;
  }
  return { ms: performance.now() - started, checksum };
}

run(); // warm-up: let the JIT settle
/** @type {number[]} */
const times = [];
let checksum = 0;
for (let i = 0; i < RUNS; i += 1) {
  const timed = run();
  times.push(timed.ms);
  checksum = timed.checksum;
}

const medianMs = quantile(times, 0.5);
const results = {
  benchmark: 'margin-engine',
  check: 'issue 5 acceptance 5: 100,000 calculations in the engine under 1 s',
  date: new Date().toISOString(),
  machine: machine(),
  calculations: CALCULATIONS,
  distinctInputs: inputs.length,
  runs: RUNS,
  medianMs,
  maxMs: Math.max(...times),
  calculationsPerSecond: Math.round((CALCULATIONS / medianMs) * 1000),
  targetMs: TARGET_MS,
  withinTarget: medianMs < TARGET_MS,
  checksum,
};
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench/results/margin-engine.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);
console.log(JSON.stringify(results, null, 2));
if (!results.withinTarget) process.exitCode = 1;
