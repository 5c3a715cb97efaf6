import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

// A port of its own per run (unless E2E_PORT says), so that a hub or another run already on a
// fixed port cannot make the suite fail; chosen once and passed on like the folder below.
process.env.E2E_PORT ??= String(randomInt(20_000, 40_000));
const port = Number(process.env.E2E_PORT);

// The config is evaluated by the runner and again by each worker: make the database folder once
// and pass it on through the environment so every evaluation agrees on it.
const dataDir =
  process.env.UMBRELLA_E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'umbrella-e2e-'));
process.env.UMBRELLA_E2E_DATA_DIR = dataDir;

export default defineConfig({
  testDir: 'e2e',
  forbidOnly: Boolean(process.env.CI),
  // Journeys start a hub of their own and hash passwords with argon2: give them room on 2 cores.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: '.ci-out/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        headless: true,
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    command: 'node packages/server/dist/main.js',
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${path.join(dataDir, 'e2e.sqlite3')}`,
      LOG_LEVEL: 'warn',
      // Journeys never reach the internet: prices come from MARKET_DATA_DIR and uploads only.
      MARKET_DATA_PROVIDERS: 'csv-dir',
      ...(process.env.MARKET_DATA_DIR === undefined
        ? {}
        : { MARKET_DATA_DIR: process.env.MARKET_DATA_DIR }),
    },
  },
});
