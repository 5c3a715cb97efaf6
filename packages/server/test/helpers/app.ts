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

/** The app on a fresh database of this project's kind, as buildApp() makes it for production. */
export async function createTestHub(
  options: Pick<BuildAppOptions, 'migrate'> & {
    beforeReady?: (app: FastifyInstance) => void | Promise<void>;
  } = {},
): Promise<TestHub> {
  const testDatabase = await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: testDatabase.url,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    WEB_DIST_DIR: 'none',
  });
  const database = await openDatabase(config.database);
  const app = await buildApp(config, {
    database,
    ...(options.migrate === undefined ? {} : { migrate: options.migrate }),
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
