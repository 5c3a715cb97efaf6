/**
 * Pure helpers of the market-data pages (no React, no DOM, no clock): numbers with their units,
 * the definitions shown in tooltips, the price chart's series and ECharts option, its CSV export,
 * the import request body and the reading of an import's 422 problem.
 * Covered by packages/web/test/market-helpers.test.ts.
 */

import type { DailyBar, MarketCatalog, MarketSource, RateSeries } from '@hub/core';
import { ApiError } from '../../api/client';
import type { CsvTable } from '../../components/charts/csv';
import type { ChartOption } from '../../components/charts/echarts';

/** Every market route lives under this prefix (packages/core/src/contracts/market.ts). */
export const MARKET_API = '/api/market';

/** The page's route. */
export const MARKET_DATA_PATH = '/market-data';

/** The admin section where CSV files are uploaded (relative to /admin). */
export const MARKET_ADMIN_SECTION = 'market-data';

/** The command line import, worded as in the server's 404 `unknown_symbol` detail. */
export const IMPORT_COMMAND = 'npx umbrella data import <file-or-folder>';

// ---------------------------------------------------------------- paths

export interface DateRange {
  from?: string;
  to?: string;
}

function rangeQuery(range: DateRange): string {
  const search = new URLSearchParams();
  if (range.from !== undefined && range.from !== '') search.append('from', range.from);
  if (range.to !== undefined && range.to !== '') search.append('to', range.to);
  const query = search.toString();
  return query === '' ? '' : `?${query}`;
}

/** GET path of a symbol's bars; the symbol is URL-encoded (BRK.B, BF-B stay readable). */
export function barsPath(symbol: string, range: DateRange = {}): string {
  return `${MARKET_API}/symbols/${encodeURIComponent(symbol)}/bars${rangeQuery(range)}`;
}

export function quotePath(symbol: string): string {
  return `${MARKET_API}/symbols/${encodeURIComponent(symbol)}/quote`;
}

export function ratesPath(series: RateSeries, range: DateRange = {}): string {
  return `${MARKET_API}/rates/${series}${rangeQuery(range)}`;
}

// ---------------------------------------------------------------- formatting

const COUNT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A count with thousands separators: 8222 → "8,222". */
export function formatCount(value: number): string {
  return COUNT_FORMAT.format(value);
}

/** US dollars with a fixed number of decimals: (1234.5) → "$1,234.50", (1.2331, 4) → "$1.2331". */
export function formatUsd(value: number, decimals = 2): string {
  const text = new Intl.NumberFormat('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(Math.abs(value));
  return value < 0 ? `−$${text}` : `$${text}`;
}

/** A rate in percent per year, as FRED publishes it: 5.33 → "5.33 %/yr". */
export function formatRatePct(value: number): string {
  return `${value.toFixed(2)} %/yr`;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Calendar-free approximations, good enough for "how long ago" wording. */
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
}

/**
 * How long before `nowMs` the instant `iso` was, in the largest whole unit: "just now" (under a
 * minute, or in the future by clock skew), "5 minutes ago", "1 hour ago", "3 days ago",
 * "2 months ago" (30-day months), "1 year ago" (365-day years). A string that is not a date is
 * returned as it is.
 */
export function formatRelativeTime(iso: string, nowMs: number): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const elapsed = nowMs - then;
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return plural(Math.floor(elapsed / MINUTE), 'minute');
  if (elapsed < DAY) return plural(Math.floor(elapsed / HOUR), 'hour');
  if (elapsed < MONTH) return plural(Math.floor(elapsed / DAY), 'day');
  if (elapsed < YEAR) return plural(Math.floor(elapsed / MONTH), 'month');
  return plural(Math.floor(elapsed / YEAR), 'year');
}

// ---------------------------------------------------------------- words and definitions

export const SOURCE_LABELS: Readonly<Record<MarketSource, string>> = {
  import: 'Imported CSV',
  'csv-dir': 'Data folder',
  fmp: 'Financial Modeling Prep',
  stooq: 'Stooq',
};

export const RATE_SERIES_LABELS: Readonly<Record<RateSeries, string>> = {
  EFFR: 'Effective federal funds rate, daily',
  FEDFUNDS: 'Federal funds rate, monthly average',
  TB3MS: '3-month Treasury bill, secondary market, monthly average',
};

