/** The ECharts build of the app: only the chart types and components the hub uses. */
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import type { BarSeriesOption, LineSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import {
  DataZoomComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import type {
  DataZoomComponentOption,
  DatasetComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import type { ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  BarChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  DataZoomComponent,
  LegendComponent,
  TitleComponent,
  DatasetComponent,
  CanvasRenderer,
]);

/** The option type accepted by the `<Chart>` wrapper. */
export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | DataZoomComponentOption
  | LegendComponentOption
  | TitleComponentOption
  | DatasetComponentOption
>;

/** Adds the hub's defaults (axis tooltip, inside + slider zoom) unless the option sets its own. */
export function withChartDefaults(option: ChartOption): ChartOption {
  return {
    animation: false,
    ...option,
    tooltip: option.tooltip ?? { trigger: 'axis' },
    dataZoom: option.dataZoom ?? [{ type: 'inside' }, { type: 'slider' }],
  };
}

export { echarts };
