import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type HubDatabase } from '../../src/db/database.js';
import {
  allMigrations,
  migrateToLatest,
  MigrationError,
  migrationStatus,
  MODULE_MIGRATIONS,
  type ModuleMigrations,
} from '../../src/db/migrator.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { describeSchema } from '../helpers/schema.js';

// Scenario: an operator runs `umbrella migrate` on a new database, runs it again, and later a
// release ships a migration that fails halfway.
describe('migrations', () => {
  let testDatabase: TestDatabase;
  let database: HubDatabase;
  beforeEach(async () => {
    testDatabase = await createTestDatabase();
    database = await openDatabase(testDatabase.config);
  });
  afterEach(async () => {
    await database.close();
    await testDatabase.drop();
  });

  it('applies every module migration once; a second run changes nothing', async () => {
    // Every module's migrations, in the order of their dated names.
    const expected = Object.keys(allMigrations()).sort();
    expect(await migrateToLatest(database.db)).toEqual(expected);
    const schemaAfterFirst = await describeSchema(database.db);
    expect(schemaAfterFirst.map((table) => table.name)).toContain('identity.users');

    expect(await migrateToLatest(database.db)).toEqual([]);
    expect(await describeSchema(database.db)).toEqual(schemaAfterFirst);
    const status = await migrationStatus(database.db);
    expect(status.map((state) => state.name)).toEqual(expected);
    expect(status.every((state) => state.appliedAt !== null)).toBe(true);
  });

  it('a failing migration leaves the database as it was, earlier steps of the run included', async () => {
    await migrateToLatest(database.db);
    const before = await describeSchema(database.db);
    const probe: ModuleMigrations = {
      module: 'probe',
      migrations: {
        '20991231_01_probe_creates_a_table': {
          up: async (db: Kysely<unknown>) => {
            await db.schema
              .createTable('identity.rollback_probe')
              .addColumn('id', 'integer', (c) => c.primaryKey())
              .execute();
          },
        },
        '20991231_02_probe_fails': {
          up: async (db: Kysely<unknown>) => {
            await db.schema
              .alterTable('identity.users')
              .addColumn('half_done', 'integer')
              .execute();
            throw new Error('disk full (simulated)');
          },
        },
      },
    };

    const failure = await migrateToLatest(database.db, [...MODULE_MIGRATIONS, probe]).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).migrationName).toBe('20991231_02_probe_fails');
    expect((failure as MigrationError).message).toBe(
      'migration 20991231_02_probe_fails failed and nothing was applied: disk full (simulated)',
    );

    expect(await describeSchema(database.db)).toEqual(before);
    const status = await migrationStatus(database.db, [...MODULE_MIGRATIONS, probe]);
    expect(status.filter((state) => state.appliedAt === null).map((state) => state.name)).toEqual([
      '20991231_01_probe_creates_a_table',
      '20991231_02_probe_fails',
    ]);
  });
});
