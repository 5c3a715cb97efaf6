import { dailyBarSchema, symbolSchema, type DailyBar, type ImportIssue } from '@hub/core';
import { clip } from './http.js';
import { MarketDataError, type ProviderName } from './types.js';

/**
 * Check fetched bars with the importer's rules (core parsePriceCsv: positive prices,
 * low <= open, close <= high, whole non-negative volume, dates unique and ascending) so that nothing a provider sends can reach the store unchecked. The first problem
 * found becomes a 'malformed_response' naming the provider, symbol, date and field.
 */
export function checkBars(
  bars: readonly DailyBar[],
  provider: ProviderName,
  providerLabel: string,
  symbol: string,
): DailyBar[] {
  const fail = (detail: string): never => {
    throw new MarketDataError(
      'malformed_response',
      provider,
      `${providerLabel} sent unusable prices for ${symbol}: ${detail}. Nothing was stored.`,
    );
  };
  let previousDate: string | null = null;
  for (const bar of bars) {
    const parsed = dailyBarSchema.safeParse(bar);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? 'bar';
      fail(
        `${field} on ${bar.date} is ${String(valueAt(bar, field))} (${issue?.message ?? 'invalid'})`,
      );
    }
    const { open, high, low, close, volume } = bar;
    if (high !== null && low !== null && high < low) {
      fail(`high ${high} is below low ${low} on ${bar.date}`);
    }
    for (const [field, value] of [
      ['open', open],
      ['close', close],
    ] as const) {
      if (value === null) continue;
      if (low !== null && value < low) fail(`${field} ${value} is below low ${low} on ${bar.date}`);
      if (high !== null && value > high)
        fail(`${field} ${value} is above high ${high} on ${bar.date}`);
    }
    if (volume !== null && !Number.isInteger(volume)) {
      fail(`volume ${volume} on ${bar.date} is not a whole number of shares`);
    }
    if (previousDate !== null && bar.date <= previousDate) {
      fail(
        bar.date === previousDate
          ? `date ${bar.date} appears twice`
          : `date ${bar.date} comes after ${previousDate}`,
      );
    }
    previousDate = bar.date;
  }
  return [...bars];
}

function valueAt(bar: DailyBar, field: string): unknown {
  return (bar as Record<string, unknown>)[field];
}

/** Inclusive [from, to] filter on ISO dates (which order as strings). */
export function inRange(date: string, from?: string, to?: string): boolean {
  return (from === undefined || date >= from) && (to === undefined || date <= to);
}

/** An ISO date moved by whole days (UTC calendar arithmetic, no clock). */
export function addDays(isoDate: string, days: number): string {
  const time = Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}

/** One parser issue in a sentence: "row 12 close "abc" is not a number". */
export function describeIssue(issue: ImportIssue | undefined): string {
  if (issue === undefined) return 'no rows';
  const where = issue.row === null ? '' : `row ${issue.row}`;
  const column = issue.column === null ? '' : ` ${issue.column}`;
  const value = issue.value === null ? '' : ` "${clip(issue.value, 40)}"`;
  return `${where}${column}${value} ${issue.message}`.trim();
}

/**
 * The symbol as every provider asks for it (upper case, checked against the contract's pattern,
 * which also keeps csv-dir's file name inside its folder); anything else is an unknown symbol.
 */
export function tickerSymbol(raw: string, provider: ProviderName, label: string): string {
  const parsed = symbolSchema.safeParse(raw);
  if (!parsed.success) {
    throw new MarketDataError(
      'unknown_symbol',
      provider,
      `"${clip(raw, 20)}" is not a ticker symbol ${label} can look up.`,
    );
  }
  return parsed.data;
}

export function noPricesFor(
  symbol: string,
  provider: ProviderName,
  label: string,
): MarketDataError {
  return new MarketDataError('unknown_symbol', provider, `${label} has no prices for ${symbol}.`);
}
