import type { DailyBar, RatePoint, RateSeries } from '@hub/core';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { HubTables } from '../../db/tables.js';
import type { RateSeriesTable, SymbolsTable } from './tables.js';

export type SymbolRow = Selectable<SymbolsTable>;
export type RateSeriesRow = Selectable<RateSeriesTable>;

type Db = Kysely<HubTables>;

/**
 * Rows per multi-row insert: 10 parameters a bar keeps a statement far below SQLite's 32,766 and
 * PostgreSQL's 65,535 bound parameters, and large enough that an 8,000-bar file takes 5 round trips.
 */
const INSERT_CHUNK_ROWS = 2000;

const BAR_COLUMNS = [
  'date',
  'open',
  'high',
  'low',
  'close',
  'adj_close',
  'volume',
  'dividend',
  'split',
] as const;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    result.push(items.slice(start, start + size));
  }
  return result;
}

/** The market schema: symbols and their daily bars, rate series and points, the dataset version. */
function marketQueries(db: Db) {
  return {
    async datasetVersion(): Promise<string> {
      const row = await db
        .selectFrom('market.dataset')
        .select('version')
        .where('id', '=', 1)
        .executeTakeFirstOrThrow();
      return row.version;
    },

    async setDatasetVersion(version: string, at: string): Promise<void> {
      await db
        .updateTable('market.dataset')
        .set({ version, updated_at: at })
        .where('id', '=', 1)
        .execute();
    },

    listSymbols(): Promise<SymbolRow[]> {
      return db.selectFrom('market.symbols').selectAll().orderBy('symbol').execute();
    },

    findSymbol(symbol: string): Promise<SymbolRow | undefined> {
      return db
        .selectFrom('market.symbols')
        .selectAll()
        .where('symbol', '=', symbol)
        .executeTakeFirst();
    },

    async upsertSymbol(row: Insertable<SymbolsTable>): Promise<void> {
      await db
        .insertInto('market.symbols')
        .values(row)
        .onConflict((conflict) =>
          conflict.column('symbol').doUpdateSet({
            name: row.name,
            first_date: row.first_date,
            last_date: row.last_date,
            bar_count: row.bar_count,
            dividend_count: row.dividend_count,
            source: row.source,
            imported_at: row.imported_at,
            content_hash: row.content_hash,
            file_hash: row.file_hash,
          }),
        )
        .execute();
    },

    async setSymbolFileHash(symbol: string, fileHash: string): Promise<void> {
      await db
        .updateTable('market.symbols')
        .set({ file_hash: fileHash })
        .where('symbol', '=', symbol)
        .execute();
    },

    /** Bars of a symbol in [from, to] (either open), ascending; days are ISO text, so compare as strings. */
    bars(symbol: string, from?: string, to?: string): Promise<DailyBar[]> {
      let query = db
        .selectFrom('market.daily_bars')
        .select(BAR_COLUMNS)
        .where('symbol', '=', symbol);
      if (from !== undefined) query = query.where('date', '>=', from);
      if (to !== undefined) query = query.where('date', '<=', to);
      return query.orderBy('date').execute();
    },

    /** The last bar of a symbol, or undefined when it has none. */
    latestBar(symbol: string): Promise<DailyBar | undefined> {
      return db
        .selectFrom('market.daily_bars')
        .select(BAR_COLUMNS)
        .where('symbol', '=', symbol)
        .orderBy('date', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    /** Inserts new bars and overwrites changed ones (same symbol and date), in chunks. */
    async upsertBars(symbol: string, bars: readonly DailyBar[]): Promise<void> {
      for (const chunk of chunks(bars, INSERT_CHUNK_ROWS)) {
        await db
          .insertInto('market.daily_bars')
          .values(chunk.map((bar) => ({ symbol, ...bar })))
          .onConflict((conflict) =>
            conflict.columns(['symbol', 'date']).doUpdateSet((eb) => ({
              open: eb.ref('excluded.open'),
              high: eb.ref('excluded.high'),
              low: eb.ref('excluded.low'),
              close: eb.ref('excluded.close'),
              adj_close: eb.ref('excluded.adj_close'),
              volume: eb.ref('excluded.volume'),
              dividend: eb.ref('excluded.dividend'),
              split: eb.ref('excluded.split'),
            })),
          )
          .execute();
      }
    },

    listRateSeries(): Promise<RateSeriesRow[]> {
      return db.selectFrom('market.rate_series').selectAll().orderBy('series').execute();
    },

    findRateSeries(series: RateSeries): Promise<RateSeriesRow | undefined> {
      return db
        .selectFrom('market.rate_series')
        .selectAll()
        .where('series', '=', series)
        .executeTakeFirst();
    },

    async upsertRateSeries(row: Insertable<RateSeriesTable>): Promise<void> {
      await db
        .insertInto('market.rate_series')
        .values(row)
        .onConflict((conflict) =>
          conflict.column('series').doUpdateSet({
            first_date: row.first_date,
            last_date: row.last_date,
            point_count: row.point_count,
            imported_at: row.imported_at,
            content_hash: row.content_hash,
            file_hash: row.file_hash,
          }),
        )
        .execute();
    },

    async setRateSeriesFileHash(series: RateSeries, fileHash: string): Promise<void> {
      await db
        .updateTable('market.rate_series')
        .set({ file_hash: fileHash })
        .where('series', '=', series)
        .execute();
    },

    ratePoints(series: RateSeries, from?: string, to?: string): Promise<RatePoint[]> {
      let query = db
        .selectFrom('market.rate_points')
        .select(['date', 'rate_pct'])
        .where('series', '=', series);
      if (from !== undefined) query = query.where('date', '>=', from);
      if (to !== undefined) query = query.where('date', '<=', to);
      return query.orderBy('date').execute();
    },

    /** The latest point of a series on or before a day (EFFR on a holiday: the day before). */
    ratePointOnOrBefore(series: RateSeries, date: string): Promise<RatePoint | undefined> {
      return db
        .selectFrom('market.rate_points')
        .select(['date', 'rate_pct'])
        .where('series', '=', series)
        .where('date', '<=', date)
        .orderBy('date', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    async upsertRatePoints(series: RateSeries, points: readonly RatePoint[]): Promise<void> {
      for (const chunk of chunks(points, INSERT_CHUNK_ROWS)) {
        await db
          .insertInto('market.rate_points')
          .values(chunk.map((point) => ({ series, ...point })))
          .onConflict((conflict) =>
            conflict
              .columns(['series', 'date'])
              .doUpdateSet((eb) => ({ rate_pct: eb.ref('excluded.rate_pct') })),
          )
          .execute();
      }
    },
  };
}

export type MarketRepository = ReturnType<typeof marketQueries> & {
  /** Runs `work` in one transaction with a repository bound to it (not nestable). */
  transaction<T>(work: (repository: MarketRepository) => Promise<T>): Promise<T>;
};

export function marketRepository(db: Db): MarketRepository {
  return {
    ...marketQueries(db),
    transaction: (work) => db.transaction().execute((trx) => work(marketRepository(trx))),
  };
}
