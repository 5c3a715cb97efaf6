import {
  RATE_SERIES,
  type ImportIssue,
  type RatePoint,
  type RateSeries,
} from '../contracts/market.js';
import { headerKey, parseDecimal, parseIsoDay } from './numbers.js';
import {
  finishRows,
  readCsvLines,
  type CsvParseOptions,
  type CsvParseResult,
} from './price-csv.js';

/** Monthly series hold a month's average and are dated the first of that month (FRED). */
export const MONTHLY_RATE_SERIES: readonly RateSeries[] = ['FEDFUNDS', 'TB3MS'];

export interface RateCsvOptions extends CsvParseOptions {
  /** The series the file holds, when neither its header nor its name says so. */
  readonly series?: RateSeries;
}

export interface RateCsvResult extends CsvParseResult {
  /** The series, from the option, the FRED header or the file name; null when none says. */
  readonly series: RateSeries | null;
  /** Rows that passed every check, ascending by date. */
  readonly points: RatePoint[];
}

/** FRED's marker for a missing observation; newer downloads leave the cell blank. */
const FRED_MISSING = '.';

function knownSeries(text: string): RateSeries | null {
  const upper = text.trim().toUpperCase();
  return (RATE_SERIES as readonly string[]).includes(upper) ? (upper as RateSeries) : null;
}

/** "rates/EFFR.csv" → EFFR; null when the name is not a known series. */
export function rateSeriesFromFileName(fileName: string): RateSeries | null {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return knownSeries(base.replace(/\.csv$/i, ''));
}

/**
 * Reads a short-rate CSV: `date,rate_pct` (the hub's format) or FRED's `DATE,<SERIES>` and
 * `observation_date,<SERIES>`. Rates are percent per year. FRED's "." (or a blank) for a missing
 * value leaves the row out with a warning; anything else that is not a number is an error.
 */
export function parseRateCsv(
  fileName: string,
  text: string,
  options: RateCsvOptions = {},
): RateCsvResult {
  const fileIssue = (
    message: string,
    series: RateSeries | null = null,
    row: number | null = 1,
  ): RateCsvResult => ({
    rejected: true,
    series,
    points: [],
    issues: [{ file: fileName, row, column: null, value: null, message }],
    warnings: [],
    rowsRead: 0,
  });
  const { lines } = readCsvLines(text);
  const header = lines[0];
  if (header === undefined) return fileIssue('the file is empty', options.series ?? null, null);
  const [dateHeader = '', valueHeader = ''] = header.cells;
  if (header.cells.length !== 2 || !['date', 'observationdate'].includes(headerKey(dateHeader))) {
    return fileIssue(
      `the header must be date,rate_pct or FRED's DATE,<SERIES> / observation_date,<SERIES> (got "${header.cells.join(',')}")`,
    );
  }
  let series: RateSeries | null;
  if (headerKey(valueHeader) === 'ratepct') {
    series = options.series ?? rateSeriesFromFileName(fileName);
    if (series === null) {
      return fileIssue(
        `cannot tell which rate series this is: name the file after it (${RATE_SERIES.join(', ')}.csv)`,
      );
    }
  } else {
    series = knownSeries(valueHeader);
    if (series === null) {
      return fileIssue(`unknown rate series "${valueHeader}" (known: ${RATE_SERIES.join(', ')})`);
    }
    if (options.series !== undefined && options.series !== series) {
      return fileIssue(`the header names ${series}, but the file was given as ${options.series}`);
    }
  }
  const monthly = MONTHLY_RATE_SERIES.includes(series);

  const warnings: ImportIssue[] = [];
  const checks = lines.slice(1).map((row) => {
    const issues: ImportIssue[] = [];
    const issue = (column: string | null, value: string | null, message: string) => {
      issues.push({ file: fileName, row: row.line, column, value, message });
    };
    if (row.cells.length !== 2) {
      issue(null, null, `has ${String(row.cells.length)} fields, the header has 2`);
      return { line: row.line, date: null, bar: null, issues };
    }
    const [dateText = '', valueText = ''] = row.cells;
    const date = parseIsoDay(dateText);
    if (date === null) issue(dateHeader, dateText, 'is not a date in YYYY-MM-DD form');
    else if (monthly && !date.endsWith('-01')) {
      issue(dateHeader, dateText, `${series} is monthly: dates must be the first of the month`);
    }
    if (valueText === FRED_MISSING || valueText === '') {
      if (issues.length === 0) {
        warnings.push({
          file: fileName,
          row: row.line,
          column: valueHeader,
          value: valueText,
          message: 'no value for this day (FRED marks a missing observation so); row left out',
        });
      }
      return { line: row.line, date: null, bar: null, issues };
    }
    const rate = parseDecimal(valueText);
    if (rate === null) issue(valueHeader, valueText, 'is not a number');
    if (issues.length > 0 || date === null || rate === null) {
      return { line: row.line, date, bar: null, issues };
    }
    return { line: row.line, date, bar: { date, rate_pct: rate }, issues };
  });

  return finishRows(
    fileName,
    checks,
    dateHeader,
    options,
    (points, issues, kept) => ({
      rejected: issues.length > 0 && options.skipBadRows !== true,
      series,
      points,
      issues,
      warnings: kept,
      rowsRead: checks.length,
    }),
    warnings,
  );
}
