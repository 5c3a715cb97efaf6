import type { RatePoint } from '../contracts/market.js';
import { lastIndexOnOrBefore } from './total-return.js';

/** EFFR's first published day; before it the benchmark is monthly FEDFUNDS (specs/margin.md D). */
export const EFFR_START_DATE = '2000-07-03';

export interface BenchmarkRate {
  /** The series the rate came from. */
  readonly series: 'EFFR' | 'FEDFUNDS';
  /** The date of the observation used (an EFFR day, or the first of the FEDFUNDS month). */
  readonly date: string;
  /** Percent per year. */
  readonly rate_pct: number;
}

/**
 * The benchmark short rate BM on a day (specs/margin.md D): from 2000-07-03 the daily EFFR of
 * that day, or of the latest business day before it when the day has no row (holidays,
 * weekends); before 2000-07-03 the FEDFUNDS value of the day's month. Null when the needed
 * observation is not in the given series. Both series ascending by date.
 */
export function rateOn(
  date: string,
  effr: readonly RatePoint[],
  fedfunds: readonly RatePoint[],
): BenchmarkRate | null {
  if (date < EFFR_START_DATE) {
    const month = `${date.slice(0, 7)}-01`;
    const point = fedfunds[lastIndexOnOrBefore(fedfunds, month)];
    return point?.date === month
      ? { series: 'FEDFUNDS', date: point.date, rate_pct: point.rate_pct }
      : null;
  }
  const point = effr[lastIndexOnOrBefore(effr, date)];
  return point === undefined
    ? null
    : { series: 'EFFR', date: point.date, rate_pct: point.rate_pct };
}
