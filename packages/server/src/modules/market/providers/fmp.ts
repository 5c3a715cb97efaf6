import { isoDateSchema, type DailyBar, type Quote } from '@hub/core';
import { z } from 'zod';
import { addDays, checkBars, inRange, noPricesFor, tickerSymbol } from './bars.js';
import {
  clip,
  getText,
  redact,
  retryAfterSeconds,
  type ProviderResponse,
  type RequestContext,
} from './http.js';
import { MarketDataError, type PriceSource } from './types.js';

/**
 * Financial Modeling Prep, "stable" API (https://site.financialmodelingprep.com/developer/docs):
 * - GET /stable/historical-price-eod/full?symbol=&from=&to=  → [{ symbol, date, open, high, low,
 *   close, volume, change, changePercent, vwap }], newest first, prices split-adjusted, not
 *   dividend-adjusted;
 * - GET /stable/historical-price-eod/dividend-adjusted?symbol=&from=&to= → [{ symbol, date,
 *   adjOpen, adjHigh, adjLow, adjClose, volume }], the total-return series;
 * - GET /stable/quote?symbol= → [{ symbol, name, price, …, timestamp }] (unix seconds).
 * Errors: HTTP 401 (bad key), 402/403 (not in the plan), 429 (limit), each with a body
 * `{"Error Message": "…"}`; FMP sometimes reports "Limit Reach" in a 200 body too. An unknown
 * symbol gives `[]`. The key travels as the `apikey` query parameter and is never put into a
 * message.
 */

const PROVIDER = 'fmp';
const LABEL = 'FMP';

/**
 * How far before `from` to ask, so that the bar before `from` is known and the first requested
 * bar's dividend can be derived. Ten calendar days span the longest market closure in the data
 * (2001-09-10 → 2001-09-17, README "Gaps").
 */
const LOOKBACK_DAYS = 10;

/** Derived dividends below this are float rounding in adjClose, not distributions (data README). */
const DIVIDEND_NOISE_USD = 0.001;

const fmpPriceBarSchema = z.object({
  date: isoDateSchema,
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number().nullish(),
});
const fmpAdjustedBarSchema = z.object({ date: isoDateSchema, adjClose: z.number() });
const fmpQuoteSchema = z.object({
  symbol: z.string(),
  price: z.number(),
  timestamp: z.number().int().positive(),
});
const fmpErrorSchema = z.object({ 'Error Message': z.string() });

export interface FmpOptions {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly fetchImpl?: typeof fetch;
}

export function createFmpSource(options: FmpOptions): PriceSource {
  const fetchImpl = options.fetchImpl ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');

  const endpoint = (path: string, params: Record<string, string | undefined>): URL => {
    const url = new URL(`${base}${path}`);
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    url.searchParams.set('apikey', options.apiKey);
    return url;
  };

  /** GET, then turn FMP's error signals into MarketDataError; returns the parsed JSON body. */
  const getJson = async (url: URL, symbol: string, what: string): Promise<unknown> => {
    const context: RequestContext = {
      provider: PROVIDER,
      providerLabel: LABEL,
      symbol,
      timeoutMs: options.timeoutMs,
      fetchImpl,
    };
    const response = await getText(url, context);
    const body = parseJson(response.body);
    const fmpMessage = errorMessageOf(body, options.apiKey);
    throwForStatus(response, fmpMessage, symbol, what);
    if (body === undefined) {
      throw new MarketDataError(
        'malformed_response',
        PROVIDER,
        `FMP sent ${what} for ${symbol} that is not JSON (HTTP ${response.status}). Nothing was stored.`,
      );
    }
    if (fmpMessage !== null) throw errorFromMessage(fmpMessage, symbol, what);
    return body;
  };

  return {
    name: PROVIDER,

    async getDailyBars(rawSymbol, from, to) {
      const symbol = tickerSymbol(rawSymbol, PROVIDER, 'FMP');
      const askFrom = from === undefined ? undefined : addDays(from, -LOOKBACK_DAYS);
      const params = { symbol, from: askFrom, to };
      const [pricesBody, adjustedBody] = await Promise.all([
        getJson(endpoint('/stable/historical-price-eod/full', params), symbol, 'daily prices'),
        getJson(
          endpoint('/stable/historical-price-eod/dividend-adjusted', params),
          symbol,
          'dividend-adjusted prices',
        ),
      ]);
      const prices = parseShape(z.array(fmpPriceBarSchema), pricesBody, symbol, 'daily prices');
      const adjusted = parseShape(
        z.array(fmpAdjustedBarSchema),
        adjustedBody,
        symbol,
        'dividend-adjusted prices',
      );
      if (prices.length === 0) {
        // An empty answer for a bounded window is just a window without trading days (an
        // incremental update); for the whole history it means FMP does not know the symbol.
        if (from !== undefined || to !== undefined) return [];
        throw noPricesFor(symbol, PROVIDER, 'FMP');
      }
      const bars = joinBars(prices, adjusted, symbol);
      return checkBars(bars, PROVIDER, LABEL, symbol).filter((bar) => inRange(bar.date, from, to));
    },

    async getQuote(rawSymbol): Promise<Quote> {
      const symbol = tickerSymbol(rawSymbol, PROVIDER, 'FMP');
      const body = await getJson(endpoint('/stable/quote', { symbol }), symbol, 'a quote');
      const quotes = parseShape(z.array(fmpQuoteSchema), body, symbol, 'a quote');
      const quote = quotes.find((row) => row.symbol.toUpperCase() === symbol) ?? quotes[0];
      if (quote === undefined) throw noPricesFor(symbol, PROVIDER, 'FMP');
      if (!(quote.price > 0)) {
        throw new MarketDataError(
          'malformed_response',
          PROVIDER,
          `FMP sent a non-positive price (${quote.price}) for ${symbol}.`,
        );
      }
      return { symbol, price: quote.price, as_of: newYorkDate(quote.timestamp), source: PROVIDER };
    },
  };
}

