import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parsePriceCsv, type Quote } from '@hub/core';
import { describeIssue, inRange, tickerSymbol } from './bars.js';
import { MarketDataError, type PriceSource } from './types.js';

/**
 * A folder of price files, `<MARKET_DATA_DIR>/prices/<SYMBOL>.csv` (the layout of ../shared/data),
 * read on demand with the importer's parser, so a file the importer would reject is rejected here
 * too. Nothing is cached: the store keeps what it fetched.
 */

const PROVIDER = 'csv-dir';

export interface CsvDirOptions {
  readonly marketDataDir: string;
}

export function createCsvDirSource(options: CsvDirOptions): PriceSource {
  const readBars = async (rawSymbol: string) => {
    // The symbol pattern (letters, digits, dot, dash; no leading dot) also keeps the file name
    // inside the folder.
    const symbol = tickerSymbol(rawSymbol, PROVIDER, 'the market data folder');
    const fileName = `${symbol}.csv`;
    const file = path.join(options.marketDataDir, 'prices', fileName);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error: unknown) {
      if (isMissingFile(error)) {
        throw new MarketDataError(
          'unknown_symbol',
          PROVIDER,
          `There is no prices/${fileName} in the market data folder (MARKET_DATA_DIR).`,
        );
      }
      throw new MarketDataError(
        'provider_error',
        PROVIDER,
        `prices/${fileName} in the market data folder (MARKET_DATA_DIR) could not be read.`,
      );
    }
    const parsed = parsePriceCsv(`prices/${fileName}`, text, { skipBadRows: false });
    const firstIssue = parsed.issues[0];
    if (parsed.rejected || firstIssue !== undefined) {
      const more =
        parsed.issues.length > 1 ? ` (and ${parsed.issues.length - 1} more problems)` : '';
      throw new MarketDataError(
        'malformed_response',
        PROVIDER,
        `prices/${fileName} in the market data folder has bad rows: ${describeIssue(firstIssue)}${more}. Fix the file or import it with --skip-bad-rows.`,
      );
    }
    if (parsed.bars.length === 0) {
      throw new MarketDataError(
        'unknown_symbol',
        PROVIDER,
        `prices/${fileName} in the market data folder has no rows.`,
      );
    }
    return { symbol, bars: parsed.bars };
  };

  return {
    name: PROVIDER,
    async getDailyBars(symbol, from, to) {
      const { bars } = await readBars(symbol);
      return bars.filter((bar) => inRange(bar.date, from, to));
    },
    /** The folder's quote is the close of the file's last row. */
    async getQuote(rawSymbol): Promise<Quote> {
      const { symbol, bars } = await readBars(rawSymbol);
      const last = bars.at(-1);
      if (last === undefined) {
        throw new MarketDataError(
          'unknown_symbol',
          PROVIDER,
          `No prices for ${symbol} in the folder.`,
        );
      }
      return { symbol, price: last.close, as_of: last.date, source: PROVIDER };
    },
  };
}

function isMissingFile(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    (error.code === 'ENOENT' || error.code === 'ENOTDIR')
  );
}
