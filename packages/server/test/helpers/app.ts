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
  close(): Promise<void>;
}

/** A fixed test key, so no key file is written; never used outside tests. */
export const TEST_SECRET_KEY = 'test-only-secret-key-not-for-deployment-0123456789';

/**
 * The app on a fresh database of this project's kind, as buildApp() makes it for production.
 * `env` adds settings (SIGNUP_MODE, SMTP_URL, …); `clock` replaces the wall clock.
 */
export async function createTestHub(
  options: Pick<BuildAppOptions, 'migrate' | 'clock'> & {
    env?: Readonly<Record<string, string>>;
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
    ...options.env,
  });
  const database = await openDatabase(config.database);
  const app = await buildApp(config, {
    database,
    ...(options.migrate === undefined ? {} : { migrate: options.migrate }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  await options.beforeReady?.(app);
  await app.ready();
  return {
    app,
    database,
    testDatabase,
    config,
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
