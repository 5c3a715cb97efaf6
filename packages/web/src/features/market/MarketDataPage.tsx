import { symbolSchema, type MarketCatalog } from '@hub/core';
import { Anchor, Button, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState, type SubmitEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { formatDateTime } from '../admin/adminHelpers';
import { TableRegion } from '../admin/adminUi';
import { InfoAlert, LoadingStatus, RequestError } from '../identity/components';
import { hasRole } from '../identity/helpers';
import { useSession } from '../identity/session';
import { fetchBars, fetchCatalog, marketKeys } from './api';
import {
  catalogIsEmpty,
  DEFINITIONS,
  formatCount,
  formatRelativeTime,
  IMPORT_COMMAND,
  MARKET_ADMIN_SECTION,
  RATE_SERIES_LABELS,
  SOURCE_LABELS,
} from './helpers';
import { Term } from './Term';

// ECharts is large: the chart loads only when a symbol is chosen.
const PriceChartPanel = lazy(() =>
  import('./PriceChartPanel').then((module) => ({ default: module.PriceChartPanel })),
);

const ADMIN_IMPORT_PATH = `/admin/${MARKET_ADMIN_SECTION}`;

/**
 * /market-data (viewers and up): the stored symbols and rate series with their ranges, sources
 * and last import, the dataset version, and a price chart of the chosen symbol (?symbol=SPY).
 */
/** A column header whose name opens its definition (every number has one, DESIGN "Web"). */
function DefinedColumn({
  definition,
  numeric = false,
  children,
}: {
  definition: string;
  numeric?: boolean;
  children: string;
}) {
  return (
    <Table.Th scope="col" ta={numeric ? 'right' : undefined}>
      <Term definition={definition}>{children}</Term>
    </Table.Th>
  );
}

export function MarketDataPage() {
  const catalog = useQuery({
    queryKey: marketKeys.catalog(),
    queryFn: ({ signal }) => fetchCatalog(signal),
  });
  const [searchParams, setSearchParams] = useSearchParams();
  const selected = searchParams.get('symbol')?.trim().toUpperCase() ?? '';

  function choose(symbol: string) {
    setSearchParams({ symbol });
  }

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Market data</Title>
        <Text c="dimmed">
          Daily prices (USD per share) and short-term interest rates (percent per year) stored in
          the hub, used by the margin calculator, the backtests and the return analyzer.
        </Text>
      </div>

      {catalog.isPending && <LoadingStatus label="Loading the market data…" />}
      {catalog.isError && (
        <RequestError error={catalog.error} fallback="The market data could not be loaded." />
      )}
      {catalog.data !== undefined &&
        (catalogIsEmpty(catalog.data) ? (
          <EmptyCatalog datasetVersion={catalog.data.dataset_version} />
        ) : (
          <Catalog catalog={catalog.data} loadedAt={catalog.dataUpdatedAt} selected={selected} />
        ))}

      <SymbolLookup key={selected} current={selected} onChoose={choose} />
      {selected !== '' && <SymbolChart symbol={selected} />}
    </Stack>
  );
}

function DatasetVersion({ version }: { version: string }) {
  return (
    <Text>
      <Term definition={DEFINITIONS.datasetVersion}>Dataset version</Term>:{' '}
      <Code data-testid="dataset-version">{version}</Code>
    </Text>
  );
}

