import { sql, type Kysely } from 'kysely';
import { timestampType } from '../../../db/migration-helpers.js';
import type { MarketTables } from '../tables.js';

/** The empty store's dataset version: the first 16 hex digits of SHA-256 of nothing. */
export const EMPTY_DATASET_VERSION = 'e3b0c44298fc1c14';

/**
 * Daily bars, rate series, the symbol catalog and the dataset version (issue 4). Days are ISO
 * text; prices are double precision, so a parsed value is stored and read back unchanged.
 * Single-column keys say NOT NULL, which SQLite does not imply for them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const timestamp = timestampType(db);
  await db.schema
    .createTable('market.symbols')
    .addColumn('symbol', 'varchar(16)', (c) => c.notNull().primaryKey())
    .addColumn('name', 'varchar(200)')
    .addColumn('first_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('last_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('bar_count', 'integer', (c) => c.notNull())
    .addColumn('dividend_count', 'integer', (c) => c.notNull())
    .addColumn('source', 'varchar(16)', (c) =>
      c.notNull().check(sql`source in ('import', 'csv-dir', 'fmp', 'stooq')`),
    )
    .addColumn('imported_at', timestamp, (c) => c.notNull())
    .addColumn('content_hash', 'char(64)', (c) => c.notNull())
    .addColumn('file_hash', 'char(64)')
    .execute();
  await db.schema
    .createTable('market.daily_bars')
    .addColumn('symbol', 'varchar(16)', (c) =>
      c.notNull().references('market.symbols.symbol').onDelete('cascade'),
    )
    .addColumn('date', 'varchar(10)', (c) => c.notNull())
    .addColumn('open', 'double precision')
    .addColumn('high', 'double precision')
    .addColumn('low', 'double precision')
    .addColumn('close', 'double precision', (c) => c.notNull())
    .addColumn('adj_close', 'double precision', (c) => c.notNull())
    .addColumn('volume', 'bigint')
    .addColumn('dividend', 'double precision', (c) => c.notNull())
    .addColumn('split', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('market_daily_bars_pkey', ['symbol', 'date'])
    .execute();
  await db.schema
    .createTable('market.rate_series')
    .addColumn('series', 'varchar(16)', (c) =>
      c
        .notNull()
        .primaryKey()
        .check(sql`series in ('EFFR', 'FEDFUNDS', 'TB3MS')`),
    )
    .addColumn('first_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('last_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('point_count', 'integer', (c) => c.notNull())
    .addColumn('imported_at', timestamp, (c) => c.notNull())
    .addColumn('content_hash', 'char(64)', (c) => c.notNull())
    .addColumn('file_hash', 'char(64)')
    .execute();
  await db.schema
    .createTable('market.rate_points')
    .addColumn('series', 'varchar(16)', (c) =>
      c.notNull().references('market.rate_series.series').onDelete('cascade'),
    )
    .addColumn('date', 'varchar(10)', (c) => c.notNull())
    .addColumn('rate_pct', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('market_rate_points_pkey', ['series', 'date'])
    .execute();
  await db.schema
    .createTable('market.dataset')
    .addColumn('id', 'integer', (c) =>
      c
        .notNull()
        .primaryKey()
        .check(sql`id = 1`),
    )
    .addColumn('version', 'varchar(64)', (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .execute();
  // The row exists from the start, so every import only updates it (no insert race).
  await (db as Kysely<MarketTables>)
    .insertInto('market.dataset')
    .values({ id: 1, version: EMPTY_DATASET_VERSION, updated_at: new Date(0).toISOString() })
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('market.dataset').execute();
  await db.schema.dropTable('market.rate_points').execute();
  await db.schema.dropTable('market.rate_series').execute();
  await db.schema.dropTable('market.daily_bars').execute();
  await db.schema.dropTable('market.symbols').execute();
}
