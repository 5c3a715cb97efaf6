import type {
  MarginDisplayField,
  MarginInputs,
  MarginScenario,
  MarginWarning,
  PositionType,
} from '../contracts/margin.js';
import { MARGIN_DISPLAY_FIELDS } from '../contracts/margin.js';
import {
  CALENDAR_DAYS_PER_YEAR,
  MONTHS_PER_YEAR,
  REFERENCE_HOUSE_RATE,
  REFERENCE_PM_RATE,
  REFERENCE_REG_T_RATE,
  REG_T,
  SCENARIO_MOVES,
  initialRate,
} from './conventions.js';
import { round2 } from './round.js';
import {
  leverageCap,
  maintenanceRate,
  regTShortCallPrice,
  requirementPerShare,
  ruleOf,
  shortCallPrice,
  type MaintenanceRule,
} from './rules.js';

/** Every output field of specs/margin.md B.2 (Long) and B.3 (Short), unrounded (B.7). */
export interface MarginResult {
  position_type: PositionType;
  account_type: MarginInputs['account_type'];
  current_price: number;
  day_count_basis: MarginInputs['day_count_basis'];
  leverage_cap_x: number;
  position_value: number;
  short_proceeds: number | null;
  credit_balance: number | null;
  cash_required: number;
  margin_loan: number;
  shares: number;
  shares_exact: number;
  whole_share_cost: number;
  uninvested_cash: number;
  leverage_x: number;
  equity_pct: number;
  loan_to_value_pct: number;
  initial_margin_rate_pct: number;
  initial_margin_required: number;
  initial_margin_excess: number;
  meets_initial_requirement: boolean;
  max_leverage_initial_x: number;
  maintenance_rate_pct: number;
  maintenance_requirement: number;
  maintenance_excess: number;
  max_leverage_maintenance_x: number;
  is_feasible: boolean;
  sma: number;
  buying_power_total: number;
  buying_power_remaining: number;
  margin_call_price: number;
  margin_call_drop_pct: number;
  margin_call_rise_pct: number | null;
  margin_call_market_value: number;
  equity_at_margin_call: number;
  loss_at_margin_call: number;
  loss_at_margin_call_pct_of_equity: number;
  house_call_price_30: number;
  margin_call_price_reg_t: number;
  margin_call_price_portfolio: number;
  liquidation_price: number;
  liquidation_drop_pct: number;
  holding_period_days: number;
  daily_interest: number;
  monthly_interest: number;
  annual_interest: number;
  total_interest: number;
  total_interest_compound_monthly: number;
  total_interest_compound_daily: number;
  effective_annual_rate_pct: number;
  interest_pct_of_equity: number;
  annual_interest_pct_of_equity: number;
  borrow_fee_total: number;
  total_carry_cost: number;
  breakeven_price: number;
  breakeven_move_pct: number;
  annual_hurdle_return_pct: number;
  max_theoretical_loss: number;
  pnl_per_1pct_move: number;
  return_multiplier_x: number;
  scenarios: MarginScenario[];
  warnings: MarginWarning[];
  display: Record<MarginDisplayField, number> & { shares: number };
}

/**
 * The margin calculator (specs/margin.md B): a pure function of its inputs. The inputs are taken
 * as valid (see `validateMarginInputs`); leverage the maintenance rate cannot hold is computed
 * anyway and flagged (`is_feasible`, warnings), as A.6 asks.
 */
