import crypto from 'node:crypto';
import {
  continueAdjustedCloses,
  dailyBarSchema,
  parsePriceCsv,
  parseRateCsv,
  quoteSchema,
  rateOn,
  rateSeriesFromFileName,
  rateSeriesSchema,
  symbolSchema,
  totalReturnBetween,
  totalReturnSeries,
  EFFR_START_DATE,
  type BarsResponse,
  type BenchmarkRate,
  type DailyBar,
  type ImportIssue,
  type ImportResult,
  type MarketCatalog,
  type MarketSource,
  type PeriodTotalReturn,
  type Quote,
  type RatePoint,
  type RateSeries,
  type TotalReturnPoint,
} from '@hub/core';
import { EMPTY_DATASET_VERSION } from './migrations/0001_store.js';
import { MarketDataError, type PriceSource } from './providers/types.js';
import type { MarketRepository } from './repository.js';

/** What the market service logs (a pino/Fastify logger fits). */
export interface MarketLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export type MarketErrorKind =
  'unknown_symbol' | 'unknown_rate_series' | 'import_rejected' | 'rate_limited';

/** The one error type of the market service; routes turn it into a problem+json answer. */
export class MarketError extends Error {
  constructor(
    readonly kind: MarketErrorKind,
    message: string,
    /** import_rejected: every problem found, by file, row and column. */
    readonly issues: readonly ImportIssue[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'MarketError';
  }
}

/** A file to import: its name says the symbol or rate series (SPY.csv, EFFR.csv). */
export interface ImportFile {
  readonly name: string;
  readonly content: string;
  /** Known from the folder (prices/, rates/); otherwise told from the name and header. */
  readonly kind?: 'prices' | 'rates';
}

export interface ImportOptions {
  readonly skipBadRows?: boolean;
  /** 'import' for uploads and the CLI, 'csv-dir' for MARKET_DATA_DIR at start-up. */
  readonly source?: Extract<MarketSource, 'import' | 'csv-dir'>;
  /** Remember each file's hash, so that an unchanged MARKET_DATA_DIR file is skipped next time. */
  readonly trackFileHash?: boolean;
}

/** After a failed update attempt, a stored symbol is not asked for again for this long. */
export const UPDATE_RETRY_MS = 60 * 60 * 1000;

export function unknownSymbolDetail(symbol: string): string {
  return (
    `No prices for ${symbol} are stored. Import a CSV with \`npx umbrella data import <file>\` ` +
    'or on the admin Market data page, or set FMP_API_KEY to fetch it.'
  );
}

/** One issue on one line, for the CLI and logs: `file:row column "value" message`. */
export function formatIssue(issue: ImportIssue): string {
  return [
    `${issue.file}:${issue.row === null ? '-' : String(issue.row)}`,
    issue.column ?? '-',
    issue.value === null ? '-' : JSON.stringify(issue.value),
    issue.message,
  ].join(' ');
}

export function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** The content hash of a symbol's bars: every value as stored, in date order. */
export function hashBars(bars: readonly DailyBar[]): string {
  const hash = crypto.createHash('sha256');
  for (const bar of bars) {
    hash.update(
      `${bar.date},${String(bar.open)},${String(bar.high)},${String(bar.low)},${String(bar.close)},` +
        `${String(bar.adj_close)},${String(bar.volume)},${String(bar.dividend)},${String(bar.split)}\n`,
    );
  }
  return hash.digest('hex');
}

export function hashRatePoints(points: readonly RatePoint[]): string {
  const hash = crypto.createHash('sha256');
  for (const point of points) hash.update(`${point.date},${String(point.rate_pct)}\n`);
  return hash.digest('hex');
}

function sameBar(a: DailyBar, b: DailyBar): boolean {
  return (
    a.open === b.open &&
    a.high === b.high &&
    a.low === b.low &&
    a.close === b.close &&
    a.adj_close === b.adj_close &&
    a.volume === b.volume &&
    a.dividend === b.dividend &&
    a.split === b.split
  );
}

/** "prices/SPY.csv" → SPY; null when the name is not a ticker. */
export function symbolFromFileName(fileName: string): string | null {
  const base = (fileName.split(/[\\/]/).pop() ?? '').replace(/\.(csv|txt)$/i, '');
  const parsed = symbolSchema.safeParse(base);
  return parsed.success ? parsed.data : null;
}

/** Rates when the folder, the name (EFFR.csv) or a two-column rate header says so. */
export function kindOfFile(file: ImportFile): 'prices' | 'rates' {
  if (file.kind !== undefined) return file.kind;
  if (rateSeriesFromFileName(file.name) !== null) return 'rates';
  const header = (file.content.split(/\r?\n/, 1)[0] ?? '').replace(/^\uFEFF/, '').trim();
  const [first = '', second = '', ...rest] = header.split(',').map((cell) => cell.trim());
  // date,rate_pct; FRED's observation_date,<SERIES> and DATE,<SERIES>.
  const fred =
    /^(date|observation_date)$/i.test(first) &&
    rateSeriesSchema.safeParse(second.toUpperCase()).success;
  return rest.length === 0 && (second.toLowerCase() === 'rate_pct' || fred) ? 'rates' : 'prices';
}

/** The weekday before `today` (ISO day): stored bars older than it may have newer ones to fetch. */
export function lastWeekdayBefore(today: string): string {
  const day = new Date(`${today}T00:00:00Z`);
  do day.setUTCDate(day.getUTCDate() - 1);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
  return day.toISOString().slice(0, 10);
}

interface ParsedPrices {
  readonly kind: 'prices';
  readonly file: string;
  readonly target: string;
  readonly bars: DailyBar[];
  readonly skipped: ImportIssue[];
  readonly rowsRead: number;
  readonly fileHash: string;
}

interface ParsedRates {
  readonly kind: 'rates';
  readonly file: string;
  readonly target: RateSeries;
  readonly points: RatePoint[];
  readonly skipped: ImportIssue[];
  readonly rowsRead: number;
  readonly fileHash: string;
}

type ParsedFile = ParsedPrices | ParsedRates;

interface StoreCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** Parses one file; the issues are non-empty exactly when nothing of it may be stored. */
function parseImportFile(
  file: ImportFile,
  skipBadRows: boolean,
): { parsed: ParsedFile | null; issues: ImportIssue[] } {
  const fileHash = sha256Hex(file.content);
  if (kindOfFile(file) === 'rates') {
    const result = parseRateCsv(file.name, file.content, { skipBadRows });
    if (result.rejected || result.series === null) return { parsed: null, issues: result.issues };
    return {
      parsed: {
        kind: 'rates',
        file: file.name,
        target: result.series,
        points: result.points,
        skipped: [...result.issues, ...result.warnings].sort((a, b) => (a.row ?? 0) - (b.row ?? 0)),
        rowsRead: result.rowsRead,
        fileHash,
      },
      issues: [],
    };
  }
  const symbol = symbolFromFileName(file.name);
  if (symbol === null) {
    return {
      parsed: null,
      issues: [
        {
          file: file.name,
          row: null,
          column: null,
          value: null,
          message:
            'the file name must be the symbol, e.g. SPY.csv (1-15 letters, digits, dots or dashes), ' +
            'or a rate series: EFFR.csv, FEDFUNDS.csv, TB3MS.csv',
        },
      ],
    };
  }
  const result = parsePriceCsv(file.name, file.content, { skipBadRows });
  if (result.rejected) return { parsed: null, issues: result.issues };
  return {
    parsed: {
      kind: 'prices',
      file: file.name,
      target: symbol,
      bars: result.bars,
      skipped: [...result.issues, ...result.warnings].sort((a, b) => (a.row ?? 0) - (b.row ?? 0)),
      rowsRead: result.rowsRead,
      fileHash,
    },
    issues: [],
  };
}

/** Checks bars from a provider before anything is stored: valid, ascending, unique days. */
function checkFetchedBars(
  source: PriceSource,
  symbol: string,
  bars: readonly DailyBar[],
): DailyBar[] {
  const checked = dailyBarSchema.array().safeParse(bars);
  const ascending =
    checked.success &&
    checked.data.every(
      (bar, index) => index === 0 || bar.date > (checked.data[index - 1]?.date ?? ''),
    );
  if (!checked.success || !ascending) {
    throw new MarketDataError(
      'malformed_response',
      source.name,
      `${source.name} sent prices for ${symbol} that are not valid daily bars; nothing was stored`,
    );
  }
  return checked.data;
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface MarketServiceDeps {
  readonly repository: MarketRepository;
  readonly clock: () => Date;
  /** The configured price sources, in MARKET_DATA_PROVIDERS order. */
  readonly sources: readonly PriceSource[];
  readonly log: MarketLog;
}

export type MarketService = ReturnType<typeof createMarketService>;

/**
 * The market-data service: imports, the symbol catalog, bars, quotes and rates for the other
 * modules, and on-demand fetching from the providers. Stored data only changes inside one
 * transaction that also sets the dataset version, so a failed import or fetch leaves it as it was.
 */
export function createMarketService({ repository, clock, sources, log }: MarketServiceDeps) {
  /** Symbols whose update failed or found nothing, and when: not asked again before UPDATE_RETRY_MS. */
  const lastUpdateAttempt = new Map<string, number>();

  /** The dataset version: a hash of every symbol's and series' content hash (same data, same version). */
  async function refreshVersion(repo: MarketRepository): Promise<string> {
    const lines = [
      ...(await repo.listSymbols()).map((row) => `S:${row.symbol}:${row.content_hash}`),
      ...(await repo.listRateSeries()).map((row) => `R:${row.series}:${row.content_hash}`),
    ];
    const version =
      lines.length === 0 ? EMPTY_DATASET_VERSION : sha256Hex(lines.join('\n')).slice(0, 16);
    await repo.setDatasetVersion(version, clock().toISOString());
    return version;
  }

  /** Merges bars into a symbol's stored ones: new days inserted, changed days overwritten. */
  async function storeBars(
    repo: MarketRepository,
    symbol: string,
    bars: readonly DailyBar[],
    source: MarketSource,
    fileHash: string | null,
  ): Promise<StoreCounts> {
    const existing = await repo.bars(symbol);
    const byDate = new Map(existing.map((bar) => [bar.date, bar]));
    const changed: DailyBar[] = [];
    let inserted = 0;
    for (const bar of bars) {
      const stored = byDate.get(bar.date);
      if (stored !== undefined && sameBar(stored, bar)) continue;
      if (stored === undefined) inserted += 1;
      changed.push(bar);
      byDate.set(bar.date, bar);
    }
    const row = await repo.findSymbol(symbol);
    if (changed.length === 0) {
      if (fileHash !== null && row !== undefined && row.file_hash !== fileHash) {
        await repo.setSymbolFileHash(symbol, fileHash);
      }
      return { inserted: 0, updated: 0, unchanged: bars.length };
    }
    const merged = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
    const first = merged[0];
    const last = merged.at(-1);
    if (first === undefined || last === undefined) throw new Error('merged bars cannot be empty');
    // The symbol row first: its bars refer to it.
    await repo.upsertSymbol({
      symbol,
      name: row?.name ?? null,
      first_date: first.date,
      last_date: last.date,
      bar_count: merged.length,
      dividend_count: merged.filter((bar) => bar.dividend > 0).length,
      source,
      imported_at: clock().toISOString(),
      content_hash: hashBars(merged),
      file_hash: fileHash ?? row?.file_hash ?? null,
    });
    await repo.upsertBars(symbol, changed);
    return {
      inserted,
      updated: changed.length - inserted,
      unchanged: bars.length - changed.length,
    };
  }

  async function storeRates(
    repo: MarketRepository,
    series: RateSeries,
    points: readonly RatePoint[],
    fileHash: string | null,
  ): Promise<StoreCounts> {
    const existing = await repo.ratePoints(series);
    const byDate = new Map(existing.map((point) => [point.date, point.rate_pct]));
    const changed = points.filter((point) => byDate.get(point.date) !== point.rate_pct);
    const inserted = changed.filter((point) => !byDate.has(point.date)).length;
    const row = await repo.findRateSeries(series);
    if (changed.length === 0) {
      if (fileHash !== null && row !== undefined && row.file_hash !== fileHash) {
        await repo.setRateSeriesFileHash(series, fileHash);
      }
      return { inserted: 0, updated: 0, unchanged: points.length };
    }
    for (const point of changed) byDate.set(point.date, point.rate_pct);
    const merged = [...byDate.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([date, rate_pct]) => ({ date, rate_pct }));
    const first = merged[0];
    const last = merged.at(-1);
    if (first === undefined || last === undefined) throw new Error('merged points cannot be empty');
    await repo.upsertRateSeries({
      series,
      first_date: first.date,
      last_date: last.date,
      point_count: merged.length,
      imported_at: clock().toISOString(),
      content_hash: hashRatePoints(merged),
      file_hash: fileHash ?? row?.file_hash ?? null,
    });
    await repo.upsertRatePoints(series, changed);
    return {
      inserted,
      updated: changed.length - inserted,
      unchanged: points.length - changed.length,
    };
  }

  /**
   * Imports files: every file is parsed and checked first; if any is rejected nothing is stored
   * and MarketError('import_rejected') lists every issue. Otherwise all files are stored in one
   * transaction; re-importing identical rows changes nothing and keeps the dataset version.
   */
  async function importFiles(
    files: readonly ImportFile[],
    options: ImportOptions = {},
  ): Promise<ImportResult> {
    const parsedFiles: ParsedFile[] = [];
    const issues: ImportIssue[] = [];
    for (const file of files) {
      const { parsed, issues: fileIssues } = parseImportFile(file, options.skipBadRows === true);
      issues.push(...fileIssues);
      if (parsed !== null) parsedFiles.push(parsed);
    }
    if (issues.length > 0) {
      const rejected = new Set(issues.map((issue) => issue.file));
      throw new MarketError(
        'import_rejected',
        `${String(rejected.size)} file(s) have problems, so nothing was imported: ${[...rejected].join(', ')}. ` +
          'Fix the rows listed, or import with skip_bad_rows (CLI: --skip-bad-rows) to leave them out.',
        issues,
      );
    }
    const source = options.source ?? 'import';
    return repository.transaction(async (repo) => {
      const results: ImportResult['files'] = [];
      let changed = false;
      for (const parsed of parsedFiles) {
        const fileHash = options.trackFileHash === true ? parsed.fileHash : null;
        const counts =
          parsed.kind === 'prices'
            ? await storeBars(repo, parsed.target, parsed.bars, source, fileHash)
            : await storeRates(repo, parsed.target, parsed.points, fileHash);
        if (counts.inserted + counts.updated > 0) changed = true;
        results.push({
          file: parsed.file,
          kind: parsed.kind,
          target: parsed.target,
          rows_read: parsed.rowsRead,
          rows_inserted: counts.inserted,
          rows_updated: counts.updated,
          rows_unchanged: counts.unchanged,
          skipped: parsed.skipped,
        });
      }
      const version = changed ? await refreshVersion(repo) : await repo.datasetVersion();
      return { dataset_version: version, changed, files: results };
    });
  }

  /** Stores bars a provider sent, in one transaction with the new dataset version. */
  async function storeFetched(symbol: string, bars: readonly DailyBar[], source: MarketSource) {
    await repository.transaction(async (repo) => {
      const counts = await storeBars(repo, symbol, bars, source, null);
      if (counts.inserted + counts.updated > 0) await refreshVersion(repo);
    });
  }

  /** A symbol that is not stored: the providers in order; the first with bars wins. */
  async function fetchMissing(symbol: string): Promise<void> {
    const failures: string[] = [];
    let rateLimited: MarketDataError | null = null;
    for (const source of sources) {
      try {
        const bars = checkFetchedBars(source, symbol, await source.getDailyBars(symbol));
        if (bars.length === 0) {
          failures.push(`${source.name}: no prices for ${symbol}`);
          continue;
        }
        await storeFetched(symbol, bars, source.name);
        log.info({ symbol, source: source.name, bars: bars.length }, 'market data fetched');
        return;
      } catch (error) {
        if (!(error instanceof MarketDataError)) throw error;
        if (error.kind === 'rate_limited') rateLimited = error;
        if (error.kind !== 'unknown_symbol') {
          log.warn({ symbol, source: source.name, kind: error.kind }, error.message);
        }
        failures.push(error.message);
      }
    }
    if (rateLimited !== null) {
      throw new MarketError(
        'rate_limited',
        `${rateLimited.message} Try again later, or import a CSV with ` +
          '`npx umbrella data import <file>` or on the admin Market data page.',
        [],
        rateLimited.retryAfterSeconds,
      );
    }
    const tried = failures.length === 0 ? '' : ` (${failures.join('; ')})`;
    throw new MarketError('unknown_symbol', `${unknownSymbolDetail(symbol)}${tried}`);
  }

  /**
   * A stored symbol whose last bar is before the last weekday: ask the providers for the days
   * since, at most once per UPDATE_RETRY_MS. A failure only logs: the stored bars still serve.
   */
  async function updateIfStale(symbol: string, lastDate: string): Promise<void> {
    if (sources.length === 0) return;
    const now = clock();
    if (lastDate >= lastWeekdayBefore(now.toISOString().slice(0, 10))) return;
    const attempted = lastUpdateAttempt.get(symbol);
    if (attempted !== undefined && now.getTime() - attempted < UPDATE_RETRY_MS) return;
    lastUpdateAttempt.set(symbol, now.getTime());
    const last = await repository.latestBar(symbol);
    if (last === undefined) return;
    for (const source of sources) {
      try {
        const fetched = checkFetchedBars(
          source,
          symbol,
          await source.getDailyBars(symbol, last.date),
        );
        const newer = continueAdjustedCloses(last, fetched);
        if (newer.length === 0) continue;
        await storeFetched(symbol, newer, source.name);
        log.info({ symbol, source: source.name, bars: newer.length }, 'market data updated');
        return;
      } catch (error) {
        if (!(error instanceof MarketDataError)) throw error;
        log.warn(
          { symbol, source: source.name, kind: error.kind },
          `update skipped: ${error.message}`,
        );
      }
    }
  }

  async function storedSymbol(symbol: string) {
    const row = await repository.findSymbol(symbol);
    if (row === undefined) throw new MarketError('unknown_symbol', unknownSymbolDetail(symbol));
    return row;
  }

  /**
   * Start-up import of MARKET_DATA_DIR: each file whose content hash differs from the one stored
   * for its symbol or series is imported on its own (source csv-dir), so one bad file is logged
   * and the others still land. Unchanged files cost a hash and one lookup.
   */
  async function importDataDir(files: readonly ImportFile[]) {
    const summary = { imported: [] as string[], unchanged: 0, failed: [] as string[] };
    for (const file of files) {
      const hash = sha256Hex(file.content);
      const kind = kindOfFile(file);
      const series = kind === 'rates' ? rateSeriesFromFileName(file.name) : null;
      const symbol = kind === 'prices' ? symbolFromFileName(file.name) : null;
      const storedHash =
        series !== null
          ? (await repository.findRateSeries(series))?.file_hash
          : symbol !== null
            ? (await repository.findSymbol(symbol))?.file_hash
            : undefined;
      if (storedHash === hash) {
        summary.unchanged += 1;
        continue;
      }
      try {
        const result = await importFiles([file], { source: 'csv-dir', trackFileHash: true });
        if (result.changed) summary.imported.push(file.name);
        else summary.unchanged += 1;
      } catch (error) {
        if (!(error instanceof MarketError)) throw error;
        summary.failed.push(file.name);
        log.error(
          {
            file: file.name,
            issues: error.issues.slice(0, 20).map(formatIssue),
          },
          `MARKET_DATA_DIR file not imported: ${error.message}`,
        );
      }
    }
    return summary;
  }

  return {
    importFiles,
    importDataDir,

    datasetVersion: () => repository.datasetVersion(),

    async catalog(): Promise<MarketCatalog> {
      const [version, symbols, rates] = await Promise.all([
        repository.datasetVersion(),
        repository.listSymbols(),
        repository.listRateSeries(),
      ]);
      return {
        dataset_version: version,
        symbols: symbols.map((row) => ({
          symbol: row.symbol,
          name: row.name,
          first_date: row.first_date,
          last_date: row.last_date,
          bar_count: row.bar_count,
          dividend_count: row.dividend_count,
          source: row.source,
          imported_at: row.imported_at,
        })),
        rates: rates.map((row) => ({
          series: row.series,
          first_date: row.first_date,
          last_date: row.last_date,
          point_count: row.point_count,
          imported_at: row.imported_at,
        })),
      };
    },

    /**
     * Bars for [from, to]: stored ones, after fetching a symbol that is not stored (or updating a
     * stale one) from the providers. MarketError('unknown_symbol') when no provider has it.
     */
    async bars(symbol: string, from?: string, to?: string): Promise<BarsResponse> {
      const before = await repository.findSymbol(symbol);
      if (before === undefined) await fetchMissing(symbol);
      else await updateIfStale(symbol, before.last_date);
      const row = await storedSymbol(symbol);
      const [bars, version] = await Promise.all([
        repository.bars(symbol, from, to),
        repository.datasetVersion(),
      ]);
      return { symbol, source: row.source, dataset_version: version, bars };
    },

    /** The total-return index (growth of 1 from the first bar) of stored bars in [from, to]. */
    async totalReturnIndex(
      symbol: string,
      from?: string,
      to?: string,
    ): Promise<TotalReturnPoint[]> {
      await storedSymbol(symbol);
      return totalReturnSeries(await repository.bars(symbol, from, to));
    },

    /** Total return between two days from stored adj_close (first trading day >= from, last <= to). */
    async totalReturn(symbol: string, from: string, to: string): Promise<PeriodTotalReturn | null> {
      await storedSymbol(symbol);
      return totalReturnBetween(await repository.bars(symbol, from, to), from, to);
    },

    /**
     * The latest price: the stored close while it is current; otherwise a provider's quote; the
     * stored close again when every provider fails.
     */
    async quote(symbol: string): Promise<Quote> {
      const row = await repository.findSymbol(symbol);
      const today = clock().toISOString().slice(0, 10);
      const storedQuote = async (): Promise<Quote | null> => {
        if (row === undefined) return null;
        const last = await repository.latestBar(symbol);
        return last === undefined
          ? null
          : { symbol, price: last.close, as_of: last.date, source: row.source };
      };
      if (row !== undefined && row.last_date >= lastWeekdayBefore(today)) {
        const stored = await storedQuote();
        if (stored !== null) return stored;
      }
      const failures: string[] = [];
      for (const source of sources) {
        try {
          const quote = quoteSchema.safeParse(await source.getQuote(symbol));
          if (quote.success) return { ...quote.data, symbol };
          failures.push(`${source.name} sent a quote for ${symbol} that is not valid`);
        } catch (error) {
          if (!(error instanceof MarketDataError)) throw error;
          failures.push(describeFailure(error));
        }
      }
      const stored = await storedQuote();
      if (stored !== null) return stored;
      const tried = failures.length === 0 ? '' : ` (${failures.join('; ')})`;
      throw new MarketError('unknown_symbol', `${unknownSymbolDetail(symbol)}${tried}`);
    },

    async rates(series: RateSeries, from?: string, to?: string): Promise<RatePoint[]> {
      const row = await repository.findRateSeries(series);
      if (row === undefined) {
        throw new MarketError(
          'unknown_rate_series',
          `No ${series} rates are stored. Import ${series}.csv (date,rate_pct or a FRED download) with ` +
            '`npx umbrella data import <file>` or on the admin Market data page.',
        );
      }
      return repository.ratePoints(series, from, to);
    },

    /**
     * The benchmark rate BM on a day (specs/margin.md D): EFFR on or before the day from
     * 2000-07-03, the month's FEDFUNDS before; null when that observation is not stored.
     */
    async rateOn(date: string): Promise<BenchmarkRate | null> {
      if (date < EFFR_START_DATE) {
        const month = await repository.ratePointOnOrBefore('FEDFUNDS', `${date.slice(0, 7)}-01`);
        return rateOn(date, [], month === undefined ? [] : [month]);
      }
      const day = await repository.ratePointOnOrBefore('EFFR', date);
      return rateOn(date, day === undefined ? [] : [day], []);
    },
  };
}
