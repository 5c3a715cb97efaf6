import type { DailyBar, MarketCatalog } from '@hub/core';
import { describe, expect, it } from 'vitest';
import { ApiError, parseProblem } from '../src/api/client';
import { buildCsv } from '../src/components/charts/csv';
import {
  barsPath,
  buildPriceSeries,
  catalogIsEmpty,
  formatCount,
  formatRatePct,
  formatRelativeTime,
  formatUsd,
  importIssuesOf,
  importRequestBody,
  importSelectionError,
  priceChartOption,
  priceCsv,
  priceTooltipHtml,
  quotePath,
  splitIssueMessage,
  ratesPath,
  SERIES_NAMES,
  zoomWindow,
} from '../src/features/market/helpers';

// Three SPY rows copied from ../shared/data/prices/SPY.csv (lines 6579-6581): 2019-03-15 is an
// ex-date with the $1.2331 distribution listed in ../shared/data/README.md ("Checks").
const SPY_LINES = [
  '2019-03-14,281.37,281.84,280.67,281.16,253.60385,67518400,0,0',
  '2019-03-15,280.54,282.21,280.33,281.31,254.85684,81309000,1.2331,0',
  '2019-03-18,281.55,282.66,281.3,282.33,255.78087,62199800,0,0',
];

function barFromLine(line: string): DailyBar {
  const [date = '', ...numbers] = line.split(',');
  const [open, high, low, close, adjClose, volume, dividend, split] = numbers.map(Number);
  return {
    date,
    open: open ?? null,
    high: high ?? null,
    low: low ?? null,
    close: close ?? Number.NaN,
    adj_close: adjClose ?? Number.NaN,
    volume: volume ?? null,
    dividend: dividend ?? 0,
    split: split ?? 0,
  };
}

const SPY_BARS = SPY_LINES.map(barFromLine);

describe('paths', () => {
  it('builds the contract paths with the date range as a query', () => {
    expect(barsPath('SPY')).toBe('/api/market/symbols/SPY/bars');
    expect(barsPath('BRK.B', { from: '2010-01-04', to: '2022-12-30' })).toBe(
      '/api/market/symbols/BRK.B/bars?from=2010-01-04&to=2022-12-30',
    );
    expect(barsPath('SPY', { from: '', to: '2022-12-30' })).toBe(
      '/api/market/symbols/SPY/bars?to=2022-12-30',
    );
    // A slash cannot reach the router as a second path segment (RFC 3986 percent-encoding).
    expect(quotePath('A/B')).toBe('/api/market/symbols/A%2FB/quote');
    expect(ratesPath('EFFR', { from: '2000-07-03' })).toBe(
      '/api/market/rates/EFFR?from=2000-07-03',
    );
  });
});

describe('formatting', () => {
  it('groups counts by thousands', () => {
    // SPY's row count in ../shared/data/README.md.
    expect(formatCount(8222)).toBe('8,222');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1109)).toBe('1,109');
  });

  it('writes dollars with a fixed number of decimals', () => {
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    // The README's example of a float32 source value: 661.0999755859375 is $661.10.
    expect(formatUsd(661.0999755859375)).toBe('$661.10');
    expect(formatUsd(1.2331, 4)).toBe('$1.2331');
    expect(formatUsd(-2.5)).toBe('−$2.50');
  });

  it('writes rates in percent per year with two decimals', () => {
    expect(formatRatePct(5.33)).toBe('5.33 %/yr');
    expect(formatRatePct(0.05)).toBe('0.05 %/yr');
  });

  it('says how long ago an instant was, in the largest whole unit', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    expect(formatRelativeTime('2026-12-02T11:59:30Z', now)).toBe('just now');
    // Clock skew: a time slightly in the future is still "just now".
    expect(formatRelativeTime('2026-12-02T12:00:05Z', now)).toBe('just now');
    expect(formatRelativeTime('2026-12-02T11:59:00Z', now)).toBe('1 minute ago');
    expect(formatRelativeTime('2026-12-02T11:55:00Z', now)).toBe('5 minutes ago');
    expect(formatRelativeTime('2026-12-02T11:00:00Z', now)).toBe('1 hour ago');
    expect(formatRelativeTime('2026-12-01T12:00:01Z', now)).toBe('23 hours ago');
    expect(formatRelativeTime('2026-11-29T12:00:00Z', now)).toBe('3 days ago');
    // 2026-09-03 is 90 days before 2026-12-02: three 30-day months.
    expect(formatRelativeTime('2026-09-03T12:00:00Z', now)).toBe('3 months ago');
    // 2024-12-02 is 730 days before: two 365-day years.
    expect(formatRelativeTime('2024-12-02T12:00:00Z', now)).toBe('2 years ago');
    expect(formatRelativeTime('not a date', now)).toBe('not a date');
  });
});

