import type { Insertable, Kysely, Selectable } from 'kysely';
import type { HubTables } from '../../db/tables.js';
import type { CalculationsTable } from './tables.js';

export type CalculationRow = Selectable<CalculationsTable>;
export type NewCalculation = Insertable<CalculationsTable>;
/** A history row without the two JSON documents. */
export type CalculationSummaryRow = Omit<CalculationRow, 'inputs' | 'results'>;

const SUMMARY_COLUMNS = [
  'id',
  'user_id',
  'ticker',
  'position_type',
  'account_type',
  'investment_amount',
  'leverage',
  'price',
  'price_origin',
  'price_source',
  'price_as_of',
  'margin_call_price',
  'total_interest',
  'created_at',
  'created_day',
] as const;

/**
 * margin.calculations, and only that table. Every read and delete of a user's rows is scoped by
 * the user id the caller passes, which routes take from the session only (C-04): another user's
 * row is simply not found (C-03).
 */
export function marginRepository(db: Kysely<HubTables>) {
  return {
    async insert(row: NewCalculation): Promise<number> {
      const inserted = await db
        .insertInto('margin.calculations')
        .values(row)
        .returning('id')
        .executeTakeFirstOrThrow();
      return inserted.id;
    },

    findOwn(userId: number, id: number): Promise<CalculationRow | undefined> {
      return db
        .selectFrom('margin.calculations')
        .selectAll()
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /** Newest first (ties by id, so paging is stable), optionally one ticker. */
    async listOwn(
      userId: number,
      options: { ticker?: string; limit: number; offset: number },
    ): Promise<{ rows: CalculationSummaryRow[]; total: number }> {
      let query = db.selectFrom('margin.calculations').where('user_id', '=', userId);
      if (options.ticker !== undefined) query = query.where('ticker', '=', options.ticker);
      const [rows, count] = await Promise.all([
        query
          .select(SUMMARY_COLUMNS)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(options.limit)
          .offset(options.offset)
          .execute(),
        query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: count.count };
    },

    async deleteOwn(userId: number, id: number): Promise<boolean> {
      const result = await db
        .deleteFrom('margin.calculations')
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    /** Every row of a user, oldest first (the user's export). */
    allOf(userId: number): Promise<CalculationRow[]> {
      return db
        .selectFrom('margin.calculations')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
    },

    /** How many rows a user has and their approximate size (the JSON text is most of it). */
    async sizeOf(userId: number): Promise<{ count: number; bytes: number }> {
      const row = await db
        .selectFrom('margin.calculations')
        .where('user_id', '=', userId)
        .select((eb) => [
          eb.fn.countAll<number>().as('count'),
          eb.fn.sum<number | null>(eb.fn('length', ['results'])).as('results_chars'),
          eb.fn.sum<number | null>(eb.fn('length', ['inputs'])).as('inputs_chars'),
        ])
        .executeTakeFirstOrThrow();
      // JSON of numbers and ASCII names: characters are bytes.
      return {
        count: row.count,
        bytes: (row.results_chars ?? 0) + (row.inputs_chars ?? 0),
      };
    },

    async deleteAllOf(userId: number): Promise<number> {
      const result = await db
        .deleteFrom('margin.calculations')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /** Calculation counts per UTC day (newest first) and per ticker (most first). */
    async counts(): Promise<{
      total: number;
      perDay: { day: string; count: number }[];
      perTicker: { ticker: string; count: number }[];
    }> {
      const [total, perDay, perTicker] = await Promise.all([
        db
          .selectFrom('margin.calculations')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .executeTakeFirstOrThrow(),
        db
          .selectFrom('margin.calculations')
          .select((eb) => ['created_day', eb.fn.countAll<number>().as('count')])
          .groupBy('created_day')
          .orderBy('created_day', 'desc')
          .execute(),
        db
          .selectFrom('margin.calculations')
          .select((eb) => ['ticker', eb.fn.countAll<number>().as('count')])
          .groupBy('ticker')
          .orderBy('count', 'desc')
          .orderBy('ticker', 'asc')
          .execute(),
      ]);
      return {
        total: total.count,
        perDay: perDay.map((row) => ({ day: row.created_day, count: row.count })),
        perTicker: perTicker.map((row) => ({ ticker: row.ticker, count: row.count })),
      };
    },
  };
}

export type MarginRepository = ReturnType<typeof marginRepository>;