export function calculateMargin(inputs: MarginInputs): MarginResult {
  const rule = ruleOf(inputs);
  const isLong = inputs.position_type === 'Long';
  const sign = isLong ? 1 : -1;
  const I = inputs.investment_amount;
  const P = inputs.current_price;
  const L = inputs.leverage;
  const r = inputs.interest_rate / 100;
  const H = inputs.holding_period;
  const B = inputs.day_count_basis;
  const borrowFeeRate = isLong ? 0 : inputs.borrow_fee_rate / 100;

  const n = I / P;
  const shares = Math.floor(n);
  const equity0 = I / L;
  const D = I - I / L;
  const q = initialRate(inputs.account_type, inputs.pm_stress);
  const m = maintenanceRate(rule, P);

  // Risk prices (B.2 #24-34, B.3): exact shares.
  const risk = isLong ? longRisk(n, D, m) : shortRisk(rule, n, I + equity0);
  const equityAtCall = risk.equityAtCall;

  // Interest (B.2 #35-44, B.4).
  const holdingDays = (H * CALENDAR_DAYS_PER_YEAR) / MONTHS_PER_YEAR;
  const totalInterest = (D * r * H) / MONTHS_PER_YEAR;
  const borrowFeeTotal = (I * borrowFeeRate * H) / MONTHS_PER_YEAR;
  const carry = totalInterest + borrowFeeTotal;

  const result: MarginResult = {
    position_type: inputs.position_type,
    account_type: inputs.account_type,
    current_price: P,
    day_count_basis: B,
    leverage_cap_x: leverageCap(rule, P).maxLeverage,
    position_value: I,
    short_proceeds: isLong ? null : I,
    credit_balance: isLong ? null : I + equity0,
    cash_required: equity0,
    margin_loan: D,
    shares,
    shares_exact: n,
    whole_share_cost: shares * P,
    uninvested_cash: I - shares * P,
    leverage_x: L,
    equity_pct: 1 / L,
    loan_to_value_pct: (L - 1) / L,
    initial_margin_rate_pct: q,
    initial_margin_required: q * I,
    initial_margin_excess: equity0 - q * I,
    meets_initial_requirement: equity0 >= q * I,
    max_leverage_initial_x: 1 / q,
    maintenance_rate_pct: m,
    maintenance_requirement: m * I,
    maintenance_excess: equity0 - m * I,
    max_leverage_maintenance_x: 1 / m,
    is_feasible: 1 / L > m,
    sma: Math.max(0, equity0 - q * I),
    buying_power_total: equity0 / q,
    buying_power_remaining: Math.max(0, equity0 / q - I),
    margin_call_price: risk.callPrice,
    margin_call_drop_pct: 1 - risk.callPrice / P,
    margin_call_rise_pct: isLong ? null : risk.callPrice / P - 1,
    margin_call_market_value: n * risk.callPrice,
    equity_at_margin_call: equityAtCall,
    loss_at_margin_call: equity0 - equityAtCall,
    loss_at_margin_call_pct_of_equity: (equity0 - equityAtCall) / equity0,
    house_call_price_30: risk.houseCallPrice30,
    margin_call_price_reg_t: risk.regTCallPrice,
    margin_call_price_portfolio: risk.portfolioCallPrice,
    liquidation_price: risk.liquidationPrice,
    liquidation_drop_pct: 1 - risk.liquidationPrice / P,
    holding_period_days: holdingDays,
    daily_interest: (D * r) / B,
    monthly_interest: (D * r) / MONTHS_PER_YEAR,
    annual_interest: D * r,
    total_interest: totalInterest,
    total_interest_compound_monthly: D * ((1 + r / MONTHS_PER_YEAR) ** H - 1),
    total_interest_compound_daily: D * ((1 + r / B) ** holdingDays - 1),
    effective_annual_rate_pct: (1 + r / MONTHS_PER_YEAR) ** MONTHS_PER_YEAR - 1,
    interest_pct_of_equity: totalInterest / equity0,
    annual_interest_pct_of_equity: (D * r) / equity0,
    borrow_fee_total: borrowFeeTotal,
    total_carry_cost: carry,
    // The price at which the move pays the carry: up for a Long, down for a Short.
    breakeven_price: P + (sign * carry) / n,
    breakeven_move_pct: (sign * carry) / I,
    // The yearly move that pays a year's carry (for a Short, a fall; borrow fee included).
    annual_hurdle_return_pct: (D * r + I * borrowFeeRate) / I,
    // A Long loses at most its price going to 0 plus the carry; a Short's loss has no bound.
    max_theoretical_loss: isLong ? I + carry : Number.POSITIVE_INFINITY,
    pnl_per_1pct_move: 0.01 * I,
    return_multiplier_x: L,
    scenarios: SCENARIO_MOVES.map((move) =>
      scenario(rule, { I, P, equity0, carry, sign }, risk.callPrice, move),
    ),
    warnings: warningsFor(inputs, 1 / L > m, equity0 >= q * I, m, q),
    display: NO_DISPLAY,
  };
  // Filled in place: copying a 60-field object per calculation costs more than the arithmetic.
  result.display = displayOf(result);
  return result;
}

interface Risk {
  callPrice: number;
  equityAtCall: number;
  houseCallPrice30: number;
  regTCallPrice: number;
  portfolioCallPrice: number;
  liquidationPrice: number;
}

function longRisk(n: number, D: number, m: number): Risk {
  // With no loan there is nothing to call: price 0 (never reached), not the 0/0 of m = 100 %.
  const callPrice = D === 0 ? 0 : D / (n * (1 - m));
  return {
    callPrice,
    // B.2 #27: m*D/(1-m), i.e. m times the market value at the call.
    equityAtCall: D === 0 ? 0 : m * n * callPrice,
    houseCallPrice30: D / (n * (1 - REFERENCE_HOUSE_RATE)),
    regTCallPrice: D / (n * (1 - REFERENCE_REG_T_RATE)),
    portfolioCallPrice: D / (n * (1 - REFERENCE_PM_RATE)),
    liquidationPrice: D / n,
  };
}

