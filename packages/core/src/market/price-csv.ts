import Papa from 'papaparse';
import type { DailyBar, ImportIssue } from '../contracts/market.js';
import { headerKey, parseDecimal, parseIsoDay } from './numbers.js';

/**
 * Daily price CSV files as people have them: the hub's canonical export
 * (`date,open,high,low,close,adj_close,volume,dividend,split`), Yahoo
 * (`Date,Open,High,Low,Close,Adj Close,Volume[,Dividends,Stock Splits]`), Stooq
 * (`Date,Open,High,Low,Close,Volume`) and FMP (`date,open,high,low,close,adjClose,volume,…`).
 * Headers match case-insensitively; a BOM and CRLF line ends are fine; unknown columns are ignored.
 */

export interface CsvParseOptions {
  /** Drop bad rows (each reported in `issues`) instead of rejecting the whole file. */
  readonly skipBadRows?: boolean;
}

export interface CsvParseResult {
  /**
   * True when nothing of the file may be stored: a problem with the file itself (header, empty),
   * or bad rows while skipBadRows is off. Then the rows list is empty.
   */
  readonly rejected: boolean;
  /** Errors: one per bad row and column, or one for the whole file (row 1 = the header, or null). */
  readonly issues: ImportIssue[];
  /** Notes that reject nothing (e.g. FRED's "." for a missing value, whose row is left out). */
  readonly warnings: ImportIssue[];
  /** Data rows in the file, blank lines not counted. */
  readonly rowsRead: number;
}

export interface PriceCsvResult extends CsvParseResult {
  /** Rows that passed every check, ascending by date. */
  readonly bars: DailyBar[];
}

type PriceField = keyof DailyBar;

/** Header spellings of the supported exports, compared after headerKey(). */
const PRICE_HEADERS: Readonly<Record<string, PriceField>> = {
  date: 'date',
  open: 'open',
  high: 'high',
  low: 'low',
  close: 'close',
  adjclose: 'adj_close',
  adjustedclose: 'adj_close',
  volume: 'volume',
  dividend: 'dividend',
  dividends: 'dividend',
  split: 'split',
  splits: 'split',
  stocksplits: 'split',
};

/** One parsed CSV line: its 1-based line number in the file and its trimmed cells. */
export interface CsvLine {
  readonly line: number;
  readonly cells: readonly string[];
}

/**
 * Splits CSV text into lines of cells with PapaParse (quotes, CRLF, BOM). Blank lines are left
 * out but keep their line numbers counted, so issues point at the line an editor shows.
 */
export function readCsvLines(text: string): { lines: CsvLine[]; parseIssues: string[] } {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    header: false,
    delimiter: ',',
    skipEmptyLines: false,
    dynamicTyping: false,
  });
  const lines: CsvLine[] = [];
  parsed.data.forEach((cells, index) => {
    if (cells.every((cell) => cell.trim() === '')) return;
    lines.push({ line: index + 1, cells: cells.map((cell) => cell.trim()) });
  });
  return { lines, parseIssues: parsed.errors.map((error) => error.message) };
}

/** A split written as a ratio ("2", "2:1", "2/1"), or null when it is none of those. */
function parseSplit(text: string): number | null {
  const ratio = /^(\d+(?:\.\d+)?)\s*[:/]\s*(\d+(?:\.\d+)?)$/.exec(text);
  if (ratio !== null) {
    const numerator = Number(ratio[1]);
    const denominator = Number(ratio[2]);
    return denominator > 0 ? numerator / denominator : null;
  }
  return parseDecimal(text);
}

interface RowCheck {
  readonly line: number;
  readonly date: string | null;
  readonly bar: DailyBar | null;
  readonly issues: ImportIssue[];
}

/**
 * Reads a daily price CSV and checks every row: an ISO date, dates strictly ascending (a file
 * that is entirely newest-first, as FMP exports are, is read in reverse), positive prices,
 * low <= open, close <= high, numeric fields, whole non-negative volume, non-negative dividend
 * and split. Pure: the caller stores the bars and shows the issues.
 */
export function parsePriceCsv(
  fileName: string,
  text: string,
  options: CsvParseOptions = {},
): PriceCsvResult {
  const fileIssue = (message: string, row: number | null = 1): PriceCsvResult => ({
    rejected: true,
    bars: [],
    issues: [{ file: fileName, row, column: null, value: null, message }],
    warnings: [],
    rowsRead: 0,
  });
  const { lines, parseIssues } = readCsvLines(text);
  const header = lines[0];
  if (header === undefined) return fileIssue('the file is empty', null);
  if (parseIssues.length > 0 && lines.length === 1) return fileIssue(parseIssues.join('; '));

  // Which column holds which field; the file's own header text names columns in issues.
  const columnOf = new Map<PriceField, number>();
  for (const [index, cell] of header.cells.entries()) {
    const field = PRICE_HEADERS[headerKey(cell)];
    if (field === undefined) continue;
    if (columnOf.has(field)) return fileIssue(`the header names the ${field} column twice`);
    columnOf.set(field, index);
  }
  const missing = (['date', 'close'] as const).filter((field) => !columnOf.has(field));
  if (missing.length > 0) {
    return fileIssue(
      `the header must have ${missing.join(' and ')} columns (got "${header.cells.join(',')}"); ` +
        'expected date,open,high,low,close,adj_close,volume,dividend,split or a Yahoo, Stooq or FMP export',
    );
  }
  const width = header.cells.length;
  const nameOf = (field: PriceField): string => {
    const index = columnOf.get(field);
    return index === undefined ? field : (header.cells[index] ?? field);
  };

  const checks = lines
    .slice(1)
    .map((row): RowCheck => checkPriceRow(fileName, row, width, columnOf, nameOf));
  return finishRows(fileName, checks, nameOf('date'), options, (bars, issues, warnings) => ({
    rejected: issues.length > 0 && options.skipBadRows !== true,
    bars,
    issues,
    warnings,
    rowsRead: checks.length,
  }));
}