describe('catalogIsEmpty', () => {
  const empty: MarketCatalog = { dataset_version: 'v0', symbols: [], rates: [] };
  it('is true only without symbols and rates', () => {
    expect(catalogIsEmpty(empty)).toBe(true);
    expect(
      catalogIsEmpty({
        ...empty,
        rates: [
          {
            series: 'EFFR',
            first_date: '2000-07-03',
            last_date: '2026-04-22',
            point_count: 6478,
            imported_at: '2026-12-02T12:00:00Z',
          },
        ],
      }),
    ).toBe(false);
  });
});

describe('buildPriceSeries', () => {
  it('lists both closes per day and marks the ex-date with its amount', () => {
    expect(buildPriceSeries(SPY_BARS)).toEqual({
      dates: ['2019-03-14', '2019-03-15', '2019-03-18'],
      close: [281.16, 281.31, 282.33],
      adjClose: [253.60385, 254.85684, 255.78087],
      dividends: [{ index: 1, date: '2019-03-15', amount: 1.2331, close: 281.31 }],
    });
  });

  it('is empty for no bars', () => {
    expect(buildPriceSeries([])).toEqual({ dates: [], close: [], adjClose: [], dividends: [] });
  });
});

describe('zoomWindow', () => {
  const dates = ['2019-03-14', '2019-03-15', '2019-03-18'];
  it('runs from the first day on or after from to the last day on or before to', () => {
    expect(zoomWindow(dates, '', '')).toEqual({ startValue: 0, endValue: 2 });
    // 2019-03-16 and 17 are a weekend: the window starts on Monday the 18th.
    expect(zoomWindow(dates, '2019-03-16', '2019-03-31')).toEqual({ startValue: 2, endValue: 2 });
    expect(zoomWindow(dates, '2019-03-01', '2019-03-17')).toEqual({ startValue: 0, endValue: 1 });
    expect(zoomWindow(dates, '2019-03-15', '2019-03-15')).toEqual({ startValue: 1, endValue: 1 });
  });

  it('is undefined when no trading day falls inside', () => {
    expect(zoomWindow(dates, '2019-03-16', '2019-03-17')).toBeUndefined();
    expect(zoomWindow(dates, '2020-01-01', '')).toBeUndefined();
    expect(zoomWindow(dates, '', '2019-01-01')).toBeUndefined();
    expect(zoomWindow([], '', '')).toBeUndefined();
  });
});

