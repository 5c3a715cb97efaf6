import { describe, expect, it } from 'vitest';
import { calculateMargin, marginInputsSchema, type MarginResult } from '../src/index.js';

// Scenario: a Short in a portfolio-margin account with the 8 % broad-index stress (A.4 option),
// interest on the broker's 360-day basis (B.4): short $50,000 of a $250 ETF at 4.0x, 6 %, 36 months.
// Hand derivation: n = 200, E0 = 12500, D = 37500, C = 62500, k = C/n = 312.5, q = m = 0.08,
// call price P' = k/(1 + 0.08) (B.3, PM).
const inputs = marginInputsSchema.parse({
  ticker: 'VTI',
  investment_amount: 50_000,
  leverage: 4,
  current_price: 250,
  account_type: 'portfolio',
  position_type: 'Short',
  interest_rate: 6,
  holding_period: 36,
  pm_stress: 0.08,
  day_count_basis: 360,
});
const result = calculateMargin(inputs);

type NumericField = {
  [K in keyof MarginResult]: MarginResult[K] extends number | null ? K : never;
}[keyof MarginResult];

const expected: [NumericField, number, string][] = [
  ['position_value', 50_000, 'I'],
  ['cash_required', 12_500, '50000/4'],
  ['margin_loan', 37_500, '50000 - 12500'],
  ['shares', 200, 'floor(50000/250)'],
  ['shares_exact', 200, 'I/P'],
  ['whole_share_cost', 50_000, '200 x 250'],
  ['uninvested_cash', 0, ''],
  ['leverage_x', 4, ''],
  ['equity_pct', 0.25, '1/4'],
  ['loan_to_value_pct', 0.75, '3/4'],
  ['initial_margin_rate_pct', 0.08, 'q = pm_stress'],
  ['initial_margin_required', 4000, '0.08 x 50000'],
  ['initial_margin_excess', 8500, '12500 - 4000'],
  ['max_leverage_initial_x', 12.5, '1/0.08'],
  ['maintenance_rate_pct', 0.08, 'm = pm_stress'],
  ['maintenance_requirement', 4000, 'n x 0.08 x 250'],
  ['maintenance_excess', 8500, '12500 - 4000'],
  ['max_leverage_maintenance_x', 12.5, '1/0.08'],
  ['sma', 8500, 'max(0, 12500 - 4000)'],
  ['buying_power_total', 156_250, '12500/0.08'],
  ['buying_power_remaining', 106_250, '156250 - 50000'],
  ['margin_call_price', 289.35185185185185, '312.5/1.08'],
  ['margin_call_drop_pct', -0.15740740740740744, '1 - 289.35/250'],
  ['margin_call_rise_pct', 0.15740740740740744, '289.35/250 - 1'],
  ['margin_call_market_value', 57_870.370370370365, '200 x 289.35'],
  ['equity_at_margin_call', 4629.629629629635, '62500 - 57870.37 (= 0.08 x 57870.37)'],
  ['loss_at_margin_call', 7870.370370370365, '12500 - 4629.63'],
  ['loss_at_margin_call_pct_of_equity', 0.6296296296296292, '7870.37/12500'],
  ['house_call_price_30', 240.3846153846154, '312.5/1.30'],
  ['margin_call_price_reg_t', 240.3846153846154, 'Reg T piece k >= 21.667: 312.5/1.3'],
  ['margin_call_price_portfolio', 271.7391304347826, '312.5/1.15 (the 15 % reference)'],
  ['liquidation_price', 312.5, 'C/n = 250 x (1 + 1/4)'],
  ['liquidation_drop_pct', -0.25, '1 - 312.5/250'],
  ['holding_period_days', 1095, '36 x 365/12 (calendar days whatever the basis)'],
  ['daily_interest', 6.25, '37500 x 0.06/360'],
  ['monthly_interest', 187.5, '37500 x 0.06/12'],
  ['annual_interest', 2250, '37500 x 0.06'],
  ['total_interest', 6750, '37500 x 0.06 x 36/12'],
  ['total_interest_compound_monthly', 7375.519680878051, '37500(1.005^36 - 1)'],
  ['total_interest_compound_daily', 7507.346244874866, '37500((1 + 0.06/360)^1095 - 1)'],
  ['effective_annual_rate_pct', 0.06167781186449828, '1.005^12 - 1'],
  ['interest_pct_of_equity', 0.54, '6750/12500'],
  ['annual_interest_pct_of_equity', 0.18, '(4 - 1) x 0.06'],
  ['borrow_fee_total', 0, 'borrow_fee_rate 0 (default)'],
  ['total_carry_cost', 6750, ''],
  ['breakeven_price', 216.25, '250 - 6750/200'],
  ['breakeven_move_pct', -0.135, 'a fall of 6750/50000'],
  ['annual_hurdle_return_pct', 0.045, '2250/50000'],
  ['pnl_per_1pct_move', 500, '0.01 x 50000'],
  ['return_multiplier_x', 4, ''],
  ['leverage_cap_x', 7, 'A.6: 1/0.08 = 12.5, capped at 7.0'],
];

describe('portfolio margin 8 %, Short 4x, 360-day basis: every numeric field', () => {
  it.each(expected)('%s = %d (%s)', (field, value) => {
    expect(result[field]).toBeCloseTo(value, 6);
  });

  it('is a short with an unbounded loss and no warnings', () => {
    expect(result.credit_balance).toBe(62_500);
    expect(result.short_proceeds).toBe(50_000);
    expect(result.max_theoretical_loss).toBe(Number.POSITIVE_INFINITY);
    expect(result.day_count_basis).toBe(360);
    expect(result.warnings).toEqual([]);
  });

  it('+20 %: 300 >= 289.35 calls for 0.08 x 60000 - 2500 = 2300 and the carry wipes it out', () => {
    const row = result.scenarios[7];
    expect(row?.move_pct).toBe(0.2);
    expect(row?.margin_call).toBe(true);
    expect(row?.maintenance_call_amount).toBeCloseTo(2300, 6);
    expect(row?.sale_to_cure_call).toBeCloseTo(28_750, 6); // 2300/0.08
    expect(row?.equity).toBeCloseTo(-4250, 6); // 12500 - 10000 - 6750
    expect(row?.wiped_out).toBe(true);
  });

  it('+10 %: 275 < 289.35, no call; equity 12500 - 5000 - 6750 = 750', () => {
    const row = result.scenarios[6];
    expect(row?.margin_call).toBe(false);
    expect(row?.maintenance_call_amount).toBe(0); // 0.08 x 55000 - 7500 < 0
    expect(row?.equity).toBeCloseTo(750, 6);
    expect(row?.wiped_out).toBe(false);
  });
});
