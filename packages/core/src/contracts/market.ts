import { z } from 'zod';

/**
 * The market-data module's API contract (DESIGN.md "Market data", specs/margin.md C.1 and D).
 * Every route lives under /api/market. Dates are ISO `YYYY-MM-DD` trading days; prices are USD
 * per share on the split-adjusted basis; rates are percent per year (5.33 means 5.33 %).
 */

/** Ticker symbols: upper-case letters, digits, dot and dash (BRK.B, BF-B), 1 to 15 characters. */
export const symbolSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9.-]{0,14}$/, 'symbol must be 1-15 letters, digits, dots or dashes');

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
  .refine((value) => {
    const parsed = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
  }, 'date must be a real calendar day');

/** The short-rate series the hub knows (specs/margin.md D): EFFR daily, FEDFUNDS and TB3MS monthly. */
export const RATE_SERIES = ['EFFR', 'FEDFUNDS', 'TB3MS'] as const;
export type RateSeries = (typeof RATE_SERIES)[number];
export const rateSeriesSchema = z.enum(RATE_SERIES);

/** Where stored bars came from. */
export const MARKET_SOURCES = ['import', 'csv-dir', 'fmp', 'stooq'] as const;
export type MarketSource = (typeof MARKET_SOURCES)[number];

/**
 * One trading day. open/high/low/volume may be unknown (null) for sources that give only closes.
 * `adj_close` is the total-return close (splits and distributions); `dividend` is the cash
 * distribution whose ex-date is this day (0 otherwise); `split` is informational (0 = none):
 * prices are already split-adjusted.
 */
export const dailyBarSchema = z.object({
  date: isoDateSchema,
  open: z.number().positive().nullable(),
  high: z.number().positive().nullable(),
  low: z.number().positive().nullable(),
  close: z.number().positive(),
  adj_close: z.number().positive(),
  volume: z.number().nonnegative().nullable(),
  dividend: z.number().nonnegative(),
  split: z.number().nonnegative(),
});
export type DailyBar = z.infer<typeof dailyBarSchema>;

export const ratePointSchema = z.object({
  date: isoDateSchema,
  rate_pct: z.number(),
});
export type RatePoint = z.infer<typeof ratePointSchema>;

/** GET /api/market/symbols: every stored symbol with its range. */
export const symbolSummarySchema = z.object({
  symbol: z.string(),
  name: z.string().nullable(),
  first_date: isoDateSchema,
  last_date: isoDateSchema,
  bar_count: z.number().int(),
  dividend_count: z.number().int(),
  source: z.enum(MARKET_SOURCES),
  imported_at: z.string(),
});
export type SymbolSummary = z.infer<typeof symbolSummarySchema>;

export const rateSeriesSummarySchema = z.object({
  series: rateSeriesSchema,
  first_date: isoDateSchema,
  last_date: isoDateSchema,
  point_count: z.number().int(),
  imported_at: z.string(),
});
export type RateSeriesSummary = z.infer<typeof rateSeriesSummarySchema>;

export const marketCatalogSchema = z.object({
  /** Changes whenever any stored bar or rate changes; part of every backtest cache key. */
  dataset_version: z.string(),
  symbols: z.array(symbolSummarySchema),
  rates: z.array(rateSeriesSummarySchema),
});
export type MarketCatalog = z.infer<typeof marketCatalogSchema>;

/** GET /api/market/symbols/:symbol/bars?from&to */
export const barsQuerySchema = z.object({
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
});
export const barsResponseSchema = z.object({
  symbol: z.string(),
  source: z.enum(MARKET_SOURCES),
  dataset_version: z.string(),
  bars: z.array(dailyBarSchema),
});
export type BarsResponse = z.infer<typeof barsResponseSchema>;

/** GET /api/market/symbols/:symbol/quote: the latest stored or fetched close. */
export const quoteSchema = z.object({
  symbol: z.string(),
  price: z.number().positive(),
  /** The trading day the price belongs to. */
  as_of: isoDateSchema,
  source: z.enum(MARKET_SOURCES),
});
export type Quote = z.infer<typeof quoteSchema>;

/** GET /api/market/rates/:series?from&to */
export const ratesResponseSchema = z.object({
  series: rateSeriesSchema,
  points: z.array(ratePointSchema),
});

/** One problem found in an uploaded or imported file; row is the 1-based line in the file. */
export const importIssueSchema = z.object({
  file: z.string(),
  row: z.number().int().nullable(),
  column: z.string().nullable(),
  value: z.string().nullable(),
  message: z.string(),
});
export type ImportIssue = z.infer<typeof importIssueSchema>;

/** What one import did, per file (POST /api/market/imports and `umbrella data import`). */
export const importFileResultSchema = z.object({
  file: z.string(),
  kind: z.enum(['prices', 'rates']),
  /** The symbol or rate series the file holds. */
  target: z.string(),
  rows_read: z.number().int(),
  rows_inserted: z.number().int(),
  rows_updated: z.number().int(),
  rows_unchanged: z.number().int(),
  skipped: z.array(importIssueSchema),
});
export const importResultSchema = z.object({
  dataset_version: z.string(),
  changed: z.boolean(),
  files: z.array(importFileResultSchema),
});
export type ImportResult = z.infer<typeof importResultSchema>;
