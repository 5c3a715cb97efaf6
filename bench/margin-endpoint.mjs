// `node bench/margin-endpoint.mjs` (after `npm run build`): issue 5, acceptance 5, the endpoint
// half. The built server on a new SQLite file; one signed-in viewer; autocannon sends the seed
// calculation (typed price 450.25) to POST /api/margin/calculations over 50 connections for 10 s,
// every answer a saved history row. Target: at least 2,000 requests/s, zero errors and non-2xx
// answers, p99 latency under 50 ms. Prints the figures and writes
// bench/results/margin-endpoint.json.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { approvedViewerRow, machine, waitUntilReady } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'packages/server/dist');
const mainScript = path.join(dist, 'main.js');
const PORT = 8094;
const CONNECTIONS = 50;
const DURATION_S = 10;
const WARM_UP_S = 2;
const TARGET = { requestsPerSecond: 2000, p99Ms: 50, errors: 0 };
const EMAIL = 'bench.viewer@bench.example';
const PASSWORD = 'bench margin viewer password 2026';
const SEED = {
  ticker: 'SPY',
  investment_amount: 100_000,
  leverage: 2,
  current_price: 450.25,
  account_type: 'reg_t',
  position_type: 'Long',
  interest_rate: 5.5,
  holding_period: 24,
};

if (!fs.existsSync(mainScript)) {
  console.error('bench: build first (npm run build)');
  process.exit(1);
}

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'umbrella-bench-margin-'));
const file = path.join(folder, 'bench.sqlite3');

// The viewer straight in the database, with the server's own code (viewers need no MFA).
const { openDatabase } = await import(pathToFileURL(path.join(dist, 'db/database.js')).href);
const { migrateToLatest } = await import(pathToFileURL(path.join(dist, 'db/migrator.js')).href);
const { identityRepository } = await import(
  pathToFileURL(path.join(dist, 'modules/identity/repository.js')).href
);
const { hashPassword } = await import(
  pathToFileURL(path.join(dist, 'modules/identity/passwords.js')).href
);
{
  const database = await openDatabase({ kind: 'sqlite', file });
  await migrateToLatest(database.db);
  const now = new Date().toISOString();
  await identityRepository(database.db).insertUser(
    approvedViewerRow(EMAIL, await hashPassword(PASSWORD), now),
  );
  await database.close();
}

const child = spawn(
  process.execPath,
  [...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), mainScript],
  {
    env: {
      ...process.env,
      PORT: String(PORT),
      DATABASE_URL: `sqlite:${file}`,
      LOG_LEVEL: 'error',
      WEB_DIST_DIR: 'none',
      SECRET_KEY: randomBytes(32).toString('hex'),
    },
    stdio: 'inherit',
  },
);

/** @param {number} seconds @param {string} cookie */
function runAutocannon(seconds, cookie) {
  return autocannon({
    url: `http://127.0.0.1:${String(PORT)}/api/margin/calculations`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(SEED),
  });
}

let figures;
let savedRows = 0;
try {
  await waitUntilReady(`http://127.0.0.1:${String(PORT)}/readyz`, 20);
  const signIn = await fetch(`http://127.0.0.1:${String(PORT)}/api/identity/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  const setCookie = signIn.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  if (signIn.status !== 200 || cookie === '') {
    throw new Error(`sign-in failed: ${String(signIn.status)} ${await signIn.text()}`);
  }
  const first = await fetch(`http://127.0.0.1:${String(PORT)}/api/margin/calculations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(SEED),
  });
  const calculation = /** @type {{ results: { display: { margin_call_price: number } } }} */ (
    await first.json()
  );
  if (first.status !== 201 || calculation.results.display.margin_call_price !== 300.17) {
    throw new Error(`the seed calculation failed: ${String(first.status)}`);
  }
  await runAutocannon(WARM_UP_S, cookie);
  figures = await runAutocannon(DURATION_S, cookie);
} finally {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

// History written: one row per 201, counted in the file the server wrote.
{
  const database = await openDatabase({ kind: 'sqlite', file });
  const rows = await database.db.selectFrom('margin.calculations').select('id').execute();
  savedRows = rows.length;
  await database.close();
}
fs.rmSync(folder, { recursive: true, force: true });

const errors = figures.errors + figures.timeouts + figures.non2xx;
const results = {
  benchmark: 'margin-endpoint',
  check: 'issue 5 acceptance 5: POST /api/margin/calculations, 50 connections, SQLite',
  date: new Date().toISOString(),
  machine: machine(),
  connections: CONNECTIONS,
  durationSeconds: DURATION_S,
  requests: figures.requests.total,
  requestsPerSecond: figures.requests.average,
  latencyMs: {
    median: figures.latency.p50,
    p90: figures.latency.p90,
    p99: figures.latency.p99,
    max: figures.latency.max,
  },
  errors: figures.errors,
  timeouts: figures.timeouts,
  non2xx: figures.non2xx,
  // Every 201 of the warm-up, the check request and the timed run is a row.
  historyRowsSaved: savedRows,
  target: TARGET,
  withinTarget:
    figures.requests.average >= TARGET.requestsPerSecond &&
    figures.latency.p99 < TARGET.p99Ms &&
    errors === TARGET.errors,
};
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench/results/margin-endpoint.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);
console.log(JSON.stringify(results, null, 2));
if (!results.withinTarget) process.exitCode = 1;
