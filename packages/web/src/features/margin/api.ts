/**
 * The margin module's calls (packages/core/src/contracts/margin.ts), all through the one HTTP
 * client, every answer checked against the contract.
 */
import {
  marginCalculationSchema,
  marginHistoryPageSchema,
  type MarginCalculation,
  type MarginHistoryPage,
} from '@hub/core';
import { apiDelete, apiGet, apiPost } from '../../api/client';
import { MARGIN_API } from './helpers';

export const marginKeys = {
  all: ['margin'] as const,
  history: (page: number, ticker: string) => ['margin', 'history', page, ticker] as const,
  calculation: (id: number) => ['margin', 'calculation', id] as const,
};

export const HISTORY_PAGE_SIZE = 10;

export function calculate(request: Record<string, unknown>): Promise<MarginCalculation> {
  return apiPost(MARGIN_API, request, marginCalculationSchema);
}

export function fetchHistory(
  page: number,
  ticker: string,
  signal?: AbortSignal,
): Promise<MarginHistoryPage> {
  const query = new URLSearchParams({ page: String(page), page_size: String(HISTORY_PAGE_SIZE) });
  if (ticker !== '') query.set('ticker', ticker);
  return apiGet(
    `${MARGIN_API}?${query.toString()}`,
    marginHistoryPageSchema,
    signal === undefined ? {} : { signal },
  );
}

export function fetchCalculation(id: number): Promise<MarginCalculation> {
  return apiGet(`${MARGIN_API}/${String(id)}`, marginCalculationSchema);
}

export function deleteCalculation(id: number): Promise<void> {
  return apiDelete(`${MARGIN_API}/${String(id)}`);
}
