import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type HubDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import {
  createPostgresTestDatabase,
  createSqliteTestDatabase,
  type TestDatabase,
} from '../helpers/database.js';
import { describeSchema, type TableShape } from '../helpers/schema.js';

/**
 * The same migrations must give both databases the same tables and columns. Types differ by
 * design (db/migration-helpers.ts): PostgreSQL's boolean is SQLite's integer 0/1, and its
 * timestamptz is SQLite's ISO-8601 text; everything else must match by name.
 */
const SQLITE_TYPE_FOR_POSTGRES: Readonly<Record<string, string>> = {
  int4: 'integer',
  int8: 'bigint',
  float8: 'double precision',
  bool: 'integer',
  timestamptz: 'text',
  text: 'text',
  varchar: 'varchar',
  bpchar: 'char',
};

function sqliteTypeFamily(type: string): string {
  return type.replace(/\(.*\)$/, '');
}

function comparable(tables: TableShape[], kind: 'sqlite' | 'postgres') {
  return tables.map((table) => ({
    name: table.name,
    columns: table.columns.map((column) => ({
      ...column,
      type:
        kind === 'postgres'
          ? (SQLITE_TYPE_FOR_POSTGRES[column.type] ?? `unmapped postgres type ${column.type}`)
          : sqliteTypeFamily(column.type),
    })),
  }));
}

// Scenario: a team develops on SQLite and deploys on PostgreSQL; the schemas must not drift.
describe.skipIf(!process.env.TEST_DATABASE_URL)('schema parity of SQLite and PostgreSQL', () => {
  const created: TestDatabase[] = [];
  const opened: HubDatabase[] = [];
  let sqlite: HubDatabase;
  let postgres: HubDatabase;
  beforeAll(async () => {
    created.push(createSqliteTestDatabase(), await createPostgresTestDatabase());
    for (const testDatabase of created) opened.push(await openDatabase(testDatabase.config));
    [sqlite, postgres] = opened as [HubDatabase, HubDatabase];
    await migrateToLatest(sqlite.db);
    await migrateToLatest(postgres.db);
  });
  afterAll(async () => {
    for (const database of opened) await database.close();
    for (const testDatabase of created) await testDatabase.drop();
  });

  it('has the same tables and columns, nullability and defaults on both', async () => {
    const sqliteTables = comparable(await describeSchema(sqlite.db), 'sqlite');
    const postgresTables = comparable(await describeSchema(postgres.db), 'postgres');
    expect(postgresTables.map((table) => table.name)).toContain('identity.users');
    expect(sqliteTables).toEqual(postgresTables);
  });

  it('creates one PostgreSQL schema per module', async () => {
    const schemas = await postgres.db.introspection.getSchemas();
    expect(schemas.map((schema) => schema.name)).toEqual(
      expect.arrayContaining(['identity', 'market', 'margin', 'returns', 'credit']),
    );
  });
});
