import { marginRequestSchema, type MarginCalculation, type MarginResultJson } from '@hub/core';
import {
  Alert,
  Button,
  Group,
  NativeSelect,
  NumberInput,
  Pagination,
  SimpleGrid,
  Slider,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState, type SubmitEvent } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { formatDateTime } from '../admin/adminHelpers';
import { LoadingStatus, RequestError } from '../identity/components';
import { Term } from '../market/Term';
import {
  calculate,
  deleteCalculation,
  fetchCalculation,
  fetchHistory,
  HISTORY_PAGE_SIZE,
  marginKeys,
} from './api';
import {
  formatValue,
  formFromSearch,
  leverageLimit,
  requestFromForm,
  RESULT_GROUPS,
  searchFromForm,
  shownValue,
  type MarginForm,
} from './helpers';

// ECharts is large: the chart loads with the first result.
const MarginChart = lazy(() =>
  import('./MarginChart').then((module) => ({ default: module.MarginChart })),
);

type FieldErrors = Partial<Record<keyof MarginForm, string>>;

/** Field errors from the client check or the server's problem ("body.leverage" → leverage). */
function fieldErrorsOf(errors: readonly { path: string; message: string }[]): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const field = error.path.replace(/^body\./, '') as keyof MarginForm;
    result[field] ??= error.message;
  }
  return result;
}

function numberOrEmpty(value: string | number): number | '' {
  return typeof value === 'number' ? value : '';
}

/**
 * /margin: the margin calculator (specs/margin.md B). The inputs live in the query string, so a
 * link shares the calculation; every signed-in user's calculations are saved to their history.
 */
