import { describe, expect, it } from 'vitest';
import { calculateMargin, marginInputsSchema, type MarginResult } from '../src/index.js';

// Scenario: a Long in a portfolio-margin account at the default 15 % stress (Decision 2, A.4):
// $100,000 of a $200 ETF at 5.0x, 8 % interest, 6 months, day count 365.
// Hand derivation: n = 500, E0 = 20000, D = 80000, q = m = s = 0.15.
const inputs = marginInputsSchema.parse({
  ticker: 'QQQ',
  investment_amount: 100_000,
  leverage: 5,
  current_price: 200,
  account_type: 'portfolio',
  position_type: 'Long',
  interest_rate: 8,
  holding_period: 6,
});
const result = calculateMargin(inputs);

type NumericField = {
  [K in keyof MarginResult]: MarginResult[K] extends number | null ? K : never;
}[keyof MarginResult];

const expected: [NumericField, number, string][] = [
  ['position_value', 100_000, '#1'],
  ['cash_required', 20_000, '#2 100000/5'],
  ['margin_loan', 80_000, '#3 100000 - 20000'],
  ['shares', 500, '#4'],
  ['shares_exact', 500, '#5'],
  ['whole_share_cost', 100_000, '#6'],
  ['uninvested_cash', 0, '#7'],
  ['leverage_x', 5, '#8'],
  ['equity_pct', 0.2, '#9 1/5'],
  ['loan_to_value_pct', 0.8, '#10 4/5'],
  ['initial_margin_rate_pct', 0.15, '#11 q = s'],
  ['initial_margin_required', 15_000, '#12 0.15 x 100000'],
  ['initial_margin_excess', 5000, '#13 20000 - 15000'],
  ['max_leverage_initial_x', 1 / 0.15, '#15 6.67x (A.4)'],
  ['maintenance_rate_pct', 0.15, '#16 m = s'],
  ['maintenance_requirement', 15_000, '#17'],
  ['maintenance_excess', 5000, '#18'],
  ['max_leverage_maintenance_x', 1 / 0.15, '#19'],
  ['sma', 5000, '#21 max(0, 20000 - 15000)'],
  ['buying_power_total', 133_333.33333333334, '#22 20000/0.15'],
  ['buying_power_remaining', 33_333.33333333334, '#23 133333.33 - 100000'],
  ['margin_call_price', 188.23529411764707, '#24 80000/(500 x 0.85)'],
  [
    'margin_call_drop_pct',
    0.05882352941176461,
    '#25 1 - 188.2353/200 = 5.9 % (A.5 table, L = 5, PM 15 %)',
  ],
  ['margin_call_market_value', 94_117.64705882352, '#26 80000/0.85'],
  ['equity_at_margin_call', 14_117.64705882353, '#27 0.15 x 80000/0.85'],
  ['loss_at_margin_call', 5882.35294117647, '#28 20000 - 14117.65'],
  ['loss_at_margin_call_pct_of_equity', 0.29411764705882354, '#29 5882.35/20000'],
  ['house_call_price_30', 228.57142857142858, '#30 80000/(500 x 0.70)'],
  ['margin_call_price_reg_t', 213.33333333333334, '#31 80000/(500 x 0.75)'],
  ['margin_call_price_portfolio', 188.23529411764707, '#32 80000/(500 x 0.85)'],
  ['liquidation_price', 160, '#33 80000/500'],
  ['liquidation_drop_pct', 0.2, '#34 1/L (A.5 "equity = 0 at" 20.0 %)'],
  ['holding_period_days', 182.5, '#35 6 x 365/12'],
  ['daily_interest', 17.534246575342465, '#36 80000 x 0.08/365'],
  ['monthly_interest', 533.3333333333334, '#37 80000 x 0.08/12'],
  ['annual_interest', 6400, '#38 80000 x 0.08'],
  ['total_interest', 3200, '#39 80000 x 0.08 x 6/12'],
  ['total_interest_compound_monthly', 3253.809784105748, '#40 80000((1 + 0.08/12)^6 - 1)'],
  ['total_interest_compound_daily', 3264.4969928609057, '#41 80000((1 + 0.08/365)^182.5 - 1)'],
  ['effective_annual_rate_pct', 0.08299950680750978, '#42 (1 + 0.08/12)^12 - 1'],
  ['interest_pct_of_equity', 0.16, '#43 3200/20000'],
  ['annual_interest_pct_of_equity', 0.32, '#44 (5 - 1) x 0.08'],
  ['borrow_fee_total', 0, '#45'],
  ['total_carry_cost', 3200, '#46'],
  ['breakeven_price', 206.4, '#47 200 + 3200/500'],
  ['breakeven_move_pct', 0.032, '#48 3200/100000'],
  ['annual_hurdle_return_pct', 0.064, '#49 0.08 x (1 - 1/5)'],
  ['max_theoretical_loss', 103_200, '#50 100000 + 3200'],
  ['pnl_per_1pct_move', 1000, '#51'],
  ['return_multiplier_x', 5, '#52'],
  ['leverage_cap_x', 6.6, 'A.6: portfolio 15 % cap 6.6x'],
];

describe('portfolio margin 15 %, Long 5x: every numeric field', () => {
  it.each(expected)('%s = %d (%s)', (field, value) => {
    expect(result[field]).toBeCloseTo(value, 6);
  });

  it('meets the 15 % initial requirement and holds, so no warnings', () => {
    expect(result.meets_initial_requirement).toBe(true); // 20000 >= 15000
    expect(result.is_feasible).toBe(true); // 0.2 > 0.15
    expect(result.warnings).toEqual([]);
  });

  it('-10 %: price 180 is below the 188.24 call price; call 0.15 x 90000 - 10000 = 3500', () => {
    const row = result.scenarios[4];
    expect(row?.move_pct).toBe(-0.1);
    expect(row?.margin_call).toBe(true);
    expect(row?.equity).toBeCloseTo(6800, 6); // 20000 - 10000 - 3200
    expect(row?.maintenance_call_amount).toBeCloseTo(3500, 6);
    expect(row?.sale_to_cure_call).toBeCloseTo(23_333.333333333336, 6); // 3500/0.15
    expect(row?.leveraged_return_pct).toBeCloseTo(-0.66, 12); // 5 x -0.1 - 4 x 0.08 x 6/12
  });
});