function shortRisk(rule: MaintenanceRule, n: number, credit: number): Risk {
  const k = credit / n;
  const callPrice = shortCallPrice(rule, k);
  return {
    callPrice,
    equityAtCall: credit - n * callPrice,
    // The Short analogues of B.2 #30-32: the same reference rates applied to B.3's equation.
    houseCallPrice30: k / (1 + REFERENCE_HOUSE_RATE),
    regTCallPrice: regTShortCallPrice(k),
    portfolioCallPrice: k / (1 + REFERENCE_PM_RATE),
    liquidationPrice: k,
  };
}

interface Position {
  I: number;
  P: number;
  equity0: number;
  carry: number;
  sign: number;
}

/** One row of B.5 for a move `x` from entry. */
function scenario(
  rule: MaintenanceRule,
  position: Position,
  callPrice: number,
  x: number,
): MarginScenario {
  const { I, P, equity0, carry, sign } = position;
  const price = P * (1 + x);
  const value = I * (1 + x);
  const equity = equity0 + sign * I * x - carry;
  // The maintenance test ignores carry (B.5): the call compares market equity with m_eff * value.
  const marketEquity = equity0 + sign * I * x;
  const rate = price > 0 ? requirementPerShare(rule, price) / price : 1;
  const call = Math.max(0, rate * value - marketEquity);
  return {
    move_pct: x,
    price,
    position_value: value,
    equity,
    leveraged_return_pct: equity / equity0 - 1,
    // + 0 turns a Short's -0 at no move into 0, which JSON would otherwise lose the sign of anyway.
    unleveraged_return_pct: sign * x + 0,
    margin_call: sign > 0 ? price <= callPrice : price >= callPrice,
    maintenance_call_amount: call,
    // Selling (or buying to cover) X changes the requirement by rate*X and not the equity.
    sale_to_cure_call: Math.min(call / rate, value),
    wiped_out: equity <= 0,
  };
}

function warningsFor(
  inputs: MarginInputs,
  feasible: boolean,
  meetsInitial: boolean,
  m: number,
  q: number,
): MarginWarning[] {
  const warnings: MarginWarning[] = [];
  const percent = (rate: number) => `${round2(rate * 100)} %`;
  if (!feasible) {
    warnings.push({
      code: 'starts_in_margin_call',
      message: `At ${inputs.leverage}x the equity (${percent(1 / inputs.leverage)} of the position) is not above the ${percent(m)} maintenance requirement: the position would start in a margin call.`,
    });
  }
  if (!meetsInitial) {
    warnings.push({
      code: 'exceeds_initial_requirement',
      message:
        inputs.account_type === 'reg_t'
          ? `Reg T requires ${percent(REG_T.initialLong)} equity to open, so at most ${round2(1 / q)}x at purchase: a Reg T account would not let you open this position overnight.`
          : `The initial requirement is ${percent(q)} of the position, so at most ${round2(1 / q)}x at purchase.`,
    });
  }
  return warnings;
}

const NO_DISPLAY: MarginResult['display'] = Object.freeze({
  ...(Object.fromEntries(MARGIN_DISPLAY_FIELDS.map((field) => [field, 0])) as Record<
    MarginDisplayField,
    number
  >),
  shares: 0,
});

/** B.7 display: one object literal (not built from entries), since it runs per calculation. */
function displayOf(result: MarginResult): MarginResult['display'] {
  return {
    position_value: round2(result.position_value),
    cash_required: round2(result.cash_required),
    margin_loan: round2(result.margin_loan),
    whole_share_cost: round2(result.whole_share_cost),
    uninvested_cash: round2(result.uninvested_cash),
    initial_margin_required: round2(result.initial_margin_required),
    maintenance_requirement: round2(result.maintenance_requirement),
    margin_call_price: round2(result.margin_call_price),
    equity_at_margin_call: round2(result.equity_at_margin_call),
    loss_at_margin_call: round2(result.loss_at_margin_call),
    house_call_price_30: round2(result.house_call_price_30),
    margin_call_price_reg_t: round2(result.margin_call_price_reg_t),
    margin_call_price_portfolio: round2(result.margin_call_price_portfolio),
    liquidation_price: round2(result.liquidation_price),
    daily_interest: round2(result.daily_interest),
    monthly_interest: round2(result.monthly_interest),
    annual_interest: round2(result.annual_interest),
    total_interest: round2(result.total_interest),
    total_interest_compound_monthly: round2(result.total_interest_compound_monthly),
    total_interest_compound_daily: round2(result.total_interest_compound_daily),
    borrow_fee_total: round2(result.borrow_fee_total),
    total_carry_cost: round2(result.total_carry_cost),
    breakeven_price: round2(result.breakeven_price),
    max_theoretical_loss: round2(result.max_theoretical_loss),
    shares: result.shares,
  } satisfies Record<MarginDisplayField, number> & { shares: number };
}
