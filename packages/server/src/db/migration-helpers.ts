import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely, Migration } from 'kysely';
import { isPostgres } from './database.js';

/** A module's schema on PostgreSQL; SQLite has none (the schema is a table-name prefix there). */
export async function createModuleSchema(db: Kysely<unknown>, schema: string): Promise<void> {
  if (isPostgres(db)) await db.schema.createSchema(schema).ifNotExists().execute();
}

export async function dropModuleSchema(db: Kysely<unknown>, schema: string): Promise<void> {
  if (isPostgres(db)) await db.schema.dropSchema(schema).ifExists().cascade().execute();
}

/** An integer primary key the database assigns (identity on PostgreSQL, rowid on SQLite). */
export function integerIdColumn(db: Kysely<unknown>) {
  return <T extends string>(table: CreateTableBuilder<T>) =>
    table.addColumn('id', 'integer', (column: ColumnDefinitionBuilder) =>
      isPostgres(db)
        ? column.primaryKey().generatedByDefaultAsIdentity()
        : // SQLite's rowid alias cannot be null, but says so only when declared.
          column.notNull().primaryKey().autoIncrement(),
    );
}

/** Timestamps are ISO-8601 UTC: timestamptz on PostgreSQL, text on SQLite (see database.ts). */
export function timestampType(db: Kysely<unknown>): 'timestamptz' | 'text' {
  return isPostgres(db) ? 'timestamptz' : 'text';
}

/** Booleans: boolean on PostgreSQL, 0/1 integers on SQLite. */
export function booleanType(db: Kysely<unknown>): 'boolean' | 'integer' {
  return isPostgres(db) ? 'boolean' : 'integer';
}

/** A migration that creates a module's schema and nothing else. */
export function schemaMigration(schema: string): Migration {
  return {
    up: (db: Kysely<unknown>) => createModuleSchema(db, schema),
    down: (db: Kysely<unknown>) => dropModuleSchema(db, schema),
  };
}
