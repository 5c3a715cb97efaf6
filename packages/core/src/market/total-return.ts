import type { DailyBar } from '../contracts/market.js';

/**
 * Total return from the adjusted close (data README "Total return"): the growth of one dollar
 * held from the first bar, distributions reinvested on their ex-dates. `adj_close` has an
 * arbitrary scale, so only its ratios mean anything.
 */
export interface TotalReturnPoint {
  readonly date: string;
  /** adj_close[t] / adj_close[first]: 1 on the first day. */
  readonly growth: number;
}

type AdjustedBar = Pick<DailyBar, 'date' | 'adj_close'>;

/** The total-return index of ascending bars, starting at 1. */
export function totalReturnSeries(bars: readonly AdjustedBar[]): TotalReturnPoint[] {
  const first = bars[0];
  if (first === undefined) return [];
  return bars.map((bar) => ({ date: bar.date, growth: bar.adj_close / first.adj_close }));
}

export interface PeriodTotalReturn {
  /** The first trading day on or after the asked start (specs/margin.md C.1). */
  readonly from: string;
  /** The last trading day on or before the asked end. */
  readonly to: string;
  /** adj_close[to] / adj_close[from] - 1. */
  readonly totalReturn: number;
}

/** Index of the first bar dated on or after `date` (bars ascending); bars.length if none. */
export function firstIndexOnOrAfter(bars: readonly { date: string }[], date: string): number {
  let low = 0;
  let high = bars.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((bars[middle]?.date ?? '') < date) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the last bar dated on or before `date` (bars ascending); -1 if none. */
export function lastIndexOnOrBefore(bars: readonly { date: string }[], date: string): number {
  return firstIndexOnOrAfter(bars, `${date}\u0000`) - 1;
}

/**
 * Total return between two days from ascending bars, or null when no trading day lies in the
 * range. The start is the first trading day >= from, the end the last <= to.
 */
export function totalReturnBetween(
  bars: readonly AdjustedBar[],
  from: string,
  to: string,
): PeriodTotalReturn | null {
  const start = bars[firstIndexOnOrAfter(bars, from)];
  const end = bars[lastIndexOnOrBefore(bars, to)];
  if (start === undefined || end === undefined || end.date < start.date) return null;
  return { from: start.date, to: end.date, totalReturn: end.adj_close / start.adj_close - 1 };
}

/**
 * Bars fetched later, possibly from another source, rescaled so that their adj_close continues
 * the stored series: each source scales adj_close its own way (Yahoo rescales at every
 * distribution), and only the day-to-day ratios carry over. With the last stored day among the
 * fetched bars the scale comes from that day; otherwise the first new day's return is
 * close[t] / (close[t-1] - dividend[t]) (data README "Total return"). Returns only the bars after
 * the last stored day.
 */
export function continueAdjustedCloses(last: DailyBar, fetched: readonly DailyBar[]): DailyBar[] {
  const newer = fetched.filter((bar) => bar.date > last.date);
  const first = newer[0];
  if (first === undefined) return [];
  const overlap = fetched.find((bar) => bar.date === last.date);
  const base = last.close - first.dividend;
  const factor =
    overlap !== undefined
      ? last.adj_close / overlap.adj_close
      : base > 0
        ? (last.adj_close * first.close) / base / first.adj_close
        : last.adj_close / last.close;
  return newer.map((bar) => ({ ...bar, adj_close: bar.adj_close * factor }));
}
