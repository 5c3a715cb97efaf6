// `npm run bench`: speed figures of the built hub, printed and written to bench/results/.
// Each figure is a median over repeated runs (with p95 where it helps), never a single run.
// Foundation figures: cold start to ready (migrations on a new SQLite file included) and the
// latency of /readyz (a database round trip) and /api/meta over HTTP on loopback.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, quantile, waitUntilReady } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const mainScript = path.join(root, 'packages/server/dist/main.js');
const START_RUNS = 7;
const REQUESTS = 1000;
const PORT = 8090;

/** Starts the server on a new SQLite file; resolves with the time to ready and a stop function. */
async function startServer() {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'umbrella-bench-'));
  const started = performance.now();
  const child = spawn(process.execPath, [mainScript], {
    env: {
      ...process.env,
      PORT: String(PORT),
      DATABASE_URL: `sqlite:${path.join(folder, 'bench.sqlite3')}`,
      LOG_LEVEL: 'error',
      WEB_DIST_DIR: 'none',
    },
    stdio: 'inherit',
  });
  await waitUntilReady(`http://127.0.0.1:${PORT}/readyz`);
  const readyMs = performance.now() - started;
  return {
    readyMs,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** @param {string} url */
async function latency(url) {
  /** @type {number[]} */
  const samples = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    const started = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    samples.push(performance.now() - started);
  }
  return {
    requests: REQUESTS,
    medianMs: quantile(samples, 0.5),
    p95Ms: quantile(samples, 0.95),
  };
}

if (!fs.existsSync(mainScript)) {
  console.error('bench: build first (npm run build)');
  process.exit(1);
}

/** @type {number[]} */
const startTimes = [];
for (let run = 0; run < START_RUNS; run += 1) {
  const server = await startServer();
  startTimes.push(server.readyMs);
  await server.stop();
}

const server = await startServer();
const readyz = await latency(`http://127.0.0.1:${PORT}/readyz`);
const meta = await latency(`http://127.0.0.1:${PORT}/api/meta`);
await server.stop();

const results = {
  benchmark: 'foundation',
  date: new Date().toISOString(),
  machine: machine(),
  coldStartToReadyMs: {
    runs: START_RUNS,
    median: quantile(startTimes, 0.5),
    max: Math.max(...startTimes),
  },
  readyzLatency: readyz,
  metaLatency: meta,
};
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench/results/foundation.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);
console.log(JSON.stringify(results, null, 2));

// Market data import (issue 4, acceptance 5): its own figures in bench/results/market-import.json.
await import('./market-import.mjs');

// Sign-in timing of unknown, wrong and unusable accounts (identity A-01): bench/results/identity-login-timing.json.
await import('./identity-login-timing.mjs');