/**
 * Merge FMP's two daily series into bars, oldest first. `adj_close` is FMP's dividend-adjusted
 * close; `dividend` is derived from it exactly as the shared data's README derives Yahoo's:
 * with r = adj_close / close, D[t] = close[t-1] · (1 − r[t-1] / r[t]), rounded to 4 decimals,
 * and amounts under $0.001 treated as rounding noise. The first bar of a response has no
 * previous day, hence the lookback before `from`. `split` is 0: FMP's prices are already
 * split-adjusted and these endpoints do not report split dates.
 */
function joinBars(
  prices: readonly z.infer<typeof fmpPriceBarSchema>[],
  adjusted: readonly z.infer<typeof fmpAdjustedBarSchema>[],
  symbol: string,
): DailyBar[] {
  const adjCloseByDate = new Map(adjusted.map((row) => [row.date, row.adjClose]));
  const lastAdjustedDate = adjusted.reduce((last, row) => (row.date > last ? row.date : last), '');
  const ascending = [...prices].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const bars: DailyBar[] = [];
  let previous: { close: number; ratio: number } | null = null;
  for (const row of ascending) {
    const adjClose = adjCloseByDate.get(row.date);
    if (adjClose === undefined) {
      // The two series can be published minutes apart: a newest day missing from the adjusted
      // series is left for the next update; a hole inside the history is a bad response.
      if (row.date > lastAdjustedDate) break;
      throw new MarketDataError(
        'malformed_response',
        PROVIDER,
        `FMP sent no dividend-adjusted close for ${symbol} on ${row.date}. Nothing was stored.`,
      );
    }
    const ratio = adjClose / row.close;
    let dividend = 0;
    if (previous !== null && Number.isFinite(ratio) && ratio > 0) {
      const derived = Math.round(previous.close * (1 - previous.ratio / ratio) * 10_000) / 10_000;
      dividend = derived >= DIVIDEND_NOISE_USD ? derived : 0;
    }
    bars.push({
      date: row.date,
      open: row.open,
      high: row.high,
      low: row.low,
      close: row.close,
      adj_close: adjClose,
      volume: row.volume ?? null,
      dividend,
      split: 0,
    });
    previous = { close: row.close, ratio };
  }
  return bars;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** FMP's `{"Error Message": "…"}`, cleaned of the key in case FMP echoes the request. */
function errorMessageOf(body: unknown, apiKey: string): string | null {
  const parsed = fmpErrorSchema.safeParse(body);
  return parsed.success ? clip(redact(parsed.data['Error Message'], apiKey)) : null;
}

function throwForStatus(
  response: ProviderResponse,
  fmpMessage: string | null,
  symbol: string,
  what: string,
): void {
  const { status } = response;
  if (status >= 200 && status < 300) return;
  const said = fmpMessage === null ? '' : ` FMP said: "${fmpMessage}"`;
  if (status === 429) {
    const wait = retryAfterSeconds(response.headers);
    throw new MarketDataError(
      'rate_limited',
      PROVIDER,
      `FMP's request limit was reached while fetching ${what} for ${symbol}; ` +
        (wait === undefined ? 'try again later' : `try again in ${wait} s`) +
        ' or use a plan with a higher limit.',
      wait,
    );
  }
  if (status === 401 || (status === 403 && /api ?key/i.test(fmpMessage ?? ''))) {
    throw notConfigured(symbol, said);
  }
  if (status === 402 || status === 403) {
    throw new MarketDataError(
      'provider_error',
      PROVIDER,
      `FMP refused ${what} for ${symbol} (HTTP ${status}); the FMP plan may not include it.${said}`,
    );
  }
  if (status === 404) throw noPricesFor(symbol, PROVIDER, 'FMP');
  throw new MarketDataError(
    'provider_error',
    PROVIDER,
    `FMP failed to send ${what} for ${symbol} (HTTP ${status}); try again later.${said}`,
  );
}

/** An error message in a 200 body: FMP reports its daily limit this way too. */
function errorFromMessage(message: string, symbol: string, what: string): MarketDataError {
  if (/limit reach/i.test(message)) {
    return new MarketDataError(
      'rate_limited',
      PROVIDER,
      `FMP's request limit was reached while fetching ${what} for ${symbol}; try again later or use a plan with a higher limit.`,
    );
  }
  if (/invalid api ?key/i.test(message)) return notConfigured(symbol, ` FMP said: "${message}"`);
  return new MarketDataError(
    'provider_error',
    PROVIDER,
    `FMP could not send ${what} for ${symbol}. FMP said: "${message}"`,
  );
}

function notConfigured(symbol: string, said: string): MarketDataError {
  return new MarketDataError(
    'not_configured',
    PROVIDER,
    `FMP rejected the API key while fetching ${symbol}; check FMP_API_KEY.${said}`,
  );
}

function parseShape<T>(schema: z.ZodType<T>, body: unknown, symbol: string, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
  throw new MarketDataError(
    'malformed_response',
    PROVIDER,
    `FMP sent ${what} for ${symbol} in an unexpected shape${where} (${issue?.message ?? 'invalid'}). Nothing was stored.`,
  );
}

const newYorkDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The US trading day of a unix timestamp (FMP quotes carry seconds since the epoch). */
function newYorkDate(unixSeconds: number): string {
  return newYorkDay.format(new Date(unixSeconds * 1000));
}
