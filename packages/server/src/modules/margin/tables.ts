import type { AccountType, MarketSource, PositionType, PriceOrigin } from '@hub/core';
import type { Generated } from 'kysely';

/** ISO-8601 UTC text on both databases (see db/database.ts). */
type Timestamp = string;

/**
 * margin.calculations: one calculator run of a signed-in user (specs/margin.md B.7, the legacy
 * `margin_calculator_margincalculation`): the inputs and the whole result as JSON text, with the
 * few columns the history list, its ticker filter and the admin counts need.
 */
export interface CalculationsTable {
  id: Generated<number>;
  user_id: number;
  ticker: string;
  position_type: PositionType;
  account_type: AccountType;
  investment_amount: number;
  leverage: number;
  price: number;
  price_origin: PriceOrigin;
  /** The quote's source and trading day; null for a typed price. */
  price_source: MarketSource | null;
  price_as_of: string | null;
  /** Null only if the call price is unbounded (not reachable through the API's leverage cap). */
  margin_call_price: number | null;
  total_interest: number;
  /** MarginInputs as JSON. */
  inputs: string;
  /** The engine's result as JSON (unbounded figures as "Infinity"). */
  results: string;
  created_at: Timestamp;
  /** The UTC day of created_at, so that counts per day group the same way on both databases. */
  created_day: string;
}

export interface MarginTables {
  'margin.calculations': CalculationsTable;
}
