import { Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { Chart, type ChartOption } from '../components/charts/Chart';
import type { CsvTable } from '../components/charts/csv';
import { devSeries } from './devSeries';

/** A test page for the chart wrapper (used by the e2e journey). */
export function DevChartsPage() {
  const { option, csv } = useMemo(() => {
    const series = devSeries();
    const chartOption: ChartOption = {
      grid: { left: 64, right: 24, top: 24, bottom: 72 },
      xAxis: { type: 'category', data: series.dates, name: 'Date' },
      yAxis: { type: 'value', scale: true, name: 'Index (start = 100)' },
      series: [{ type: 'line', name: 'Index', data: series.values, showSymbol: false }],
    };
    const table: CsvTable = {
      columns: ['date', 'value'],
      rows: series.dates.map((date, t) => [date, series.values[t]]),
    };
    return { option: chartOption, csv: table };
  }, []);

  return (
    <Stack gap="md">
      <Title order={1}>Chart test page</Title>
      <Text>
        A compounding index, 100 × 1.001<sup>t</sup> over 250 weekdays from 2 January 2024, drawn
        with the hub&apos;s chart wrapper.
      </Text>
      <Chart title="Compounding index" option={option} csv={csv} height={400} />
    </Stack>
  );
}
