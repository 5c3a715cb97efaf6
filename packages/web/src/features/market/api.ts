/**
 * The market-data module's calls (packages/core/src/contracts/market.ts), all through the one
 * HTTP client, with every answer checked against the @hub/core contract.
 */

import {
  barsResponseSchema,
  importResultSchema,
  marketCatalogSchema,
  quoteSchema,
  ratesResponseSchema,
  type BarsResponse,
  type ImportResult,
  type MarketCatalog,
  type Quote,
  type RateSeries,
} from '@hub/core';
import type { z } from 'zod';
import { apiGet, apiPost } from '../../api/client';
import {
  barsPath,
  importRequestBody,
  MARKET_API,
  quotePath,
  ratesPath,
  type DateRange,
  type ImportFile,
} from './helpers';

export type RatesResponse = z.infer<typeof ratesResponseSchema>;

/** Every market query key starts with this, so one invalidation after an import refreshes all. */
export const MARKET_KEY = 'market';

export const marketKeys = {
  all: [MARKET_KEY] as const,
  catalog: () => [MARKET_KEY, 'catalog'] as const,
  bars: (symbol: string, range: DateRange = {}) =>
    [MARKET_KEY, 'bars', symbol, range.from ?? '', range.to ?? ''] as const,
  quote: (symbol: string) => [MARKET_KEY, 'quote', symbol] as const,
  rates: (series: RateSeries, range: DateRange = {}) =>
    [MARKET_KEY, 'rates', series, range.from ?? '', range.to ?? ''] as const,
};

export function fetchCatalog(signal?: AbortSignal): Promise<MarketCatalog> {
  return apiGet(`${MARKET_API}/catalog`, marketCatalogSchema, signalOption(signal));
}

/** Stored bars; for a symbol not stored, the server asks its providers first (or answers 404). */
export function fetchBars(
  symbol: string,
  range: DateRange = {},
  signal?: AbortSignal,
): Promise<BarsResponse> {
  return apiGet(barsPath(symbol, range), barsResponseSchema, signalOption(signal));
}

export function fetchQuote(symbol: string, signal?: AbortSignal): Promise<Quote> {
  return apiGet(quotePath(symbol), quoteSchema, signalOption(signal));
}

export function fetchRates(
  series: RateSeries,
  range: DateRange = {},
  signal?: AbortSignal,
): Promise<RatesResponse> {
  return apiGet(ratesPath(series, range), ratesResponseSchema, signalOption(signal));
}

/**
 * POST /api/market/imports (admin). A file with bad rows and no skip is refused with a 422 whose
 * rows are read by importIssuesOf; nothing is stored then.
 */
export function importFiles(
  files: readonly ImportFile[],
  skipBadRows: boolean,
): Promise<ImportResult> {
  return apiPost(
    `${MARKET_API}/imports`,
    importRequestBody(files, skipBadRows),
    importResultSchema,
  );
}

function signalOption(signal: AbortSignal | undefined) {
  return signal === undefined ? {} : { signal };
}
