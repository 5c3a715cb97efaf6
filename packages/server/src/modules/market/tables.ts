import type { MarketSource, RateSeries } from '@hub/core';

/** ISO-8601 UTC text on both databases (see db/database.ts). */
type Timestamp = string;
/** A trading day, ISO `YYYY-MM-DD` text: sorts and compares as a date on both databases. */
type Day = string;

/** market.symbols: one row per stored symbol, kept in step with its bars. */
export interface SymbolsTable {
  symbol: string;
  name: string | null;
  first_date: Day;
  last_date: Day;
  bar_count: number;
  dividend_count: number;
  /** Where the latest change to its bars came from. */
  source: MarketSource;
  imported_at: Timestamp;
  /** SHA-256 of its bars (dates and values); the dataset version is made from these. */
  content_hash: string;
  /** SHA-256 of the MARKET_DATA_DIR file last imported, so an unchanged file is skipped at start-up. */
  file_hash: string | null;
}

/** market.daily_bars: prices exactly as parsed (double precision), PK (symbol, date). */
export interface DailyBarsTable {
  symbol: string;
  date: Day;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number;
  adj_close: number;
  volume: number | null;
  dividend: number;
  split: number;
}

export interface RateSeriesTable {
  series: RateSeries;
  first_date: Day;
  last_date: Day;
  point_count: number;
  imported_at: Timestamp;
  content_hash: string;
  file_hash: string | null;
}

export interface RatePointsTable {
  series: RateSeries;
  date: Day;
  rate_pct: number;
}

/** market.dataset: one row (id 1) holding the version of everything stored. */
export interface DatasetTable {
  id: number;
  version: string;
  updated_at: Timestamp;
}

export interface MarketTables {
  'market.symbols': SymbolsTable;
  'market.daily_bars': DailyBarsTable;
  'market.rate_series': RateSeriesTable;
  'market.rate_points': RatePointsTable;
  'market.dataset': DatasetTable;
}