/** The definitions behind every number and column of the market pages (DESIGN "Web"). */
export const DEFINITIONS = {
  datasetVersion:
    'Identifies the stored prices and rates: it changes whenever any stored bar or rate changes. Backtest results are cached per version.',
  symbol: 'The ticker symbol of the fund or stock.',
  name: 'The security’s name, when the source gives one.',
  firstDate: 'The first trading day stored (YYYY-MM-DD).',
  lastDate: 'The last trading day stored (YYYY-MM-DD).',
  bars: 'Daily bars stored: one per trading day, in days.',
  dividends: 'Cash distributions stored: days whose dividend (ex-date) is above 0.',
  source:
    'Where the stored bars came from: an imported CSV (admin upload or command line), the data folder (MARKET_DATA_DIR), Financial Modeling Prep or Stooq.',
  importedAt:
    'When the data were last stored: how long ago, and the date and time in your time zone.',
  rateSeries: 'A short-term interest-rate series from FRED, in percent per year.',
  ratePoints:
    'Observations stored: one per business day (EFFR) or one per month (FEDFUNDS, TB3MS).',
  close:
    'Raw close, USD per share: the closing price as the exchange printed it, split-adjusted, not adjusted for distributions.',
  adjClose:
    'Adj. close, USD per share: total-return close: adjusted for splits and distributions; only ratios between dates mean anything.',
  dividend:
    'Dividend, USD per share: the cash distribution whose ex-date is this day (split-adjusted share basis).',
  logScale:
    'A logarithmic price axis: equal distances are equal percentage changes, so growth rates compare across decades.',
  rowsRead: 'Data rows in the file (the header not counted).',
  rowsInserted: 'Rows stored for a date that had no row before.',
  rowsUpdated: 'Rows that replaced a stored row with different values.',
  rowsUnchanged: 'Rows identical to the stored ones: nothing changed.',
  skipped: 'Bad rows left out because “Skip bad rows” was chosen.',
} as const;

// ---------------------------------------------------------------- catalog

export function catalogIsEmpty(catalog: MarketCatalog): boolean {
  return catalog.symbols.length === 0 && catalog.rates.length === 0;
}

// ---------------------------------------------------------------- price chart

export interface DividendMark {
  /** Index of the ex-date in `dates`. */
  index: number;
  date: string;
  /** USD per share. */
  amount: number;
  /** The raw close that day, where the mark is drawn. */
  close: number;
}

export interface PriceSeries {
  dates: string[];
  close: number[];
  adjClose: number[];
  dividends: DividendMark[];
}

/** The chart's series from bars in date order: both closes per day and the dividend ex-dates. */
export function buildPriceSeries(bars: readonly DailyBar[]): PriceSeries {
  const series: PriceSeries = { dates: [], close: [], adjClose: [], dividends: [] };
  bars.forEach((bar, index) => {
    series.dates.push(bar.date);
    series.close.push(bar.close);
    series.adjClose.push(bar.adj_close);
    if (bar.dividend > 0) {
      series.dividends.push({ index, date: bar.date, amount: bar.dividend, close: bar.close });
    }
  });
  return series;
}

export const SERIES_NAMES = {
  adjClose: 'Adj. close (total return)',
  close: 'Close (raw)',
  dividend: 'Dividend (ex-date)',
} as const;

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** The tooltip lines of one day: date, both closes, and the dividend on an ex-date. */
export function priceTooltipLines(bar: DailyBar): string[] {
  const lines = [
    bar.date,
    `${SERIES_NAMES.adjClose}: ${formatUsd(bar.adj_close)}`,
    `${SERIES_NAMES.close}: ${formatUsd(bar.close)}`,
  ];
  if (bar.dividend > 0)
    lines.push(`${SERIES_NAMES.dividend}: ${formatUsd(bar.dividend, 4)} per share`);
  return lines;
}

/** The tooltip's HTML (ECharts renders it as HTML): the lines, escaped, the date in bold. */
export function priceTooltipHtml(bar: DailyBar): string {
  const [date = '', ...rest] = priceTooltipLines(bar).map(escapeHtml);
  return [`<strong>${date}</strong>`, ...rest].join('<br/>');
}

/** The part of an ECharts tooltip callback parameter the formatter reads. */
interface TooltipParam {
  seriesIndex?: number;
  dataIndex: number;
}

export interface PriceChartSettings {
  logScale: boolean;
  /** The zoomed date range (YYYY-MM-DD, either end may be ''); the whole history when absent. */
  range?: { from: string; to: string };
}

/** The first and last index of the dates a zoom window shows (both inclusive). */
export interface ZoomWindow {
  startValue: number;
  endValue: number;
}

