import type { DailyBar, Quote } from '@hub/core';

/** The price providers the hub knows, in the words of MARKET_DATA_PROVIDERS. */
export type ProviderName = 'csv-dir' | 'fmp' | 'stooq';

/** Every provider name, in the default order of MARKET_DATA_PROVIDERS. */
export const PROVIDER_NAMES = [
  'csv-dir',
  'fmp',
  'stooq',
] as const satisfies readonly ProviderName[];

export const DEFAULT_FMP_BASE_URL = 'https://financialmodelingprep.com';
export const DEFAULT_STOOQ_BASE_URL = 'https://stooq.com';
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** One source of daily prices (DESIGN.md "Market data"). */
export interface PriceSource {
  readonly name: ProviderName;
  /** Bars for [from, to] inclusive (either may be undefined = open end), ascending by date. Throws MarketDataError. */
  getDailyBars(symbol: string, from?: string, to?: string): Promise<DailyBar[]>;
  /** Latest price. Throws MarketDataError. */
  getQuote(symbol: string): Promise<Quote>;
}

export type MarketDataErrorKind =
  | 'unknown_symbol'
  | 'network'
  | 'rate_limited'
  | 'malformed_response'
  | 'not_configured'
  | 'provider_error';

/**
 * Why a provider could not supply prices. The message is written for an end user: it names the
 * provider and the symbol and never contains an API key.
 */
export class MarketDataError extends Error {
  constructor(
    readonly kind: MarketDataErrorKind,
    readonly provider: ProviderName,
    message: string,
    /** For 'rate_limited': the provider's Retry-After, when it sent one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'MarketDataError';
  }
}

export interface ProviderSettings {
  /** MARKET_DATA_PROVIDERS order; default ['csv-dir','fmp','stooq'] filtered to those configured. */
  readonly providers: readonly ProviderName[];
  /** MARKET_DATA_DIR */
  readonly marketDataDir: string | null;
  /** FMP_API_KEY */
  readonly fmpApiKey: string | null;
  /** FMP_BASE_URL, default https://financialmodelingprep.com */
  readonly fmpBaseUrl: string;
  /** STOOQ_BASE_URL, default https://stooq.com */
  readonly stooqBaseUrl: string;
  /** MARKET_DATA_TIMEOUT_MS, default 10000 */
  readonly requestTimeoutMs: number;
}
