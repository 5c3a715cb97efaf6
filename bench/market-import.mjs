// `node bench/market-import.mjs` (after `npm run build`; `npm run bench` runs it too): issue 4,
// acceptance 5. Imports all of MARKET_DATA_DIR (default ../shared/data: 8 price files, 3 rate
// files) into a fresh SQLite file and a fresh PostgreSQL database, 5 runs each, timing the
// import itself (reading the files, parsing, checking and storing, all committed) on a migrated
// database. Targets: SQLite under 5 s, PostgreSQL under 15 s. PostgreSQL runs when
// TEST_DATABASE_URL (or BENCH_DATABASE_URL) points at a server. Writes
// bench/results/market-import.json.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { machine, quantile } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'packages/server/dist');
const RUNS = 5;
const TARGET_MS = { sqlite: 5_000, postgres: 15_000 };
const dataDir = path.resolve(root, process.env.MARKET_DATA_DIR ?? '../shared/data');
const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? '';

if (!fs.existsSync(path.join(dist, 'modules/market/service.js'))) {
  console.error('bench: build first (npm run build)');
  process.exit(1);
}
/** @param {string} file */
const load = (file) => import(pathToFileURL(path.join(dist, file)).href);
const { openDatabase } = await load('db/database.js');
const { migrateToLatest } = await load('db/migrator.js');
const { readMarketDataDir } = await load('modules/market/data-dir.js');
const { marketRepository } = await load('modules/market/repository.js');
const { createMarketService } = await load('modules/market/service.js');

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** @param {{ kind: 'sqlite', file: string } | { kind: 'postgres', url: string }} config */
async function importOnce(config) {
  const database = await openDatabase(config);
  try {
    await migrateToLatest(database.db);
    const service = createMarketService({
      repository: marketRepository(database.db),
      clock: () => new Date(),
      sources: [],
      log: quiet,
    });
    const started = performance.now();
    const result = await service.importFiles(await readMarketDataDir(dataDir), {
      source: 'csv-dir',
      trackFileHash: true,
    });
    const elapsedMs = performance.now() - started;
    const rows = result.files.reduce(
      (/** @type {number} */ sum, /** @type {{ rows_inserted: number }} */ file) =>
        sum + file.rows_inserted,
      0,
    );
    return { elapsedMs, files: result.files.length, rows };
  } finally {
    await database.close();
  }
}

async function sqliteRun() {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'umbrella-bench-market-'));
  try {
    return await importOnce({ kind: 'sqlite', file: path.join(folder, 'bench.sqlite3') });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

async function postgresRun() {
  const name = `umbrella_bench_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  try {
    return await importOnce({ kind: 'postgres', url: url.toString() });
  } finally {
    const cleanup = new pg.Client({ connectionString: postgresUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`);
    await cleanup.end();
  }
}

/** @param {'sqlite' | 'postgres'} kind @param {() => Promise<{ elapsedMs: number, files: number, rows: number }>} run */
async function measure(kind, run) {
  const runs = [];
  for (let index = 0; index < RUNS; index += 1) runs.push(await run());
  const times = runs.map((entry) => entry.elapsedMs).sort((a, b) => a - b);
  const median = quantile(times, 0.5);
  return {
    runs: RUNS,
    files: runs[0]?.files,
    rows: runs[0]?.rows,
    medianMs: median,
    minMs: times[0],
    maxMs: times.at(-1),
    targetMs: TARGET_MS[kind],
    withinTarget: median < TARGET_MS[kind],
  };
}

const results = {
  benchmark: 'market-import',
  date: new Date().toISOString(),
  machine: machine(),
  dataDir: path.relative(root, dataDir),
  sqlite: await measure('sqlite', sqliteRun),
  postgres:
    postgresUrl === ''
      ? { skipped: 'set TEST_DATABASE_URL (or BENCH_DATABASE_URL) to a PostgreSQL server' }
      : await measure('postgres', postgresRun),
};
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench/results/market-import.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);
console.log(JSON.stringify(results, null, 2));
