import { describe, expect, it } from 'vitest';
import { parsePriceCsv } from '../src/index.js';

const CANONICAL = 'date,open,high,low,close,adj_close,volume,dividend,split';

// Scenario: a user imports daily prices exported from the hub itself, Yahoo, Stooq or FMP. Each
// layout must give the same bars, and every bad cell is named by line, column and value.
describe('parsePriceCsv: accepted layouts', () => {
  it('reads the canonical layout exactly as written (rows from shared/data/prices/VTI.csv)', () => {
    const text = [
      CANONICAL,
      '2008-06-17,68.85,68.85,68,68,49.542664,1220200,0,0',
      '2008-06-18,67.8,67.89,67.23,67.5,49.178337,595400,0,2',
    ].join('\n');
    const result = parsePriceCsv('VTI.csv', text);
    expect(result.rejected).toBe(false);
    expect(result.issues).toEqual([]);
    expect(result.rowsRead).toBe(2);
    expect(result.bars).toEqual([
      {
        date: '2008-06-17',
        open: 68.85,
        high: 68.85,
        low: 68,
        close: 68,
        adj_close: 49.542664,
        volume: 1220200,
        dividend: 0,
        split: 0,
      },
      {
        date: '2008-06-18',
        open: 67.8,
        high: 67.89,
        low: 67.23,
        close: 67.5,
        adj_close: 49.178337,
        volume: 595400,
        dividend: 0,
        split: 2,
      },
    ]);
  });

  it('reads a Yahoo export with a BOM, CRLF, Dividends and a "2:1" split', () => {
    const text =
      '\uFEFFDate,Open,High,Low,Close,Adj Close,Volume,Dividends,Stock Splits\r\n' +
      '2019-03-15,280.5,282.2,280.3,281.3,262.1,100,1.2331,0\r\n' +
      '2019-03-18,281.5,282.5,281.1,282.3,263.0,200,0,2:1\r\n';
    const result = parsePriceCsv('spy-yahoo.csv', text);
    expect(result.issues).toEqual([]);
    expect(result.bars.map((bar) => [bar.date, bar.adj_close, bar.dividend, bar.split])).toEqual([
      ['2019-03-15', 262.1, 1.2331, 0],
      ['2019-03-18', 263.0, 0, 2],
    ]);
  });

  it('reads Stooq (no adjusted close: it is the close; no dividend: 0)', () => {
    const text = 'Date,Open,High,Low,Close,Volume\n2024-01-02,100,101,99,100.5,5000\n';
    const [bar] = parsePriceCsv('spy_us_d.csv', text).bars;
    expect(bar).toEqual({
      date: '2024-01-02',
      open: 100,
      high: 101,
      low: 99,
      close: 100.5,
      adj_close: 100.5,
      volume: 5000,
      dividend: 0,
      split: 0,
    });
  });

  it('reads an FMP export newest-first, ignoring its extra columns, and returns it ascending', () => {
    const text = [
      'date,open,high,low,close,adjClose,volume,unadjustedVolume,change,changePercent,vwap,label,changeOverTime',
      '2024-01-03,11,12,10,11.5,11.4,300,300,0.5,4.5,11.2,"January 03, 24",0.045',
      '2024-01-02,10,11,9,10.5,10.4,200,200,0.5,5,10.2,"January 02, 24",0.05',
    ].join('\n');
    const result = parsePriceCsv('fmp.csv', text);
    expect(result.issues).toEqual([]);
    expect(result.bars.map((bar) => [bar.date, bar.adj_close])).toEqual([
      ['2024-01-02', 10.4],
      ['2024-01-03', 11.4],
    ]);
  });
});

describe('parsePriceCsv: validation', () => {
  const rows = [
    CANONICAL, // line 1
    '2020-01-02,10,11,9,10,10,100,0,0', // 2 fine
    '2020-01-03,10,11,9,-10,10,100,0,0', // 3 close negative
    '2020-01-06,10,9,11,10,10,100,0,0', // 4 high below low
    '2020-01-07,10,11,9,10,10,1.5,0,0', // 5 fractional volume
    '2020-01-07,10,11,9,10,10,100,0,0', // 6 fine, but see line 7
    '2020-01-07,10,11,9,10,10,100,0,0', // 7 repeats line 6's date
    '2020-01-02,10,11,9,10,10,100,0,0', // 8 goes back in time
    '2020-02-30,10,11,9,10,10,100,0,0', // 9 no such day
    '2020-01-09,10,11,9,abc,10,100,-1,0', // 10 two bad cells
    '2020-01-10,12,11,9,10,10,100,0,0', // 11 open above high
    '2020-01-13,10,11,9,10,10,100,0', // 12 missing a field
    '2020-01-14,10,11,9,10,10,100,0,0', // 13 fine
  ].join('\n');

  it('rejects the whole file and names every bad cell by line, column and value', () => {
    const result = parsePriceCsv('bad.csv', rows);
    expect(result.rejected).toBe(true);
    expect(result.bars).toEqual([]);
    expect(result.rowsRead).toBe(12);
    expect(result.issues.map((issue) => [issue.row, issue.column, issue.value])).toEqual([
      [3, 'close', '-10'],
      [4, 'high', '9'],
      [5, 'volume', '1.5'],
      [7, 'date', '2020-01-07'],
      [8, 'date', '2020-01-02'],
      [9, 'date', '2020-02-30'],
      [10, 'close', 'abc'],
      [10, 'dividend', '-1'],
      [11, 'open', '12'],
      [12, null, null],
    ]);
    expect(result.issues.every((issue) => issue.file === 'bad.csv')).toBe(true);
    expect(result.issues[0]?.message).toBe('must be a positive price');
    expect(result.issues[3]?.message).toBe(
      'repeats the date of an earlier row (dates must be unique)',
    );
  });

  it('with skipBadRows keeps the good rows (lines 2, 6 and 13) and reports the rest', () => {
    const result = parsePriceCsv('bad.csv', rows, { skipBadRows: true });
    expect(result.rejected).toBe(false);
    expect(result.bars.map((bar) => bar.date)).toEqual(['2020-01-02', '2020-01-07', '2020-01-14']);
    expect(result.issues).toHaveLength(10);
  });

  it('rejects a file without date and close columns even with skipBadRows', () => {
    const result = parsePriceCsv('x.csv', 'day,price\n2020-01-02,3\n', { skipBadRows: true });
    expect(result.rejected).toBe(true);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.row).toBe(1);
    expect(result.issues[0]?.message).toMatch(/^the header must have date and close columns/);
  });

  it('rejects an empty file', () => {
    expect(parsePriceCsv('empty.csv', '').issues[0]?.message).toBe('the file is empty');
  });
});
