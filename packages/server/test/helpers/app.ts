import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildAppOptions } from '../../src/app.js';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { openDatabase, type HubDatabase } from '../../src/db/database.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestHub {
  readonly app: FastifyInstance;
  readonly database: HubDatabase;
  readonly testDatabase: TestDatabase;
  readonly config: AppConfig;
  /** Every line the app logged since start-up (JSON text), when created with `captureLogs`. */
  readonly logs: string[];
  close(): Promise<void>;
}

/** A fixed test key, so no key file is written; never used outside tests. */
export const TEST_SECRET_KEY = 'test-only-secret-key-not-for-deployment-0123456789';

/**
 * Sends every line the app's pino logger writes into `lines` instead of stdout. pino keeps its
 * destination under a symbol on the logger (or a prototype of it, for child loggers); request
 * loggers are children, so they share it.
 */
function captureLogLines(app: FastifyInstance, lines: string[]): void {
  let holder: object | null = app.log;
  let key: symbol | undefined;
  while (holder !== null && key === undefined) {
    key = Object.getOwnPropertySymbols(holder).find((sym) => sym.description === 'pino.stream');
    holder = Object.getPrototypeOf(holder) as object | null;
  }
  const stream =
    key === undefined
      ? undefined
      : (app.log as unknown as Record<symbol, { write: (line: string) => void } | undefined>)[key];
  if (stream === undefined) throw new Error('no pino stream on the app logger');
  stream.write = (line: string) => {
    lines.push(line);
  };
}

/**
 * The app on a fresh database of this project's kind, as buildApp() makes it for production.
 * `env` adds settings (SIGNUP_MODE, SMTP_URL, LOG_LEVEL, …); `clock` replaces the wall clock;
 * `captureLogs` keeps the log lines in `hub.logs` (from before start-up ends) instead of stdout.
 */
export async function createTestHub(
  options: Pick<BuildAppOptions, 'migrate' | 'clock'> & {
    env?: Readonly<Record<string, string>>;
    captureLogs?: boolean;
    beforeReady?: (app: FastifyInstance) => void | Promise<void>;
  } = {},
): Promise<TestHub> {
  const testDatabase = await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: testDatabase.url,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    WEB_DIST_DIR: 'none',
    SECRET_KEY: TEST_SECRET_KEY,
    // Tests never reach the internet: only the local csv-dir provider (off without MARKET_DATA_DIR).
    MARKET_DATA_PROVIDERS: 'csv-dir',
    ...options.env,
  });
  const database = await openDatabase(config.database);
  const app = await buildApp(config, {
    database,
    ...(options.migrate === undefined ? {} : { migrate: options.migrate }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const logs: string[] = [];
  if (options.captureLogs === true) captureLogLines(app, logs);
  await options.beforeReady?.(app);
  await app.ready();
  return {
    app,
    database,
    testDatabase,
    config,
    logs,
    async close() {
      await app.close();
      await database.close();
      await testDatabase.drop();
    },
  };
}

/** A clock tests move by hand: `clock.advance(31 * 60_000)`. */
export function manualClock(start = new Date('2026-11-21T09:00:00.000Z')) {
  let now = start.getTime();
  const clock = () => new Date(now);
  return Object.assign(clock, {
    advance(ms: number) {
      now += ms;
    },
    set(at: Date) {
      now = at.getTime();
    },
  });
}
