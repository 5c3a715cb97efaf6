import {
  calculateMargin,
  leverageIssue,
  marginInputsSchema,
  marginResultSchema,
  marginResultJsonText,
  type MarginCalculation,
  type MarginHistoryItem,
  type MarginHistoryPage,
  type MarginHistoryQuery,
  type MarginInputs,
  type MarginIssue,
  type MarginRequest,
  type MarginStats,
  type PriceUsed,
  type Quote,
} from '@hub/core';
import type { CalculationRow, CalculationSummaryRow, MarginRepository } from './repository.js';

/**
 * The latest stored quote of a ticker (price, trading day, source), or null when the hub has no
 * price for it. The plugin points this at the market service (`app.hub.market.quote`).
 */
export type LatestQuote = (ticker: string) => Promise<Quote | null>;

export type MarginErrorKind = 'invalid_input' | 'not_found';

/** The one error type of the margin service; routes turn it into a problem+json answer. */
export class MarginError extends Error {
  constructor(
    readonly kind: MarginErrorKind,
    message: string,
    /** invalid_input: each bad field of the request body. */
    readonly issues: readonly MarginIssue[] = [],
  ) {
    super(message);
    this.name = 'MarginError';
  }
}

/** A saved calculation as its JSON text (a MarginCalculation) and its id. */
export interface SavedCalculationJson {
  id: number;
  json: string;
}

export interface MarginServiceDeps {
  repository: MarginRepository;
  clock: () => Date;
  latestQuote: LatestQuote;
}

function priceOf(row: CalculationSummaryRow): PriceUsed {
  return {
    value: row.price,
    origin: row.price_origin,
    as_of: row.price_as_of,
    source: row.price_source,
  };
}

function historyItem(row: CalculationSummaryRow): MarginHistoryItem {
  return {
    id: row.id,
    ticker: row.ticker,
    created_at: row.created_at,
    position_type: row.position_type,
    account_type: row.account_type,
    investment_amount: row.investment_amount,
    leverage: row.leverage,
    price: priceOf(row),
    margin_call_price: row.margin_call_price ?? 'Infinity',
    total_interest: row.total_interest,
  };
}

function calculationOf(row: CalculationRow): MarginCalculation {
  return {
    id: row.id,
    ticker: row.ticker,
    created_at: row.created_at,
    inputs: marginInputsSchema.parse(JSON.parse(row.inputs)),
    price: priceOf(row),
    results: marginResultSchema.parse(JSON.parse(row.results)),
  };
}

/** The calculator and its per-user history (issue 5; specs/margin.md B). */
export function createMarginService({ repository, clock, latestQuote }: MarginServiceDeps) {
  /** The typed price, or the latest stored quote; an unknown ticker without one is the user's to fix. */
  async function settlePrice(request: MarginRequest): Promise<PriceUsed> {
    if (request.current_price !== undefined) {
      return { value: request.current_price, origin: 'typed', as_of: null, source: null };
    }
    const quote = await latestQuote(request.ticker);
    if (quote === null) {
      throw new MarginError('invalid_input', `No price is stored for ${request.ticker}.`, [
        {
          path: 'ticker',
          message: `no price is stored for ${request.ticker}: type the price in current_price or import its prices`,
        },
      ]);
    }
    return { value: quote.price, origin: 'quote', as_of: quote.as_of, source: quote.source };
  }

  return {
    /** Calculates (B.1 ranges already checked by the route) and saves to the user's history; refused inputs save nothing. */
    async calculate(userId: number, request: MarginRequest): Promise<SavedCalculationJson> {
      const price = await settlePrice(request);
      const inputs: MarginInputs = { ...request, current_price: price.value };
      const issue = leverageIssue(inputs);
      if (issue !== null) throw new MarginError('invalid_input', issue.message, [issue]);

      const result = calculateMargin(inputs);
      const resultsText = marginResultJsonText(result);
      const inputsText = JSON.stringify(inputs);
      const createdAt = clock().toISOString();
      const id = await repository.insert({
        user_id: userId,
        ticker: inputs.ticker,
        position_type: inputs.position_type,
        account_type: inputs.account_type,
        investment_amount: inputs.investment_amount,
        leverage: inputs.leverage,
        price: price.value,
        price_origin: price.origin,
        price_source: price.source,
        price_as_of: price.as_of,
        margin_call_price: Number.isFinite(result.margin_call_price)
          ? result.margin_call_price
          : null,
        total_interest: result.total_interest,
        inputs: inputsText,
        results: resultsText,
        created_at: createdAt,
        created_day: createdAt.slice(0, 10),
      });
      // The answer is the saved row, spliced from the JSON texts just stored: the result is
      // serialised once, which is most of the endpoint's work besides the database.
      return {
        id,
        json:
          `{"id":${String(id)},"ticker":${JSON.stringify(inputs.ticker)},` +
          `"created_at":${JSON.stringify(createdAt)},"inputs":${inputsText},` +
          `"price":${JSON.stringify(price)},"results":${resultsText}}`,
      };
    },

    async history(userId: number, query: MarginHistoryQuery): Promise<MarginHistoryPage> {
      const { rows, total } = await repository.listOwn(userId, {
        ...(query.ticker === undefined ? {} : { ticker: query.ticker }),
        limit: query.page_size,
        offset: (query.page - 1) * query.page_size,
      });
      return { items: rows.map(historyItem), page: query.page, page_size: query.page_size, total };
    },

    async get(userId: number, id: number): Promise<MarginCalculation> {
      const row = await repository.findOwn(userId, id);
      if (row === undefined) throw new MarginError('not_found', `No calculation ${String(id)}.`);
      return calculationOf(row);
    },

    async delete(userId: number, id: number): Promise<void> {
      if (!(await repository.deleteOwn(userId, id))) {
        throw new MarginError('not_found', `No calculation ${String(id)}.`);
      }
    },

    async stats(): Promise<MarginStats> {
      const counts = await repository.counts();
      return { total: counts.total, per_day: counts.perDay, per_ticker: counts.perTicker };
    },

    /** The user's export: every calculation with its inputs and result. */
    async exportOf(userId: number): Promise<MarginCalculation[]> {
      return (await repository.allOf(userId)).map(calculationOf);
    },
  };
}

export type MarginService = ReturnType<typeof createMarginService>;