describe('priceChartOption', () => {
  it('draws adjusted and raw close as lines and the dividend on the raw close', () => {
    const option = priceChartOption(SPY_BARS, { logScale: false });
    expect(option.xAxis).toEqual({
      type: 'category',
      data: ['2019-03-14', '2019-03-15', '2019-03-18'],
      name: 'Date',
      boundaryGap: false,
    });
    expect(option.yAxis).toEqual({ type: 'value', name: 'USD per share', scale: true });
    const series = option.series as { type: string; name: string; data: unknown[] }[];
    expect(series.map((entry) => [entry.type, entry.name])).toEqual([
      ['line', 'Adj. close (total return)'],
      ['line', 'Close (raw)'],
      ['scatter', 'Dividend (ex-date)'],
    ]);
    expect(series[0]?.data).toEqual([253.60385, 254.85684, 255.78087]);
    expect(series[1]?.data).toEqual([281.16, 281.31, 282.33]);
    // [category index of 2019-03-15, its close].
    expect(series[2]?.data).toEqual([[1, 281.31]]);
    expect(option.dataZoom).toEqual([{ type: 'inside' }, { type: 'slider' }]);
  });

  it('switches to a base-10 log axis and starts zoomed on the chosen range', () => {
    const option = priceChartOption(SPY_BARS, {
      logScale: true,
      range: { from: '2019-03-15', to: '' },
    });
    expect(option.yAxis).toEqual({ type: 'log', name: 'USD per share (log scale)', logBase: 10 });
    expect(option.dataZoom).toEqual([
      { type: 'inside', startValue: 1, endValue: 2 },
      { type: 'slider', startValue: 1, endValue: 2 },
    ]);
  });

  it('shows the hovered day with the dividend amount in the tooltip', () => {
    const option = priceChartOption(SPY_BARS, { logScale: false });
    const tooltip = option.tooltip as { trigger: string; formatter: (params: unknown) => string };
    expect(tooltip.trigger).toBe('axis');
    // ECharts passes one parameter per series at the hovered date; the lines carry the day's index.
    const html = tooltip.formatter([
      { seriesIndex: 0, dataIndex: 1 },
      { seriesIndex: 1, dataIndex: 1 },
      { seriesIndex: 2, dataIndex: 0 },
    ]);
    expect(html).toBe(
      '<strong>2019-03-15</strong><br/>Adj. close (total return): $254.86<br/>' +
        'Close (raw): $281.31<br/>Dividend (ex-date): $1.2331 per share',
    );
    // A day without a distribution has no dividend line.
    expect(tooltip.formatter([{ seriesIndex: 1, dataIndex: 2 }])).toBe(
      '<strong>2019-03-18</strong><br/>Adj. close (total return): $255.78<br/>Close (raw): $282.33',
    );
  });

  it('escapes the tooltip text', () => {
    const bar = SPY_BARS[0];
    if (bar === undefined) throw new Error('fixture missing');
    expect(priceTooltipHtml({ ...bar, date: '<b>' })).toBe(
      `<strong>&lt;b&gt;</strong><br/>${SERIES_NAMES.adjClose}: $253.60<br/>${SERIES_NAMES.close}: $281.16`,
    );
  });
});

describe('priceCsv', () => {
  it('exports the bars in the canonical price-file layout, as in the source file', () => {
    const csv = buildCsv(priceCsv(SPY_BARS));
    // Header of ../shared/data/prices/*.csv, then the very same lines: the export imports again.
    expect(csv).toBe(
      ['date,open,high,low,close,adj_close,volume,dividend,split', ...SPY_LINES]
        .map((line) => `${line}\r\n`)
        .join(''),
    );
  });

  it('leaves unknown open, high, low and volume empty', () => {
    const bar = SPY_BARS[1];
    if (bar === undefined) throw new Error('fixture missing');
    const csv = buildCsv(priceCsv([{ ...bar, open: null, high: null, low: null, volume: null }]));
    expect(csv.split('\r\n')[1]).toBe('2019-03-15,,,,281.31,254.85684,,1.2331,0');
  });
});

