// `node bench/identity-login-timing.mjs` (after `npm run build`): A-01 of specs/identity.md, the
// timing half. Sign-in with an unknown email, with a wrong password and for an account whose
// password is unusable must take the same time (median difference < 25 % over 50 tries each), so
// that response time does not tell whether an account exists. Tests never assert on time; this
// prints the figures and writes bench/results/identity-login-timing.json.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { approvedViewerRow, machine, quantile, waitUntilReady } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'packages/server/dist');
const mainScript = path.join(dist, 'main.js');
const TRIES = 50;
const WARM_UP = 9;
const PORT = 8093;
/** A-01's bound on the difference between the medians. */
const TARGET_PERCENT = 25;
const PASSWORD = 'bench correct horse battery 2026';

if (!fs.existsSync(mainScript)) {
  console.error('bench: build first (npm run build)');
  process.exit(1);
}

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'umbrella-bench-login-'));
const databaseUrl = `sqlite:${path.join(folder, 'bench.sqlite3')}`;

// Accounts straight in the database, with the server's own code: one per try, so that the
// per-account lockout (5 failures) never answers instead of the password check.
const { openDatabase } = await import(pathToFileURL(path.join(dist, 'db/database.js')).href);
const { migrateToLatest } = await import(pathToFileURL(path.join(dist, 'db/migrator.js')).href);
const { identityRepository } = await import(
  pathToFileURL(path.join(dist, 'modules/identity/repository.js')).href
);
const { hashPassword } = await import(
  pathToFileURL(path.join(dist, 'modules/identity/passwords.js')).href
);
const database = await openDatabase({ kind: 'sqlite', file: path.join(folder, 'bench.sqlite3') });
await migrateToLatest(database.db);
const users = identityRepository(database.db);
const now = new Date().toISOString();
const realHash = await hashPassword(PASSWORD);
const total = TRIES + WARM_UP;
/** @param {string} email @param {string} password */
async function insertUser(email, password) {
  await users.insertUser(approvedViewerRow(email, password, now));
}
for (let i = 0; i < total; i += 1) {
  await insertUser(`known-${String(i)}@bench.example`, realHash);
  // Django's unusable password: "!" and random characters.
  await insertUser(`unusable-${String(i)}@bench.example`, `!${randomBytes(20).toString('hex')}`);
}
await database.close();

const child = spawn(process.execPath, [mainScript], {
  env: {
    ...process.env,
    PORT: String(PORT),
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'error',
    WEB_DIST_DIR: 'none',
    SECRET_KEY: randomBytes(32).toString('hex'),
    // One client address per try (X-Forwarded-For) keeps the per-IP limits out of the figures.
    TRUST_PROXY: 'true',
  },
  stdio: 'inherit',
});
await waitUntilReady(`http://127.0.0.1:${String(PORT)}/readyz`);

/** @type {Record<string, (i: number) => { email: string, password: string }>} */
const kinds = {
  unknownEmail: (i) => ({ email: `nobody-${String(i)}@bench.example`, password: PASSWORD }),
  wrongPassword: (i) => ({ email: `known-${String(i)}@bench.example`, password: `${PASSWORD}!` }),
  unusablePassword: (i) => ({ email: `unusable-${String(i)}@bench.example`, password: PASSWORD }),
};
const names = Object.keys(kinds);
/** @type {Record<string, number[]>} */
const samples = Object.fromEntries(names.map((name) => [name, []]));
/** @type {Set<string>} */
const answers = new Set();
let address = 0;

/** @param {string} name @param {number} i */
async function signIn(name, i) {
  address += 1;
  const body = JSON.stringify(kinds[name]?.(i));
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${String(PORT)}/api/identity/sessions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': `10.${String(address >> 16)}.${String((address >> 8) & 255)}.${String(address & 255)}`,
    },
    body,
  });
  const text = await response.text();
  const elapsed = performance.now() - started;
  answers.add(`${String(response.status)} ${text}`);
  return elapsed;
}

try {
  for (let i = 0; i < WARM_UP; i += 1) await signIn(names[i % names.length] ?? '', TRIES + i);
  answers.clear();
  // Interleaved, and the order rotates, so that drift on a shared machine hits every kind alike.
  for (let i = 0; i < TRIES; i += 1) {
    for (let k = 0; k < names.length; k += 1) {
      const name = names[(i + k) % names.length] ?? '';
      samples[name]?.push(await signIn(name, i));
    }
  }
} finally {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  fs.rmSync(folder, { recursive: true, force: true });
}

const medians = Object.fromEntries(names.map((name) => [name, quantile(samples[name] ?? [], 0.5)]));
const values = Object.values(medians);
const differencePercent = ((Math.max(...values) - Math.min(...values)) / Math.min(...values)) * 100;
const results = {
  benchmark: 'identity-login-timing',
  check: 'A-01 (specs/identity.md §4.1)',
  date: new Date().toISOString(),
  machine: machine(),
  triesPerKind: TRIES,
  medianMs: medians,
  p95Ms: Object.fromEntries(names.map((name) => [name, quantile(samples[name] ?? [], 0.95)])),
  maxMedianRatio: Math.max(...values) / Math.min(...values),
  maxMedianDifferencePercent: differencePercent,
  targetPercent: TARGET_PERCENT,
  withinTarget: differencePercent < TARGET_PERCENT,
  // A-01's other half (tested in identity-sign-in.test.ts): one status and body for all three.
  distinctAnswers: answers.size,
};
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench/results/identity-login-timing.json'),
  `${JSON.stringify(results, null, 2)}\n`,
);
console.log(JSON.stringify(results, null, 2));