export function MarginCalculatorPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const [form, setForm] = useState<MarginForm>(() => formFromSearch(searchParams));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [clampNote, setClampNote] = useState<string | null>(null);
  const [shown, setShown] = useState<MarginCalculation | null>(null);
  const queryClient = useQueryClient();
  const price = form.current_price === '' ? (shown?.price.value ?? null) : form.current_price;
  const limit = leverageLimit(form, price);

  const mutation = useMutation({
    mutationFn: calculate,
    onSuccess: async (calculation) => {
      setShown(calculation);
      setErrors({});
      await queryClient.invalidateQueries({ queryKey: marginKeys.all });
    },
    onError: (error) => {
      if (error instanceof ApiError) setErrors(fieldErrorsOf(error.errors));
    },
  });

  /** Changes a rule input and lowers the leverage to the new cap, saying so (A.6). */
  function update(change: Partial<MarginForm>) {
    const next = { ...form, ...change };
    const nextLimit = leverageLimit(next, price);
    if (next.leverage !== '' && next.leverage > nextLimit.max) {
      setClampNote(`Leverage lowered to ${nextLimit.max.toFixed(1)}x. ${nextLimit.explanation}`);
      next.leverage = nextLimit.max;
    }
    setForm(next);
  }

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const request = requestFromForm(form);
    const checked = marginRequestSchema.safeParse(request);
    if (!checked.success) {
      setErrors(
        fieldErrorsOf(
          checked.error.issues.map((issue) => ({
            path: issue.path.map(String).join('.'),
            message: issue.message,
          })),
        ),
      );
      return;
    }
    setErrors({});
    setSearchParams(searchFromForm(form), { replace: true });
    mutation.mutate(request);
  }

  function open(calculation: MarginCalculation) {
    const next = formFromSearch(
      searchFromForm({
        ...form,
        ...calculation.inputs,
        maintenance_override: calculation.inputs.maintenance_override ?? '',
        current_price: calculation.price.origin === 'typed' ? calculation.price.value : '',
      }),
    );
    setForm(next);
    setSearchParams(searchFromForm(next), { replace: true });
    setShown(calculation);
  }

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Margin calculator</Title>
        <Text c="dimmed">
          What a leveraged position costs, when it gets a margin call and what it pays in interest,
          under Reg T or portfolio margin, long or short. Every calculation is saved to your
          history; the address of this page shares the inputs.
        </Text>
      </div>

      <form onSubmit={submit} noValidate aria-label="Calculation inputs">
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            <TextInput
              label="Ticker"
              description="ETF or stock symbol, e.g. SPY"
              value={form.ticker}
              error={errors.ticker}
              onChange={(event) => {
                update({ ticker: event.currentTarget.value.toUpperCase() });
              }}
            />
            <NumberInput
              label="Investment amount (USD)"
              description="Position size at entry, I"
              min={0}
              thousandSeparator=","
              value={form.investment_amount}
              error={errors.investment_amount}
              onChange={(value) => {
                update({ investment_amount: numberOrEmpty(value) });
              }}
            />
            <NumberInput
              label="Current price (USD per share)"
              description="Leave empty for the latest stored close"
              min={0}
              decimalScale={4}
              value={form.current_price}
              error={errors.current_price}
              onChange={(value) => {
                update({ current_price: numberOrEmpty(value) });
              }}
            />
            <NativeSelect
              label="Account type"
              data={[
                { value: 'reg_t', label: 'Reg T (strategy-based)' },
                { value: 'portfolio', label: 'Portfolio margin' },
              ]}
              value={form.account_type}
              error={errors.account_type}
              onChange={(event) => {
                update({
                  account_type: event.currentTarget.value === 'portfolio' ? 'portfolio' : 'reg_t',
                });
              }}
            />
            <NativeSelect
              label="Position"
              data={['Long', 'Short']}
              value={form.position_type}
              error={errors.position_type}
              onChange={(event) => {
                update({ position_type: event.currentTarget.value === 'Short' ? 'Short' : 'Long' });
              }}
            />
            {form.account_type === 'portfolio' && (
              <NativeSelect
                label="Portfolio-margin stress"
                description="15 %: equity range for ETF shares; 8 %: broad-index treatment"
                data={[
                  { value: '0.15', label: '15 % (default)' },
                  { value: '0.08', label: '8 % (broad index)' },
                ]}
                value={String(form.pm_stress)}
                error={errors.pm_stress}
                onChange={(event) => {
                  update({ pm_stress: event.currentTarget.value === '0.08' ? 0.08 : 0.15 });
                }}
              />
            )}
            <Stack gap={4}>
              <NumberInput
                label="Leverage (x)"
                description={`1.0x to ${limit.max.toFixed(1)}x. ${limit.explanation}`}
                min={1}
                max={limit.max}
                step={0.1}
                decimalScale={2}
                value={form.leverage}
                error={errors.leverage}
                onChange={(value) => {
                  setClampNote(null);
                  update({ leverage: numberOrEmpty(value) });
                }}
              />
              <Slider
                thumbLabel="Leverage slider"
                min={1}
                max={limit.max}
                step={0.1}
                label={(value) => `${value.toFixed(1)}x`}
                value={form.leverage === '' ? 1 : Math.min(form.leverage, limit.max)}
                onChange={(value) => {
                  setClampNote(null);
                  update({ leverage: Math.round(value * 10) / 10 });
                }}
              />
            </Stack>
            <NumberInput
              label="Interest rate (% per year)"
              description="1 to 10 %"
              min={1}
              max={10}
              step={0.25}
              decimalScale={3}
              value={form.interest_rate}
              error={errors.interest_rate}
              onChange={(value) => {
                update({ interest_rate: numberOrEmpty(value) });
              }}
            />
            <NumberInput
              label="Holding period (months)"
              description="1 to 60 months"
              min={1}
              max={60}
              allowDecimal={false}
              value={form.holding_period}
              error={errors.holding_period}
              onChange={(value) => {
                update({ holding_period: numberOrEmpty(value) });
              }}
            />
            <NumberInput
              label="House maintenance rate (fraction)"
              description="Optional, 0.25 to 1.0 (e.g. 0.30); empty: the account's own"
              min={0.25}
              max={1}
              step={0.05}
              decimalScale={4}
              value={form.maintenance_override}
              error={errors.maintenance_override}
              onChange={(value) => {
                update({ maintenance_override: numberOrEmpty(value) });
              }}
            />
            <NativeSelect
              label="Day-count basis"
              description="Days per year for daily interest"
              data={[
                { value: '365', label: '365 (calendar)' },
                { value: '360', label: '360 (broker convention)' },
              ]}
              value={String(form.day_count_basis)}
              error={errors.day_count_basis}
              onChange={(event) => {
                update({ day_count_basis: event.currentTarget.value === '360' ? 360 : 365 });
              }}
            />
            {form.position_type === 'Short' && (
              <NumberInput
                label="Stock-borrow fee (% per year)"
                description="On the short market value; SPY and VTI are easy to borrow (0)"
                min={0}
                max={100}
                decimalScale={3}
                value={form.borrow_fee_rate}
                error={errors.borrow_fee_rate}
                onChange={(value) => {
                  update({ borrow_fee_rate: numberOrEmpty(value) });
                }}
              />
            )}
          </SimpleGrid>
          {clampNote !== null && (
            <Text role="status" size="sm">
              {clampNote}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={mutation.isPending}>
              Calculate
            </Button>
          </Group>
          {mutation.isError && Object.keys(errors).length === 0 && (
            <RequestError error={mutation.error} fallback="The calculation failed." />
          )}
        </Stack>
      </form>

      {shown !== null && <Results calculation={shown} />}

      <HistoryPanel onOpen={open} />
    </Stack>
  );
}

