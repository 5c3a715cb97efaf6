import { describe, expect, it } from 'vitest';
import { parseRateCsv } from '../src/index.js';

// Scenario: an admin imports short-rate series in the hub's layout or straight from FRED.
describe('parseRateCsv', () => {
  it('reads date,rate_pct and takes the series from the file name', () => {
    const result = parseRateCsv(
      'rates/EFFR.csv',
      'date,rate_pct\n2000-07-03,7.03\n2000-07-05,6.52\n',
    );
    expect(result.series).toBe('EFFR');
    expect(result.rejected).toBe(false);
    expect(result.points).toEqual([
      { date: '2000-07-03', rate_pct: 7.03 },
      { date: '2000-07-05', rate_pct: 6.52 },
    ]);
  });

  it('reads a FRED download, series from the header, "." skipped with a warning', () => {
    const text = 'observation_date,EFFR\r\n2024-12-24,4.33\r\n2024-12-25,.\r\n2024-12-26,4.33\r\n';
    const result = parseRateCsv('download.csv', text);
    expect(result.series).toBe('EFFR');
    expect(result.issues).toEqual([]);
    expect(result.points.map((point) => point.date)).toEqual(['2024-12-24', '2024-12-26']);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ row: 3, column: 'EFFR', value: '.' });
  });

  it('reads the old FRED header DATE,<SERIES>', () => {
    const result = parseRateCsv('fred.csv', 'DATE,FEDFUNDS\n1954-07-01,0.80\n');
    expect(result.series).toBe('FEDFUNDS');
    expect(result.points).toEqual([{ date: '1954-07-01', rate_pct: 0.8 }]);
  });

  it('refuses a monthly series not dated the first, and a non-number, by line and column', () => {
    const result = parseRateCsv(
      'TB3MS.csv',
      'date,rate_pct\n2020-01-01,1.5\n2020-02-15,1.5\n2020-03-01,x\n',
    );
    expect(result.rejected).toBe(true);
    expect(result.points).toEqual([]);
    expect(result.issues.map((issue) => [issue.row, issue.column, issue.value])).toEqual([
      [3, 'date', '2020-02-15'],
      [4, 'rate_pct', 'x'],
    ]);
  });

  it('refuses an unknown series and a file whose series cannot be told', () => {
    expect(parseRateCsv('a.csv', 'DATE,DGS10\n2020-01-02,1.8\n').issues[0]?.message).toBe(
      'unknown rate series "DGS10" (known: EFFR, FEDFUNDS, TB3MS)',
    );
    expect(parseRateCsv('rates.csv', 'date,rate_pct\n2020-01-02,1.8\n').rejected).toBe(true);
    expect(
      parseRateCsv('rates.csv', 'date,rate_pct\n2020-01-02,1.8\n', { series: 'EFFR' }).series,
    ).toBe('EFFR');
  });
});
