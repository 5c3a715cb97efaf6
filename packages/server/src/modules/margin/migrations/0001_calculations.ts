import { sql, type Kysely } from 'kysely';
import { integerIdColumn, timestampType } from '../../../db/migration-helpers.js';

/**
 * The calculator history (issue 5). A user's rows go with the user (hard deletion also removes
 * them through the user-data store first, in the same transaction).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('margin.calculations')
    .$call(integerIdColumn(db))
    .addColumn('user_id', 'integer', (c) =>
      c.notNull().references('identity.users.id').onDelete('cascade'),
    )
    .addColumn('ticker', 'varchar(16)', (c) => c.notNull())
    .addColumn('position_type', 'varchar(8)', (c) =>
      c.notNull().check(sql`position_type in ('Long', 'Short')`),
    )
    .addColumn('account_type', 'varchar(16)', (c) =>
      c.notNull().check(sql`account_type in ('reg_t', 'portfolio')`),
    )
    .addColumn('investment_amount', 'double precision', (c) => c.notNull())
    .addColumn('leverage', 'double precision', (c) => c.notNull())
    .addColumn('price', 'double precision', (c) => c.notNull())
    .addColumn('price_origin', 'varchar(8)', (c) =>
      c.notNull().check(sql`price_origin in ('typed', 'quote')`),
    )
    .addColumn('price_source', 'varchar(16)')
    .addColumn('price_as_of', 'varchar(10)')
    .addColumn('margin_call_price', 'double precision')
    .addColumn('total_interest', 'double precision', (c) => c.notNull())
    .addColumn('inputs', 'text', (c) => c.notNull())
    .addColumn('results', 'text', (c) => c.notNull())
    .addColumn('created_at', timestampType(db), (c) => c.notNull())
    .addColumn('created_day', 'varchar(10)', (c) => c.notNull())
    .execute();
  // My history, newest first, optionally for one ticker.
  await db.schema
    .createIndex('margin_calculations_user_created')
    .on('margin.calculations')
    .columns(['user_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('margin_calculations_user_ticker_created')
    .on('margin.calculations')
    .columns(['user_id', 'ticker', 'created_at', 'id'])
    .execute();
  // The admin counts per day.
  await db.schema
    .createIndex('margin_calculations_day')
    .on('margin.calculations')
    .column('created_day')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('margin.calculations').ifExists().execute();
}