/**
 * The zoom window for a date range over ascending trading days: from the first day on or after
 * `from` to the last day on or before `to` ('' = open end). Undefined when no day falls inside
 * (or there are no days).
 */
export function zoomWindow(
  dates: readonly string[],
  from: string,
  to: string,
): ZoomWindow | undefined {
  const startValue = from === '' ? 0 : dates.findIndex((date) => date >= from);
  let endValue = dates.length - 1;
  if (to !== '') {
    endValue = -1;
    for (let index = dates.length - 1; index >= 0; index -= 1) {
      if ((dates[index] ?? '') <= to) {
        endValue = index;
        break;
      }
    }
  }
  if (startValue < 0 || endValue < 0 || startValue > endValue) return undefined;
  return { startValue, endValue };
}

/**
 * The ECharts option of a symbol's price chart: adjusted and raw close as lines on one USD axis
 * (linear or log), dividends as marks on the raw close at their ex-dates. Zoom and the export
 * buttons come from the <Chart> wrapper.
 */
export function priceChartOption(
  bars: readonly DailyBar[],
  settings: PriceChartSettings,
): ChartOption {
  const series = buildPriceSeries(bars);
  const window =
    settings.range === undefined
      ? undefined
      : zoomWindow(series.dates, settings.range.from, settings.range.to);
  return {
    // Both zooms (mouse wheel inside, slider below) start on the chosen range.
    dataZoom: [
      { type: 'inside', ...window },
      { type: 'slider', ...window },
    ],
    grid: { left: 72, right: 24, top: 48, bottom: 80 },
    legend: { top: 0 },
    xAxis: { type: 'category', data: series.dates, name: 'Date', boundaryGap: false },
    yAxis: settings.logScale
      ? { type: 'log', name: 'USD per share (log scale)', logBase: 10 }
      : { type: 'value', name: 'USD per share', scale: true },
    tooltip: {
      trigger: 'axis',
      formatter: (params) => {
        const list = (Array.isArray(params) ? params : [params]) as TooltipParam[];
        // The lines' data index is the bar's index (the scatter's is its own mark number).
        const line = list.find((param) => param.seriesIndex === 0 || param.seriesIndex === 1);
        const bar = line === undefined ? undefined : bars[line.dataIndex];
        return bar === undefined ? '' : priceTooltipHtml(bar);
      },
    },
    series: [
      {
        type: 'line',
        name: SERIES_NAMES.adjClose,
        data: series.adjClose,
        showSymbol: false,
        sampling: 'lttb',
      },
      {
        type: 'line',
        name: SERIES_NAMES.close,
        data: series.close,
        showSymbol: false,
        sampling: 'lttb',
      },
      {
        type: 'scatter',
        name: SERIES_NAMES.dividend,
        // [category index, price]: a category axis reads a number as the category's index.
        data: series.dividends.map((mark) => [mark.index, mark.close]),
        symbol: 'triangle',
        symbolSize: 8,
      },
    ],
  };
}

/** Column order of the hub's canonical price CSV, so an export can be imported again. */
export const PRICE_CSV_COLUMNS = [
  'date',
  'open',
  'high',
  'low',
  'close',
  'adj_close',
  'volume',
  'dividend',
  'split',
];

/** The chart's data for "Download CSV": every bar in the canonical price-file layout. */
export function priceCsv(bars: readonly DailyBar[]): CsvTable {
  return {
    columns: [...PRICE_CSV_COLUMNS],
    rows: bars.map((bar) => [
      bar.date,
      bar.open,
      bar.high,
      bar.low,
      bar.close,
      bar.adj_close,
      bar.volume,
      bar.dividend,
      bar.split,
    ]),
  };
}

// ---------------------------------------------------------------- imports

export interface ImportFile {
  name: string;
  content: string;
}

export interface ImportRequest {
  files: ImportFile[];
  skip_bad_rows: boolean;
}

/** The body of POST /api/market/imports. */
export function importRequestBody(
  files: readonly ImportFile[],
  skipBadRows: boolean,
): ImportRequest {
  return {
    files: files.map((file) => ({ name: file.name, content: file.content })),
    skip_bad_rows: skipBadRows,
  };
}

