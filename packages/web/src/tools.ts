/** The four tools of the hub, in navigation order, with where they live and what they do. */
import type { ToolId } from '@hub/core';

export type { ToolId };

export interface ToolInfo {
  id: ToolId;
  title: string;
  path: string;
  summary: string;
}

export const TOOLS: readonly ToolInfo[] = [
  {
    id: 'margin',
    title: 'Margin calculator',
    path: '/margin',
    summary:
      'Margin requirements for long and short positions under Reg T and portfolio margin rules.',
  },
  {
    id: 'backtest',
    title: 'Backtests',
    path: '/backtest',
    summary: 'Day-by-day backtests of leveraged ETF strategies, with metrics and charts.',
  },
  {
    id: 'returns',
    title: 'Return analyzer',
    path: '/returns',
    summary:
      'Upload a CSV of prices or returns and get QuantStats-grade performance and risk metrics.',
  },
  {
    id: 'credit',
    title: 'Credit analyzer',
    path: '/credit',
    summary:
      'Issuer credit analysis: ratios, Altman Z, Ohlson O, Piotroski F, Merton/KMV and a synthetic rating.',
  },
];

/** A page of its own in the navigation, open to every signed-in user. */
export interface PageInfo {
  title: string;
  path: string;
  summary: string;
}

/** The stored prices and rates the tools use (issue 4); shown once signed in. */
export const MARKET_DATA_PAGE: PageInfo = {
  title: 'Market data',
  path: '/market-data',
  summary: 'Stored daily prices, dividends and interest rates, with a price chart per symbol.',
};
