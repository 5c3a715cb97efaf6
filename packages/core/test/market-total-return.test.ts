import { describe, expect, it } from 'vitest';
import { continueAdjustedCloses, totalReturnBetween, totalReturnSeries } from '../src/index.js';

// Scenario: other modules ask for a total return between two days; it comes from adj_close ratios
// (shared/data/README "Total return"), starting on the first trading day >= from and ending on
// the last <= to (specs/margin.md C.1).
describe('total return from adj_close', () => {
  const bars = [
    { date: '2010-01-04', adj_close: 80 },
    { date: '2010-01-05', adj_close: 84 },
    { date: '2010-01-06', adj_close: 88 },
    { date: '2010-01-08', adj_close: 100 },
  ];

  it('series: adj_close over the first adj_close', () => {
    expect(totalReturnSeries(bars).map((point) => point.growth)).toEqual([1, 1.05, 1.1, 1.25]);
    expect(totalReturnSeries([])).toEqual([]);
  });

  it('between: snaps to trading days inside the range', () => {
    // 2010-01-07 has no bar, so the end is 2010-01-06: 88 / 80 - 1 = 0.1.
    expect(totalReturnBetween(bars, '2010-01-01', '2010-01-07')).toEqual({
      from: '2010-01-04',
      to: '2010-01-06',
      totalReturn: 88 / 80 - 1,
    });
    expect(totalReturnBetween(bars, '2010-01-05', '2010-01-08')?.totalReturn).toBeCloseTo(
      100 / 84 - 1,
      15,
    );
    expect(totalReturnBetween(bars, '2010-01-07', '2010-01-07')).toBeNull();
  });
});

// Scenario: a stored series is extended with bars from a provider whose adj_close has another
// scale; the total return across the seam must be the provider's own day-to-day ratio.
describe('continueAdjustedCloses', () => {
  const bar = (date: string, close: number, adjClose: number, dividend = 0) => ({
    date,
    open: null,
    high: null,
    low: null,
    close,
    adj_close: adjClose,
    volume: null,
    dividend,
    split: 0,
  });
  const last = bar('2025-09-26', 100, 50);

  it('scales by the overlap day', () => {
    // Provider scale is 2x the stored one on 2025-09-26 (100 vs 50): 110 -> 55.
    const next = continueAdjustedCloses(last, [
      bar('2025-09-26', 100, 100),
      bar('2025-09-29', 110, 110),
    ]);
    expect(next).toEqual([bar('2025-09-29', 110, 55)]);
  });

  it('without the overlap uses close / (previous close - dividend)', () => {
    // 99 / (100 - 1) = 1 exactly: a $1 distribution offsets the $1 price drop.
    const [first] = continueAdjustedCloses(last, [bar('2025-09-29', 99, 7, 1)]);
    expect(first?.adj_close).toBeCloseTo(50, 12);
  });

  it('returns nothing when nothing is newer', () => {
    expect(continueAdjustedCloses(last, [bar('2025-09-26', 100, 100)])).toEqual([]);
  });
});
