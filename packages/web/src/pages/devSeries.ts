/** A deterministic test series for the chart page: 100 * 1.001^t over 250 weekdays. */
export interface DevSeries {
  dates: string[];
  values: number[];
}

export const DEV_SERIES_START = '2024-01-02';
export const DEV_SERIES_LENGTH = 250;
export const DEV_SERIES_DAILY_GROWTH = 0.001;

/** Weekdays (Monday to Friday) from the start date on, as ISO dates, computed in UTC. */
export function weekdays(startIso: string, count: number): string[] {
  const dates: string[] = [];
  const day = new Date(`${startIso}T00:00:00Z`);
  while (dates.length < count) {
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6) dates.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return dates;
}

export function devSeries(): DevSeries {
  const dates = weekdays(DEV_SERIES_START, DEV_SERIES_LENGTH);
  const values = dates.map((_, t) => 100 * (1 + DEV_SERIES_DAILY_GROWTH) ** t);
  return { dates, values };
}