function EmptyCatalog({ datasetVersion }: { datasetVersion: string }) {
  const { user } = useSession();
  const admin = user !== null && hasRole(user, 'admin');
  return (
    <Stack gap="sm">
      <InfoAlert title="No market data yet">
        <Stack gap="xs">
          <Text size="sm">
            No prices or rates are stored. To add them, run <Code>{IMPORT_COMMAND}</Code> on the
            server with CSV files (columns date, open, high, low, close, adj_close, volume,
            dividend, split; or date, rate_pct for rates), or start the server with MARKET_DATA_DIR
            set to a folder holding prices/*.csv and rates/*.csv.
          </Text>
          <Text size="sm">
            {admin ? (
              <>
                Or upload the files on the{' '}
                <Anchor component={Link} to={ADMIN_IMPORT_PATH} inherit>
                  admin Market data page
                </Anchor>
                .
              </>
            ) : (
              <>
                Or ask an admin to upload them on the admin Market data page (
                <Anchor component={Link} to={ADMIN_IMPORT_PATH} inherit>
                  {ADMIN_IMPORT_PATH}
                </Anchor>
                ).
              </>
            )}
          </Text>
        </Stack>
      </InfoAlert>
      <DatasetVersion version={datasetVersion} />
    </Stack>
  );
}

interface CatalogProps {
  catalog: MarketCatalog;
  /** When the catalog was fetched: "how long ago" is counted from then. */
  loadedAt: number;
  selected: string;
}

function LastImport({ iso, loadedAt }: { iso: string; loadedAt: number }) {
  return (
    <>
      {formatRelativeTime(iso, loadedAt)}
      <Text component="span" size="xs" c="dimmed" display="block">
        {formatDateTime(iso)}
      </Text>
    </>
  );
}

function Catalog({ catalog, loadedAt, selected }: CatalogProps) {
  return (
    <Stack gap="md">
      <DatasetVersion version={catalog.dataset_version} />

      <Title order={2}>Symbols</Title>
      {catalog.symbols.length === 0 ? (
        <Text>No symbols are stored yet.</Text>
      ) : (
        <TableRegion label="Stored symbols">
          <Table striped captionSide="top">
            <Table.Caption>
              Stored symbols: choose one to see its price chart. Hover over or focus a column name
              for its definition.
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <DefinedColumn definition={DEFINITIONS.symbol}>Symbol</DefinedColumn>
                <DefinedColumn definition={DEFINITIONS.name}>Name</DefinedColumn>
                <DefinedColumn definition={DEFINITIONS.firstDate}>First day</DefinedColumn>
                <DefinedColumn definition={DEFINITIONS.lastDate}>Last day</DefinedColumn>
                <DefinedColumn definition={DEFINITIONS.bars} numeric>
                  Bars (days)
                </DefinedColumn>
                <DefinedColumn definition={DEFINITIONS.dividends} numeric>
                  Dividends
                </DefinedColumn>
                <DefinedColumn definition={DEFINITIONS.source}>Source</DefinedColumn>
                <DefinedColumn definition={DEFINITIONS.importedAt}>Last import</DefinedColumn>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {catalog.symbols.map((entry) => (
                <Table.Tr key={entry.symbol} data-testid={`symbol-row-${entry.symbol}`}>
                  <Table.Th scope="row">
                    <Anchor
                      component={Link}
                      to={`?symbol=${encodeURIComponent(entry.symbol)}`}
                      aria-current={entry.symbol === selected ? 'true' : undefined}
                      fw={entry.symbol === selected ? 700 : 500}
                    >
                      {entry.symbol}
                    </Anchor>
                  </Table.Th>
                  <Table.Td>{entry.name ?? '—'}</Table.Td>
                  <Table.Td>{entry.first_date}</Table.Td>
                  <Table.Td>{entry.last_date}</Table.Td>
                  <Table.Td ta="right">{formatCount(entry.bar_count)}</Table.Td>
                  <Table.Td ta="right">{formatCount(entry.dividend_count)}</Table.Td>
                  <Table.Td>{SOURCE_LABELS[entry.source]}</Table.Td>
                  <Table.Td>
                    <LastImport iso={entry.imported_at} loadedAt={loadedAt} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableRegion>
      )}

      <Title order={2}>Rate series</Title>
      {catalog.rates.length === 0 ? (
        <Text>No rate series are stored yet.</Text>
      ) : (
        <TableRegion label="Stored rate series">
          <Table striped captionSide="top">
            <Table.Caption>Stored interest-rate series (percent per year)</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <DefinedColumn definition={DEFINITIONS.rateSeries}>Series</DefinedColumn>
                <Table.Th scope="col">Description</Table.Th>
                <DefinedColumn definition={DEFINITIONS.firstDate}>First day</DefinedColumn>
                <DefinedColumn definition={DEFINITIONS.lastDate}>Last day</DefinedColumn>
                <DefinedColumn definition={DEFINITIONS.ratePoints} numeric>
                  Observations
                </DefinedColumn>
                <DefinedColumn definition={DEFINITIONS.importedAt}>Last import</DefinedColumn>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {catalog.rates.map((entry) => (
                <Table.Tr key={entry.series} data-testid={`rate-row-${entry.series}`}>
                  <Table.Th scope="row">{entry.series}</Table.Th>
                  <Table.Td>{RATE_SERIES_LABELS[entry.series]}</Table.Td>
                  <Table.Td>{entry.first_date}</Table.Td>
                  <Table.Td>{entry.last_date}</Table.Td>
                  <Table.Td ta="right">{formatCount(entry.point_count)}</Table.Td>
                  <Table.Td>
                    <LastImport iso={entry.imported_at} loadedAt={loadedAt} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableRegion>
      )}
    </Stack>
  );
}

interface SymbolLookupProps {
  current: string;
  onChoose: (symbol: string) => void;
}

/** Any symbol by name: one that is not stored is fetched from the configured providers, if any. */
function SymbolLookup({ current, onChoose }: SymbolLookupProps) {
  const [draft, setDraft] = useState(current);
  const [error, setError] = useState<string | undefined>(undefined);

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = symbolSchema.safeParse(draft);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Enter a ticker symbol.');
      return;
    }
    setError(undefined);
    onChoose(parsed.data);
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Show a symbol's chart">
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Symbol"
          description="A stored symbol, or one to fetch from the configured price providers."
          value={draft}
          error={error}
          maw={320}
          autoComplete="off"
          onChange={(event) => {
            setDraft(event.currentTarget.value);
          }}
        />
        <Button type="submit">Show chart</Button>
      </Group>
    </form>
  );
}

function SymbolChart({ symbol }: { symbol: string }) {
  const bars = useQuery({
    queryKey: marketKeys.bars(symbol),
    queryFn: ({ signal }) => fetchBars(symbol, {}, signal),
  });
  const first = bars.data?.bars[0];
  const last = bars.data?.bars.at(-1);

  return (
    <Stack gap="sm" component="section" aria-labelledby="price-chart-heading">
      <Title order={2} id="price-chart-heading">
        {symbol} price chart
      </Title>
      {bars.isPending && <LoadingStatus label={`Loading the prices of ${symbol}…`} />}
      {bars.isError && (
        <RequestError
          error={bars.error}
          fallback={`The prices of ${symbol} could not be loaded.`}
        />
      )}
      {bars.data !== undefined &&
        (first === undefined || last === undefined ? (
          <Text>No prices of {symbol} are stored for this range.</Text>
        ) : (
          <>
            <Text size="sm">
              {formatCount(bars.data.bars.length)} trading days from {first.date} to {last.date};
              source: {SOURCE_LABELS[bars.data.source]}.
            </Text>
            <Suspense fallback={<LoadingStatus label="Loading the chart…" />}>
              <PriceChartPanel symbol={bars.data.symbol} bars={bars.data.bars} />
            </Suspense>
          </>
        ))}
    </Stack>
  );
}