function Results({ calculation }: { calculation: MarginCalculation }) {
  const { results, price } = calculation;
  return (
    <Stack gap="md" aria-label="Results" component="section">
      <Title order={2}>
        Results for {calculation.ticker} ({results.position_type},{' '}
        {results.account_type === 'reg_t' ? 'Reg T' : 'portfolio margin'})
      </Title>
      <Text data-testid="price-used">
        Price used: {formatValue(price.value, 'usd_per_share')},{' '}
        {price.origin === 'typed'
          ? 'typed by you'
          : `latest stored close of ${price.as_of ?? 'an unknown day'} (source: ${price.source ?? 'unknown'})`}
        .
      </Text>
      {results.warnings.map((warning) => (
        <Alert key={warning.code} color="orange" variant="light" title="Warning" role="alert">
          {warning.message}
        </Alert>
      ))}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {RESULT_GROUPS.map((group) => (
          <Stack key={group.title} gap="xs">
            <Title order={3}>{group.title}</Title>
            <Table aria-label={group.title} striped>
              <Table.Tbody>
                {group.fields
                  .filter((field) => results[field.key] !== null)
                  .map((field) => (
                    <Table.Tr key={field.key}>
                      <Table.Th scope="row" fw="normal">
                        <Term definition={field.definition}>{field.label}</Term>
                      </Table.Th>
                      <Table.Td ta="right" data-testid={`result-${field.key}`}>
                        {formatValue(shownValue(results, field.key), field.unit)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
          </Stack>
        ))}
      </SimpleGrid>
      <ScenarioTable results={results} />
      <Suspense fallback={<LoadingStatus label="Loading the chart…" />}>
        <MarginChart result={results} />
      </Suspense>
    </Stack>
  );
}

function ScenarioTable({ results }: { results: MarginResultJson }) {
  return (
    <Stack gap="xs">
      <Title order={3}>Scenarios</Title>
      <Text size="sm" c="dimmed">
        The position after a price move from entry, with the whole holding period&apos;s carry
        (interest and borrow fee) taken off the equity.
      </Text>
      <Table.ScrollContainer minWidth={800}>
        <Table aria-label="Scenarios" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>
                <Term definition="Price change from entry, percent.">Move</Term>
              </Table.Th>
              <Table.Th>
                <Term definition="Price after the move, USD per share.">Price</Term>
              </Table.Th>
              <Table.Th>
                <Term definition="Equity after the move and the carry, USD.">Equity</Term>
              </Table.Th>
              <Table.Th>
                <Term definition="Equity / cash required − 1: L × move − (L − 1) × interest, percent.">
                  Your return
                </Term>
              </Table.Th>
              <Table.Th>
                <Term definition="The move itself (its opposite for a Short), percent.">
                  Unleveraged
                </Term>
              </Table.Th>
              <Table.Th>
                <Term definition="Whether the price is at or past the margin-call price.">
                  Margin call
                </Term>
              </Table.Th>
              <Table.Th>
                <Term definition="Cash to deposit to restore maintenance (carry ignored), USD.">
                  Call amount
                </Term>
              </Table.Th>
              <Table.Th>
                <Term definition="Shares to sell (or buy to cover) to cure the call instead: call / maintenance rate, USD.">
                  Sale to cure
                </Term>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {results.scenarios.map((row) => (
              <Table.Tr key={row.move_pct}>
                <Table.Td>{formatValue(row.move_pct, 'pct')}</Table.Td>
                <Table.Td>{formatValue(row.price, 'usd')}</Table.Td>
                <Table.Td>
                  {formatValue(row.equity, 'usd')}
                  {row.wiped_out ? ' (wiped out)' : ''}
                </Table.Td>
                <Table.Td>{formatValue(row.leveraged_return_pct, 'pct')}</Table.Td>
                <Table.Td>{formatValue(row.unleveraged_return_pct, 'pct')}</Table.Td>
                <Table.Td>{row.margin_call ? 'Yes' : 'No'}</Table.Td>
                <Table.Td>{formatValue(row.maintenance_call_amount, 'usd')}</Table.Td>
                <Table.Td>{formatValue(row.sale_to_cure_call, 'usd')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function HistoryPanel({ onOpen }: { onOpen: (calculation: MarginCalculation) => void }) {
  const [page, setPage] = useState(1);
  const [ticker, setTicker] = useState('');
  const queryClient = useQueryClient();
  const history = useQuery({
    queryKey: marginKeys.history(page, ticker),
    queryFn: ({ signal }) => fetchHistory(page, ticker, signal),
    placeholderData: keepPreviousData,
  });
  const opening = useMutation({ mutationFn: fetchCalculation, onSuccess: onOpen });
  const removing = useMutation({
    mutationFn: deleteCalculation,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: marginKeys.all }),
  });
  const pages = Math.max(1, Math.ceil((history.data?.total ?? 0) / HISTORY_PAGE_SIZE));

  return (
    <Stack gap="sm" component="section" aria-label="Your calculations">
      <Title order={2}>Your calculations</Title>
      <TextInput
        label="Filter by ticker"
        w={200}
        value={ticker}
        onChange={(event) => {
          setTicker(event.currentTarget.value.trim().toUpperCase());
          setPage(1);
        }}
      />
      {history.isPending && <LoadingStatus label="Loading your calculations…" />}
      <RequestError error={history.error} fallback="Your calculations could not be loaded." />
      <RequestError error={opening.error ?? removing.error} />
      {history.data?.total === 0 && <Text c="dimmed">No calculations yet.</Text>}
      {history.data !== undefined && history.data.total > 0 && (
        <Table.ScrollContainer minWidth={800}>
          <Table aria-label="Your calculations" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Ticker</Table.Th>
                <Table.Th>Position</Table.Th>
                <Table.Th>Amount</Table.Th>
                <Table.Th>Leverage</Table.Th>
                <Table.Th>Price</Table.Th>
                <Table.Th>Margin call price</Table.Th>
                <Table.Th>Total interest</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history.data.items.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>{formatDateTime(item.created_at)}</Table.Td>
                  <Table.Td>{item.ticker}</Table.Td>
                  <Table.Td>
                    {item.position_type}, {item.account_type === 'reg_t' ? 'Reg T' : 'portfolio'}
                  </Table.Td>
                  <Table.Td>{formatValue(item.investment_amount, 'usd')}</Table.Td>
                  <Table.Td>{formatValue(item.leverage, 'x')}</Table.Td>
                  <Table.Td>
                    {formatValue(item.price.value, 'usd')} (
                    {item.price.origin === 'typed' ? 'typed' : 'quote'})
                  </Table.Td>
                  <Table.Td>{formatValue(item.margin_call_price, 'usd')}</Table.Td>
                  <Table.Td>{formatValue(item.total_interest, 'usd')}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={`Open the ${item.ticker} calculation of ${formatDateTime(item.created_at)}`}
                        onClick={() => {
                          opening.mutate(item.id);
                        }}
                      >
                        Open
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        color="red"
                        aria-label={`Delete the ${item.ticker} calculation of ${formatDateTime(item.created_at)}`}
                        onClick={() => {
                          removing.mutate(item.id);
                        }}
                      >
                        Delete
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {pages > 1 && (
        <Pagination
          total={pages}
          value={page}
          onChange={setPage}
          getControlProps={(control) => ({ 'aria-label': `${control} page` })}
        />
      )}
    </Stack>
  );
}
