import type { MarginResultJson } from '@hub/core';
import { useMemo } from 'react';
import { Chart, type ChartOption } from '../../components/charts/Chart';
import { equityChartData } from './helpers';

/**
 * Equity and loan (for a Short, the borrowed shares' value) against the price, with the
 * margin-call price marked by a vertical line. Loaded on demand (ECharts).
 */
export function MarginChart({ result }: { result: MarginResultJson }) {
  const data = useMemo(() => equityChartData(result), [result]);
  const loanName = result.position_type === 'Long' ? 'Loan' : 'Borrowed shares (value)';
  const option = useMemo<ChartOption>(() => {
    const low = Math.min(...data.equity, 0);
    const high = Math.max(...data.equity, ...data.loan);
    return {
      legend: {},
      xAxis: {
        type: 'value',
        name: 'Price (USD per share)',
        nameLocation: 'middle',
        nameGap: 28,
        scale: true,
      },
      yAxis: { type: 'value', name: 'USD' },
      series: [
        {
          name: 'Equity',
          type: 'line',
          showSymbol: false,
          data: data.prices.map((price, i) => [price, data.equity[i] ?? 0]),
        },
        {
          name: loanName,
          type: 'line',
          showSymbol: false,
          data: data.prices.map((price, i) => [price, data.loan[i] ?? 0]),
        },
        ...(data.callPrice === null
          ? []
          : [
              {
                name: 'Margin call price',
                type: 'line' as const,
                showSymbol: false,
                lineStyle: { type: 'dashed' as const },
                data: [
                  [data.callPrice, low],
                  [data.callPrice, high],
                ],
              },
            ]),
      ],
    };
  }, [data, loanName]);
  const csv = useMemo(
    () => ({
      columns: [
        'price_usd',
        'equity_usd',
        result.position_type === 'Long' ? 'loan_usd' : 'borrowed_value_usd',
      ],
      rows: data.prices.map((price, i) => [price, data.equity[i], data.loan[i]]),
    }),
    [data, result.position_type],
  );
  return (
    <Chart
      title={`Equity and ${loanName.toLowerCase()} against the price`}
      titleOrder={3}
      option={option}
      csv={csv}
      height={360}
    />
  );
}
