import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.js';

export interface TestDatabase {
  readonly config: DatabaseConfig;
  /** The DATABASE_URL a child process would be given. */
  readonly url: string;
  drop(): Promise<void>;
}

export type TestDatabaseKind = 'sqlite' | 'postgres';

/** Which database this test project runs on (vitest.config.ts sets HUB_TEST_DATABASE). */
export function testDatabaseKind(): TestDatabaseKind {
  return process.env.HUB_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
}

export function postgresServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (url === undefined || url === '') {
    throw new Error('TEST_DATABASE_URL is not set: the PostgreSQL suites need a server');
  }
  return url;
}

/** A fresh SQLite file in its own temporary folder. */
export function createSqliteTestDatabase(): TestDatabase {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'umbrella-test-'));
  const file = path.join(folder, 'hub.sqlite3');
  return {
    config: { kind: 'sqlite', file },
    url: `sqlite:${file}`,
    drop: () => fs.promises.rm(folder, { recursive: true, force: true }),
  };
}

/** A fresh PostgreSQL database on the TEST_DATABASE_URL server, dropped afterwards. */
export async function createPostgresTestDatabase(): Promise<TestDatabase> {
  const serverUrl = postgresServerUrl();
  const name = `umbrella_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.toString() },
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export function createTestDatabase(
  kind: TestDatabaseKind = testDatabaseKind(),
): Promise<TestDatabase> {
  return kind === 'postgres'
    ? createPostgresTestDatabase()
    : Promise.resolve(createSqliteTestDatabase());
}
