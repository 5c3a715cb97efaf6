import { parsePriceCsv, type Quote } from '@hub/core';
import { describeIssue, inRange, noPricesFor, tickerSymbol } from './bars.js';
import { getText, retryAfterSeconds, type RequestContext } from './http.js';
import { MarketDataError, type PriceSource } from './types.js';

/**
 * Stooq's keyless CSV download: GET /q/d/l/?s=<symbol>.us&i=d[&d1=YYYYMMDD&d2=YYYYMMDD] →
 * `Date,Open,High,Low,Close,Volume`, oldest first. Stooq's prices are split-adjusted but carry
 * no dividends and no adjusted close, so adj_close = close here (the core parser's rule for
 * price-only exports) and dividend = 0: total returns from Stooq bars are price returns.
 * Errors arrive with HTTP 200 as plain text: "No data" (unknown symbol or empty window) or
 * "Exceeded the daily hits limit"; a web page instead of CSV means Stooq wants a browser check.
 */

const PROVIDER = 'stooq';
const LABEL = 'Stooq';

export interface StooqOptions {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly fetchImpl?: typeof fetch;
}

export function createStooqSource(options: StooqOptions): PriceSource {
  const fetchImpl = options.fetchImpl ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');

  const fetchBars = async (rawSymbol: string, from?: string, to?: string) => {
    const symbol = tickerSymbol(rawSymbol, PROVIDER, 'Stooq');
    const url = new URL(`${base}/q/d/l/`);
    url.searchParams.set('s', stooqTicker(symbol));
    url.searchParams.set('i', 'd');
    if (from !== undefined) url.searchParams.set('d1', compactDate(from));
    if (to !== undefined) url.searchParams.set('d2', compactDate(to));
    const bounded = from !== undefined || to !== undefined;
    const context: RequestContext = {
      provider: PROVIDER,
      providerLabel: LABEL,
      symbol,
      timeoutMs: options.timeoutMs,
      fetchImpl,
    };
    const response = await getText(url, context);
    const body = response.body.replace(/^\uFEFF/, '').trim();

    if (response.status === 429 || /exceeded the daily hits limit/i.test(body)) {
      const wait = retryAfterSeconds(response.headers);
      throw new MarketDataError(
        'rate_limited',
        PROVIDER,
        `Stooq's daily download limit was reached while fetching ${symbol}; try again ${wait === undefined ? 'tomorrow' : `in ${wait} s`}.`,
        wait,
      );
    }
    if (response.status === 404) throw noPricesFor(symbol, PROVIDER, 'Stooq');
    if (response.status < 200 || response.status >= 300) {
      throw new MarketDataError(
        'provider_error',
        PROVIDER,
        `Stooq failed to send prices for ${symbol} (HTTP ${response.status}); try again later.`,
      );
    }
    if (/^(no data|brak danych)\b/i.test(body)) {
      // For a bounded window "No data" is an empty window (an incremental update found nothing
      // new); for the whole history it means Stooq does not know the symbol.
      if (bounded) return { symbol, bars: [] };
      throw noPricesFor(symbol, PROVIDER, 'Stooq');
    }
    if (body.startsWith('<') || /text\/html/i.test(response.headers.get('content-type') ?? '')) {
      throw new MarketDataError(
        'malformed_response',
        PROVIDER,
        `Stooq answered with a web page instead of CSV prices for ${symbol}; it may be asking for a browser check. Import a CSV instead or try again later.`,
      );
    }

    const parsed = parsePriceCsv(`Stooq ${stooqTicker(symbol)}`, body, { skipBadRows: false });
    const firstIssue = parsed.issues[0];
    if (parsed.rejected || firstIssue !== undefined) {
      throw new MarketDataError(
        'malformed_response',
        PROVIDER,
        `Stooq sent unusable prices for ${symbol}: ${describeIssue(firstIssue)}. Nothing was stored.`,
      );
    }
    if (parsed.bars.length === 0) {
      if (bounded) return { symbol, bars: [] };
      throw noPricesFor(symbol, PROVIDER, 'Stooq');
    }
    // Stooq has no dividend data: the parser already set adj_close = close and dividend = 0.
    return { symbol, bars: parsed.bars.filter((bar) => inRange(bar.date, from, to)) };
  };

  return {
    name: PROVIDER,
    async getDailyBars(symbol, from, to) {
      return (await fetchBars(symbol, from, to)).bars;
    },
    /** Stooq's quote is the close of the last daily bar it has. */
    async getQuote(rawSymbol): Promise<Quote> {
      const { symbol, bars } = await fetchBars(rawSymbol);
      const last = bars.at(-1);
      if (last === undefined) throw noPricesFor(symbol, PROVIDER, 'Stooq');
      return { symbol, price: last.close, as_of: last.date, source: PROVIDER };
    },
  };
}

/** Stooq names US listings `<ticker>.us` in lower case, with a dash for a share class (brk-b.us). */
export function stooqTicker(symbol: string): string {
  return `${symbol.toLowerCase().replace(/\./g, '-')}.us`;
}

function compactDate(isoDate: string): string {
  return isoDate.replace(/-/g, '');
}