describe('imports', () => {
  it('builds the request body of POST /api/market/imports', () => {
    expect(importRequestBody([{ name: 'SPY.csv', content: 'date,close\n' }], true)).toEqual({
      files: [{ name: 'SPY.csv', content: 'date,close\n' }],
      skip_bad_rows: true,
    });
  });

  it('checks the chosen files before uploading', () => {
    expect(importSelectionError([])).toBe('Choose at least one CSV file.');
    expect(
      importSelectionError([
        { name: 'SPY.csv', size: 10 },
        { name: 'notes.txt', size: 10 },
      ]),
    ).toBe('Only .csv files can be imported: notes.txt.');
    expect(importSelectionError([{ name: 'EFFR.CSV', size: 100 }])).toBeUndefined();
    // 24 MB = 25 165 824 bytes is the most; one byte more is refused.
    expect(importSelectionError([{ name: 'a.csv', size: 25_165_824 }])).toBeUndefined();
    expect(importSelectionError([{ name: 'a.csv', size: 25_165_825 }])).toMatch(/too large/);
  });

  it('reads the bad rows of a 422 problem from their paths and wording', () => {
    // The form of packages/server/src/modules/market/routes.ts: path
    // body.files.<index>.rows.<line>.<column>, message "<file> row <r>, column <c>, value "<v>": <reason>".
    const body = JSON.stringify({
      type: 'about:blank',
      title: 'Import rejected',
      status: 422,
      detail: '1 file(s) have problems, so nothing was imported: BADX.csv.',
      code: 'import_rejected',
      errors: [
        {
          path: 'body.files.1.rows.3.close',
          message: 'BADX.csv row 3, column close, value "abc": is not a number',
        },
        {
          path: 'body.files.1.rows.5.high',
          message: 'BADX.csv row 5, column high, value "9": is below the low (9.5)',
        },
        { path: 'body.files.1.rows.7', message: 'BADX.csv row 7: has 8 fields, the header has 9' },
        { path: 'body.files.1', message: 'BADX.csv: has no data rows' },
      ],
    });
    const error = parseProblem(422, 'Unprocessable Content', body);
    expect(importIssuesOf(error, ['GOOD.csv', 'BADX.csv'])).toEqual([
      { file: 'BADX.csv', row: 3, column: 'close', value: 'abc', message: 'is not a number' },
      { file: 'BADX.csv', row: 5, column: 'high', value: '9', message: 'is below the low (9.5)' },
      {
        file: 'BADX.csv',
        row: 7,
        column: null,
        value: null,
        message: 'has 8 fields, the header has 9',
      },
      { file: 'BADX.csv', row: null, column: null, value: null, message: 'has no data rows' },
    ]);
  });

  it('takes file, row, column and value members when the entries carry them', () => {
    const body = JSON.stringify({
      title: 'Import rejected',
      status: 422,
      errors: [
        {
          path: 'body.files.0.rows.501.close',
          file: 'BAD.csv',
          row: 501,
          column: 'close',
          value: 'abc',
          message: 'is not a number',
        },
        { file: 'BAD.csv', row: 7, column: 'date', value: 12, message: 'dates must ascend' },
        { file: 'BAD.csv', row: 9 },
      ],
    });
    expect(importIssuesOf(parseProblem(422, '', body))).toEqual([
      { file: 'BAD.csv', row: 501, column: 'close', value: 'abc', message: 'is not a number' },
      { file: 'BAD.csv', row: 7, column: 'date', value: '12', message: 'dates must ascend' },
    ]);
  });

  it('keeps a wording it does not recognise whole', () => {
    expect(splitIssueMessage('close is not a number', 'A.csv', 3, 'close')).toEqual({
      value: null,
      message: 'close is not a number',
    });
    // A value holding a quote and a colon: the reason starts after the first '": '.
    expect(
      splitIssueMessage(
        'A.csv row 3, column date, value "2024:01": is not a date',
        'A.csv',
        3,
        'date',
      ),
    ).toEqual({
      value: '2024:01',
      message: 'is not a date',
    });
    expect(splitIssueMessage('A.csv value "x": odd', 'A.csv', null, null)).toEqual({
      value: 'x',
      message: 'odd',
    });
    expect(splitIssueMessage('anything', null, 3, 'close')).toEqual({
      value: null,
      message: 'anything',
    });
  });

  it('leaves other failures to the plain error alert', () => {
    // A request-shape problem (400) names fields by path only.
    const invalid = JSON.stringify({
      type: 'about:blank',
      title: 'Invalid request',
      status: 400,
      errors: [{ path: 'body.files', message: 'Required' }],
    });
    expect(importIssuesOf(parseProblem(400, '', invalid))).toBeUndefined();
    // A 422 whose errors point at no file or row.
    const unlocated = JSON.stringify({
      title: 'Unprocessable Content',
      status: 422,
      errors: [
        { path: 'body.skip_bad_rows', message: 'must be a boolean' },
        { path: 'body.files', message: 'too many files' },
      ],
    });
    expect(importIssuesOf(parseProblem(422, '', unlocated), ['A.csv'])).toBeUndefined();
    expect(
      importIssuesOf(new ApiError({ type: 'about:blank', title: 'x', status: 422 })),
    ).toBeUndefined();
    expect(importIssuesOf(new Error('offline'))).toBeUndefined();
  });
});