function checkPriceRow(
  fileName: string,
  row: CsvLine,
  width: number,
  columnOf: ReadonlyMap<PriceField, number>,
  nameOf: (field: PriceField) => string,
): RowCheck {
  const issues: ImportIssue[] = [];
  const issue = (field: PriceField | null, value: string | null, message: string) => {
    issues.push({
      file: fileName,
      row: row.line,
      column: field === null ? null : nameOf(field),
      value,
      message,
    });
  };
  if (row.cells.length !== width) {
    issue(null, null, `has ${String(row.cells.length)} fields, the header has ${String(width)}`);
    return { line: row.line, date: null, bar: null, issues };
  }
  const cell = (field: PriceField): string | undefined => {
    const index = columnOf.get(field);
    return index === undefined ? undefined : (row.cells[index] ?? '');
  };

  const dateText = cell('date') ?? '';
  const date = parseIsoDay(dateText);
  if (date === null) issue('date', dateText, 'is not a date in YYYY-MM-DD form');

  /** A price: required ones must be present; optional ones may be blank (unknown). */
  const price = (field: 'open' | 'high' | 'low' | 'close' | 'adj_close', required: boolean) => {
    const text = cell(field);
    if (text === undefined || (text === '' && !required)) return null;
    const value = parseDecimal(text);
    if (value === null) {
      issue(field, text, 'is not a number');
      return undefined;
    }
    if (value <= 0) {
      issue(field, text, 'must be a positive price');
      return undefined;
    }
    return value;
  };
  const open = price('open', false);
  const high = price('high', false);
  const low = price('low', false);
  const close = price('close', true);
  // Stooq and other price-only exports have no adjusted close: the close is the best there is.
  const adjClose = columnOf.has('adj_close') ? price('adj_close', true) : close;

  if (typeof high === 'number' && typeof low === 'number' && high < low) {
    issue('high', cell('high') ?? '', `is below the low (${cell('low') ?? ''})`);
  } else {
    for (const field of ['open', 'close'] as const) {
      const value = field === 'open' ? open : close;
      if (typeof value !== 'number') continue;
      if (typeof low === 'number' && value < low) {
        issue(field, cell(field) ?? '', `is below the low (${cell('low') ?? ''})`);
      } else if (typeof high === 'number' && value > high) {
        issue(field, cell(field) ?? '', `is above the high (${cell('high') ?? ''})`);
      }
    }
  }

  let volume: number | null = null;
  const volumeText = cell('volume');
  if (volumeText !== undefined && volumeText !== '') {
    const value = parseDecimal(volumeText);
    if (value === null) issue('volume', volumeText, 'is not a number');
    else if (value < 0 || !Number.isInteger(value)) {
      issue('volume', volumeText, 'must be a whole number of shares, 0 or more');
    } else volume = value;
  }

  const nonNegative = (field: 'dividend' | 'split', read: (text: string) => number | null) => {
    const text = cell(field);
    if (text === undefined || text === '') return 0;
    const value = read(text);
    if (value === null) {
      issue(field, text, field === 'split' ? 'is not a number or ratio' : 'is not a number');
      return 0;
    }
    if (value < 0) issue(field, text, 'must be 0 or more');
    return value;
  };
  const dividend = nonNegative('dividend', parseDecimal);
  const split = nonNegative('split', parseSplit);

  if (
    issues.length > 0 ||
    date === null ||
    open === undefined ||
    high === undefined ||
    low === undefined ||
    typeof close !== 'number' ||
    typeof adjClose !== 'number'
  ) {
    return { line: row.line, date, bar: null, issues };
  }
  return {
    line: row.line,
    date,
    bar: { date, open, high, low, close, adj_close: adjClose, volume, dividend, split },
    issues,
  };
}

/**
 * The date-order check shared by price and rate files, then the all-or-nothing rule. Dates must
 * be strictly ascending; a file whose dates all run strictly newest-first is accepted reversed.
 * A row out of order is compared with the last row kept, so one bad row gives one issue.
 */
export function finishRows<T extends { readonly date: string }, R>(
  fileName: string,
  checks: readonly { line: number; date: string | null; bar: T | null; issues: ImportIssue[] }[],
  dateColumn: string,
  options: CsvParseOptions,
  result: (rows: T[], issues: ImportIssue[], warnings: ImportIssue[]) => R,
  warnings: ImportIssue[] = [],
): R {
  const dates = checks.flatMap((check) => (check.date === null ? [] : [check.date]));
  const newestFirst =
    dates.length >= 2 &&
    dates.every((date, index) => index === 0 || date < (dates[index - 1] ?? ''));
  const ordered = newestFirst ? [...checks].reverse() : checks;
  const rows: T[] = [];
  const issues: ImportIssue[] = [];
  let lastDate: string | null = null;
  for (const check of ordered) {
    if (check.bar === null) {
      issues.push(...check.issues);
      continue;
    }
    if (lastDate !== null && check.bar.date <= lastDate) {
      issues.push({
        file: fileName,
        row: check.line,
        column: dateColumn,
        value: check.bar.date,
        message:
          check.bar.date === lastDate
            ? 'repeats the date of an earlier row (dates must be unique)'
            : `is before the previous row's date ${lastDate} (dates must be ascending)`,
      });
      continue;
    }
    rows.push(check.bar);
    lastDate = check.bar.date;
  }
  issues.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  const keep = issues.length === 0 || options.skipBadRows === true;
  return result(keep ? rows : [], issues, warnings);
}
