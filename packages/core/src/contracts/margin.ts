import { z } from 'zod';
import { quoteSchema, symbolSchema } from './market.js';

/**
 * The margin calculator's API contract (specs/margin.md A.6, B). Money is USD, prices are USD per
 * share, rates typed by people are percent per year (5.5 means 5.5 %), and every `*_pct` field of
 * a result is a fraction (0.3333 is 33.33 %). Every route lives under /api/margin.
 */

export const ACCOUNT_TYPES = ['reg_t', 'portfolio'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export const POSITION_TYPES = ['Long', 'Short'] as const;
export type PositionType = (typeof POSITION_TYPES)[number];

/** Portfolio-margin stress (Decision 2): 15 % "other equity" range by default, 8 % broad-index. */
export const PM_STRESS_OPTIONS = [0.15, 0.08] as const;
export type PmStress = (typeof PM_STRESS_OPTIONS)[number];

/** Day-count basis of daily interest: 365 (the seed's) or 360 (the usual broker convention). */
export const DAY_COUNT_BASES = [365, 360] as const;
export type DayCountBasis = (typeof DAY_COUNT_BASES)[number];

/** B.1 ranges. The API takes leverage 1.0-7.0; the feasible cap (A.6) is checked on top. */
export const MARGIN_INPUT_LIMITS = {
  leverage: { min: 1, max: 7 },
  interestRatePct: { min: 1, max: 10 },
  holdingPeriodMonths: { min: 1, max: 60 },
  maintenanceOverride: { min: 0.25, max: 1 },
  /** Not in the spec: a bound that keeps every product finite; far above any real position. */
  investmentAmountMax: 1_000_000_000_000,
  /** Not in the spec: stock-borrow fees above 100 %/yr exist only for a few squeezed names. */
  borrowFeeRatePctMax: 100,
} as const;

const finitePositive = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .refine(Number.isFinite, `${field} must be a finite number`)
    .refine((value) => value > 0, `${field} must be greater than 0`);

/** The calculator's inputs before the price is known: typed, or the latest stored quote. */
export const marginRequestSchema = z.object({
  ticker: symbolSchema,
  investment_amount: finitePositive('investment_amount').refine(
    (value) => value <= MARGIN_INPUT_LIMITS.investmentAmountMax,
    'investment_amount must be at most 1,000,000,000,000',
  ),
  leverage: z
    .number({ error: 'leverage must be a number' })
    .min(1, 'leverage must be at least 1.0')
    .max(7, 'leverage must be at most 7.0'),
  /** A price the user typed; omitted, the latest stored quote of the ticker is used. */
  current_price: finitePositive('current_price').optional(),
  account_type: z.enum(ACCOUNT_TYPES, { error: 'account_type must be reg_t or portfolio' }),
  position_type: z.enum(POSITION_TYPES, { error: 'position_type must be Long or Short' }),
  /** Percent per year, 1-10. */
  interest_rate: z
    .number({ error: 'interest_rate must be a number' })
    .min(1, 'interest_rate must be at least 1 (%)')
    .max(10, 'interest_rate must be at most 10 (%)'),
  /** Whole months, 1-60. */
  holding_period: z
    .number({ error: 'holding_period must be a number' })
    .int('holding_period must be a whole number of months')
    .min(1, 'holding_period must be at least 1 month')
    .max(60, 'holding_period must be at most 60 months'),
  pm_stress: z
    .union([z.literal(0.15), z.literal(0.08)], { error: 'pm_stress must be 0.15 or 0.08' })
    .default(0.15),
  /** A house maintenance rate (fraction) replacing the account's; null: the account's own. */
  maintenance_override: z
    .number({ error: 'maintenance_override must be a number' })
    .min(0.25, 'maintenance_override must be at least 0.25')
    .max(1, 'maintenance_override must be at most 1.0')
    .nullable()
    .default(null),
  day_count_basis: z
    .union([z.literal(365), z.literal(360)], { error: 'day_count_basis must be 365 or 360' })
    .default(365),
  /** Percent per year on the short market value; Short only (a Long ignores it). */
  borrow_fee_rate: z
    .number({ error: 'borrow_fee_rate must be a number' })
    .min(0, 'borrow_fee_rate must be at least 0 (%)')
    .max(MARGIN_INPUT_LIMITS.borrowFeeRatePctMax, 'borrow_fee_rate must be at most 100 (%)')
    .default(0),
});
export type MarginRequest = z.infer<typeof marginRequestSchema>;
export type MarginRequestInput = z.input<typeof marginRequestSchema>;

/** The engine's inputs: a request with its price settled. */
export const marginInputsSchema = marginRequestSchema.extend({
  current_price: finitePositive('current_price'),
});
export type MarginInputs = z.infer<typeof marginInputsSchema>;
export type MarginInputsInput = z.input<typeof marginInputsSchema>;

/**
 * JSON has no infinity: an unbounded figure (a short's maximum loss) travels as the string
 * "Infinity" (B.3); the UI shows "unlimited".
 */
export const wireNumberSchema = z.union([
  z.number(),
  z.literal('Infinity'),
  z.literal('-Infinity'),
]);
export type WireNumber = z.infer<typeof wireNumberSchema>;

export const MARGIN_WARNING_CODES = [
  'starts_in_margin_call',
  'exceeds_initial_requirement',
] as const;
export type MarginWarningCode = (typeof MARGIN_WARNING_CODES)[number];
export const marginWarningSchema = z.object({
  code: z.enum(MARGIN_WARNING_CODES),
  message: z.string(),
});
export type MarginWarning = z.infer<typeof marginWarningSchema>;

/** One row of the B.5 table: the position after a price move `move_pct` from entry. */
export const marginScenarioSchema = z.object({
  move_pct: z.number(),
  price: z.number(),
  position_value: z.number(),
  equity: z.number(),
  leveraged_return_pct: z.number(),
  unleveraged_return_pct: z.number(),
  margin_call: z.boolean(),
  maintenance_call_amount: z.number(),
  sale_to_cure_call: z.number(),
  wiped_out: z.boolean(),
});
export type MarginScenario = z.infer<typeof marginScenarioSchema>;

/** Cent-rounded copies of the headline figures (B.7); `shares` is whole. */
export const MARGIN_DISPLAY_FIELDS = [
  'position_value',
  'cash_required',
  'margin_loan',
  'whole_share_cost',
  'uninvested_cash',
  'initial_margin_required',
  'maintenance_requirement',
  'margin_call_price',
  'equity_at_margin_call',
  'loss_at_margin_call',
  'house_call_price_30',
  'margin_call_price_reg_t',
  'margin_call_price_portfolio',
  'liquidation_price',
  'daily_interest',
  'monthly_interest',
  'annual_interest',
  'total_interest',
  'total_interest_compound_monthly',
  'total_interest_compound_daily',
  'borrow_fee_total',
  'total_carry_cost',
  'breakeven_price',
  'max_theoretical_loss',
] as const;
export type MarginDisplayField = (typeof MARGIN_DISPLAY_FIELDS)[number];

const displayShape = Object.fromEntries(
  MARGIN_DISPLAY_FIELDS.map((field) => [field, wireNumberSchema]),
) as Record<MarginDisplayField, typeof wireNumberSchema>;

export const marginDisplaySchema = z.object({ ...displayShape, shares: z.number().int() });

/** Every output field of B.2/B.3, unrounded (B.7), numbered as in B.2. */
export const marginResultSchema = z.object({
  position_type: z.enum(POSITION_TYPES),
  account_type: z.enum(ACCOUNT_TYPES),
  current_price: z.number(),
  day_count_basis: z.union([z.literal(365), z.literal(360)]),
  /** The form's leverage cap for these inputs (A.6): 1.0-7.0 in steps of 0.1. */
  leverage_cap_x: z.number(),
  /** 1 */ position_value: z.number(),
  /** Short only (B.3), null for a Long. */ short_proceeds: z.number().nullable(),
  /** Short only (B.3), null for a Long. */ credit_balance: z.number().nullable(),
  /** 2 */ cash_required: z.number(),
  /** 3 */ margin_loan: z.number(),
  /** 4 */ shares: z.number().int(),
  /** 5 */ shares_exact: z.number(),
  /** 6 */ whole_share_cost: z.number(),
  /** 7 */ uninvested_cash: z.number(),
  /** 8 */ leverage_x: z.number(),
  /** 9 */ equity_pct: z.number(),
  /** 10 */ loan_to_value_pct: z.number(),
  /** 11 */ initial_margin_rate_pct: z.number(),
  /** 12 */ initial_margin_required: z.number(),
  /** 13 */ initial_margin_excess: z.number(),
  /** 14 */ meets_initial_requirement: z.boolean(),
  /** 15 */ max_leverage_initial_x: z.number(),
  /** 16 */ maintenance_rate_pct: z.number(),
  /** 17 */ maintenance_requirement: z.number(),
  /** 18 */ maintenance_excess: z.number(),
  /** 19 */ max_leverage_maintenance_x: z.number(),
  /** 20 */ is_feasible: z.boolean(),
  /** 21 */ sma: z.number(),
  /** 22 */ buying_power_total: z.number(),
  /** 23 */ buying_power_remaining: z.number(),
  /** 24 */ margin_call_price: wireNumberSchema,
  /** 25 */ margin_call_drop_pct: wireNumberSchema,
  /** Short only (B.3), null for a Long. */ margin_call_rise_pct: z.number().nullable(),
  /** 26 */ margin_call_market_value: wireNumberSchema,
  /** 27 */ equity_at_margin_call: wireNumberSchema,
  /** 28 */ loss_at_margin_call: wireNumberSchema,
  /** 29 */ loss_at_margin_call_pct_of_equity: wireNumberSchema,
  /** 30 */ house_call_price_30: z.number(),
  /** 31 */ margin_call_price_reg_t: z.number(),
  /** 32 */ margin_call_price_portfolio: z.number(),
  /** 33 */ liquidation_price: z.number(),
  /** 34 */ liquidation_drop_pct: z.number(),
  /** 35 */ holding_period_days: z.number(),
  /** 36 */ daily_interest: z.number(),
  /** 37 */ monthly_interest: z.number(),
  /** 38 */ annual_interest: z.number(),
  /** 39 */ total_interest: z.number(),
  /** 40 */ total_interest_compound_monthly: z.number(),
  /** 41 */ total_interest_compound_daily: z.number(),
  /** 42 */ effective_annual_rate_pct: z.number(),
  /** 43 */ interest_pct_of_equity: z.number(),
  /** 44 */ annual_interest_pct_of_equity: z.number(),
  /** 45 */ borrow_fee_total: z.number(),
  /** 46 */ total_carry_cost: z.number(),
  /** 47 */ breakeven_price: z.number(),
  /** 48 */ breakeven_move_pct: z.number(),
  /** 49 */ annual_hurdle_return_pct: z.number(),
  /** 50 */ max_theoretical_loss: wireNumberSchema,
  /** 51 */ pnl_per_1pct_move: z.number(),
  /** 52 */ return_multiplier_x: z.number(),
  /** 53 */ scenarios: z.array(marginScenarioSchema),
  /** 54 */ warnings: z.array(marginWarningSchema),
  /** 55 */ display: marginDisplaySchema,
});
/** A result as it travels in JSON (unbounded figures as "Infinity"). */
export type MarginResultJson = z.infer<typeof marginResultSchema>;

/** Where the price of a calculation came from: typed by the user, or the latest stored quote. */
export const PRICE_ORIGINS = ['typed', 'quote'] as const;
export type PriceOrigin = (typeof PRICE_ORIGINS)[number];
export const priceUsedSchema = z.object({
  value: z.number().positive(),
  origin: z.enum(PRICE_ORIGINS),
  /** The quote's trading day and source; null for a typed price. */
  as_of: z.string().nullable(),
  source: quoteSchema.shape.source.nullable(),
});
export type PriceUsed = z.infer<typeof priceUsedSchema>;

/** POST /api/margin/calculations answer and GET /api/margin/calculations/:id. */
export const marginCalculationSchema = z.object({
  id: z.number().int(),
  ticker: z.string(),
  created_at: z.string(),
  inputs: marginInputsSchema,
  price: priceUsedSchema,
  results: marginResultSchema,
});
export type MarginCalculation = z.infer<typeof marginCalculationSchema>;

/** GET /api/margin/calculations?page&page_size&ticker: my history, newest first. */
export const marginHistoryQuerySchema = z.object({
  page: z.coerce
    .number()
    .int('page must be a whole number')
    .min(1, 'page must be at least 1')
    .default(1),
  page_size: z.coerce
    .number()
    .int('page_size must be a whole number')
    .min(1, 'page_size must be at least 1')
    .max(100, 'page_size must be at most 100')
    .default(20),
  ticker: symbolSchema.optional(),
});
export type MarginHistoryQuery = z.infer<typeof marginHistoryQuerySchema>;

/** A history row: what a list needs, not the whole result. */
export const marginHistoryItemSchema = z.object({
  id: z.number().int(),
  ticker: z.string(),
  created_at: z.string(),
  position_type: z.enum(POSITION_TYPES),
  account_type: z.enum(ACCOUNT_TYPES),
  investment_amount: z.number(),
  leverage: z.number(),
  price: priceUsedSchema,
  margin_call_price: wireNumberSchema,
  total_interest: z.number(),
});
export type MarginHistoryItem = z.infer<typeof marginHistoryItemSchema>;

export const marginHistoryPageSchema = z.object({
  items: z.array(marginHistoryItemSchema),
  page: z.number().int(),
  page_size: z.number().int(),
  total: z.number().int(),
});
export type MarginHistoryPage = z.infer<typeof marginHistoryPageSchema>;

/** GET /api/margin/admin/stats: how many calculations, per UTC day and per ticker. */
export const marginStatsSchema = z.object({
  total: z.number().int(),
  per_day: z.array(z.object({ day: z.string(), count: z.number().int() })),
  per_ticker: z.array(z.object({ ticker: z.string(), count: z.number().int() })),
});
export type MarginStats = z.infer<typeof marginStatsSchema>;
