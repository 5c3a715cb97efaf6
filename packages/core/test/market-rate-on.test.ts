import { describe, expect, it } from 'vitest';
import { rateOn, type RatePoint } from '../src/index.js';

// Scenario: the backtest asks for the benchmark rate BM(t) of specs/margin.md D: daily EFFR from
// 2000-07-03 (the latest business day on or before t), monthly FEDFUNDS before that.
describe('rateOn', () => {
  const effr: RatePoint[] = [
    { date: '2000-07-03', rate_pct: 7.03 },
    { date: '2000-07-05', rate_pct: 6.52 },
    { date: '2000-07-06', rate_pct: 6.6 },
  ];
  const fedfunds: RatePoint[] = [
    { date: '2000-06-01', rate_pct: 6.53 },
    { date: '2000-07-01', rate_pct: 6.54 },
  ];

  it('uses the EFFR of the day itself', () => {
    expect(rateOn('2000-07-05', effr, fedfunds)).toEqual({
      series: 'EFFR',
      date: '2000-07-05',
      rate_pct: 6.52,
    });
  });

  it('on a holiday (2000-07-04) uses the previous business day', () => {
    expect(rateOn('2000-07-04', effr, fedfunds)?.rate_pct).toBe(7.03);
  });

  it('before 2000-07-03 uses the month of FEDFUNDS, even on 2000-07-01', () => {
    expect(rateOn('2000-06-30', effr, fedfunds)).toEqual({
      series: 'FEDFUNDS',
      date: '2000-06-01',
      rate_pct: 6.53,
    });
    expect(rateOn('2000-07-01', effr, fedfunds)?.rate_pct).toBe(6.54);
  });

  it('is null when the needed observation is not there', () => {
    expect(rateOn('1999-12-15', effr, fedfunds)).toBeNull();
    expect(rateOn('2000-07-10', [], fedfunds)).toBeNull();
  });
});
