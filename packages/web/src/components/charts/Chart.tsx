import { Box, Button, Group, Stack, Title, type TitleOrder } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { buildCsv, exportFileName, type CsvTable } from './csv';
import { downloadText, downloadUrl } from './download';
import { echarts, withChartDefaults, type ChartOption } from './echarts';

export type { ChartOption } from './echarts';

export interface ChartProps {
  /** The ECharts option; tooltip and dataZoom (inside + slider) are added unless set. */
  option: ChartOption;
  /** Shown as a heading, used as the accessible name and as the export file name. */
  title: string;
  /** The chart's data as a table for "Download CSV"; the button is hidden without it. */
  csv?: CsvTable;
  /** Height of the drawing area in CSS pixels. */
  height?: number;
  /** Heading level of the title, to keep the page's headings in order. */
  titleOrder?: TitleOrder;
}

type EChartsInstance = ReturnType<typeof echarts.init>;

/** The one chart wrapper of the app: ECharts with zoom, tooltips and PNG/CSV export. */
export function Chart({ option, title, csv, height = 360, titleOrder = 2 }: ChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<EChartsInstance | null>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (container === null) return undefined;
    const chart = echarts.init(container, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(container);
    return () => {
      observer.disconnect();
      chartRef.current = null;
      chart.dispose();
    };
  }, []);

  useEffect(() => {
    chartRef.current?.setOption(withChartDefaults(option), { notMerge: true });
  }, [option]);

  const downloadPng = () => {
    const chart = chartRef.current;
    if (chart === null) return;
    const url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' });
    downloadUrl(url, exportFileName(title, 'png'));
  };

  const downloadCsv = () => {
    if (csv === undefined) return;
    downloadText(buildCsv(csv), exportFileName(title, 'csv'), 'text/csv;charset=utf-8');
  };

  return (
    <Stack gap="xs">
      <Group justify="space-between" align="center" wrap="wrap">
        <Title order={titleOrder} size="h4">
          {title}
        </Title>
        <Group gap="xs">
          <Button variant="default" size="xs" onClick={downloadPng}>
            Download PNG
          </Button>
          {csv !== undefined && (
            <Button variant="default" size="xs" onClick={downloadCsv}>
              Download CSV
            </Button>
          )}
        </Group>
      </Group>
      <Box ref={containerRef} role="img" aria-label={title} style={{ width: '100%', height }} />
    </Stack>
  );
}