/** One bad row/column of a refused import, as the table shows it. */
export interface ImportIssueRow {
  file: string | null;
  row: number | null;
  column: string | null;
  value: string | null;
  message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOrNull(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** A 422 `errors` path of the import route: body.files.<file index>.rows.<line>.<column>. */
const ISSUE_PATH = /^body\.files(?:\.(\d+))?(?:\.rows\.(\d+))?(?:\.(.+))?$/;

/**
 * Splits the server's wording of an issue, `<file> row <r>, column <c>, value "<v>": <reason>`
 * (packages/server/src/modules/market/routes.ts describeIssue), into the value and the reason,
 * given the parts already known from the path. A message in another form is kept whole.
 */
export function splitIssueMessage(
  message: string,
  file: string | null,
  row: number | null,
  column: string | null,
): { value: string | null; message: string } {
  const whole = { value: null, message };
  if (file === null) return whole;
  const where = [
    row === null ? null : `row ${String(row)}`,
    column === null ? null : `column ${column}`,
  ]
    .filter((part) => part !== null)
    .join(', ');
  const prefix = where === '' ? file : `${file} ${where}`;
  if (!message.startsWith(prefix)) return whole;
  const rest = message.slice(prefix.length);
  const valueStart = where === '' ? ' value "' : ', value "';
  if (rest.startsWith(valueStart)) {
    const end = rest.indexOf('": ', valueStart.length);
    if (end === -1) return whole;
    return { value: rest.slice(valueStart.length, end), message: rest.slice(end + 3) };
  }
  if (rest.startsWith(': ')) return { value: null, message: rest.slice(2) };
  return whole;
}

function issueFromEntry(
  item: Record<string, unknown>,
  fileNames: readonly string[],
): ImportIssueRow | undefined {
  if (typeof item.message !== 'string') return undefined;
  // Entries that carry the ImportIssue members themselves are taken as they are…
  if ('file' in item || 'row' in item) {
    return {
      file: textOrNull(item.file),
      row: typeof item.row === 'number' && Number.isInteger(item.row) ? item.row : null,
      column: textOrNull(item.column),
      value: textOrNull(item.value),
      message: item.message,
    };
  }
  // …otherwise file, row and column come from the field path, and the value from the wording.
  if (typeof item.path !== 'string') return undefined;
  const match = ISSUE_PATH.exec(item.path);
  if (match === null) return undefined;
  const [, index, line, columnText] = match;
  const file = index === undefined ? null : (fileNames[Number(index)] ?? null);
  const row = line === undefined ? null : Number(line);
  const column = columnText ?? null;
  return { file, row, column, ...splitIssueMessage(item.message, file, row, column) };
}

/**
 * The per-row problems of a refused import (a 422 problem from POST /api/market/imports), or
 * undefined for any other failure (shown as a plain error). Each `errors` entry gives file, row,
 * column and value either as members of its own or through its path
 * (body.files.<index>.rows.<line>.<column>, the index into `fileNames`, the names sent) and its
 * message. Entries in neither form are left out.
 */
export function importIssuesOf(
  error: unknown,
  fileNames: readonly string[] = [],
): ImportIssueRow[] | undefined {
  if (!(error instanceof ApiError) || error.status !== 422) return undefined;
  const errors = error.members.errors;
  if (!Array.isArray(errors)) return undefined;
  const rows: ImportIssueRow[] = [];
  for (const item of errors) {
    if (!isRecord(item)) continue;
    const row = issueFromEntry(item, fileNames);
    if (row !== undefined) rows.push(row);
  }
  return rows.some((row) => row.file !== null || row.row !== null) ? rows : undefined;
}

/** Total size of the chosen files, to warn before the 25 MB request limit of the import route. */
export const IMPORT_BODY_LIMIT_BYTES = 25 * 1024 * 1024;

/**
 * The error under the file picker, or undefined when the selection can be sent: at least one
 * file, every name ending in .csv, and the total under the route's 25 MB body limit.
 */
export function importSelectionError(
  files: readonly { name: string; size: number }[],
): string | undefined {
  if (files.length === 0) return 'Choose at least one CSV file.';
  const notCsv = files.filter((file) => !file.name.toLowerCase().endsWith('.csv'));
  if (notCsv.length > 0) {
    return `Only .csv files can be imported: ${notCsv.map((file) => file.name).join(', ')}.`;
  }
  const total = files.reduce((sum, file) => sum + file.size, 0);
  // JSON escaping adds a little; keep a margin of 1 MB below the server's limit.
  if (total > IMPORT_BODY_LIMIT_BYTES - 1024 * 1024) {
    return 'The files are too large to upload together (24 MB at most). Upload fewer at a time, or use the command line import.';
  }
  return undefined;
}
