import type { DailyBar } from '@hub/core';
import { Button, Group, List, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useMemo, useState, type SubmitEvent } from 'react';
import { Chart } from '../../components/charts/Chart';
import { dateRangeError } from '../admin/adminHelpers';
import { DEFINITIONS, priceChartOption, priceCsv, SERIES_NAMES, zoomWindow } from './helpers';
import { Term } from './Term';

export interface PriceChartPanelProps {
  symbol: string;
  bars: readonly DailyBar[];
}

const WHOLE_HISTORY = { from: '', to: '' };

/**
 * A symbol's price chart: adjusted and raw close (linear or log axis) with dividends marked on
 * their ex-dates; zoom, tooltips and PNG/CSV export come from the shared <Chart>. The date
 * fields zoom from the keyboard, as the slider needs a mouse. Loaded on demand (ECharts).
 */
export function PriceChartPanel({ symbol, bars }: PriceChartPanelProps) {
  const [logScale, setLogScale] = useState(false);
  const [draft, setDraft] = useState(WHOLE_HISTORY);
  const [range, setRange] = useState(WHOLE_HISTORY);
  const [rangeError, setRangeError] = useState<string | undefined>(undefined);
  const option = useMemo(
    () => priceChartOption(bars, { logScale, range }),
    [bars, logScale, range],
  );
  const csv = useMemo(() => priceCsv(bars), [bars]);

  function applyRange(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    let error = dateRangeError(draft.from, draft.to);
    if (
      error === undefined &&
      zoomWindow(
        bars.map((bar) => bar.date),
        draft.from,
        draft.to,
      ) === undefined
    ) {
      error = 'No trading day of this symbol falls in this range.';
    }
    setRangeError(error);
    if (error === undefined) setRange(draft);
  }

  return (
    <Stack gap="sm">
      <form onSubmit={applyRange} noValidate aria-label="Zoom to a date range">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            label="From"
            type="date"
            value={draft.from}
            onChange={(event) => {
              setDraft({ ...draft, from: event.currentTarget.value });
            }}
          />
          <TextInput
            label="To"
            type="date"
            value={draft.to}
            error={rangeError}
            onChange={(event) => {
              setDraft({ ...draft, to: event.currentTarget.value });
            }}
          />
          <Button type="submit" variant="default">
            Zoom to range
          </Button>
          <Button
            variant="default"
            onClick={() => {
              setDraft(WHOLE_HISTORY);
              setRange(WHOLE_HISTORY);
              setRangeError(undefined);
            }}
          >
            Whole history
          </Button>
        </Group>
      </form>
      <Switch
        label="Log scale"
        description={DEFINITIONS.logScale}
        checked={logScale}
        onChange={(event) => {
          setLogScale(event.currentTarget.checked);
        }}
      />
      <List size="sm" aria-label="What the chart shows">
        <List.Item>
          <Term definition={DEFINITIONS.adjClose}>{SERIES_NAMES.adjClose}</Term>, USD per share
        </List.Item>
        <List.Item>
          <Term definition={DEFINITIONS.close}>{SERIES_NAMES.close}</Term>, USD per share
        </List.Item>
        <List.Item>
          <Term definition={DEFINITIONS.dividend}>{SERIES_NAMES.dividend}</Term>: triangles on the
          raw close; the amount in USD per share is in the tooltip
        </List.Item>
      </List>
      <Chart
        title={`${symbol} daily closes`}
        titleOrder={3}
        option={option}
        csv={csv}
        height={420}
      />
      <Text size="xs" c="dimmed">
        Zoom with the date fields above, the slider under the chart, or the mouse wheel over it.
      </Text>
    </Stack>
  );
}
