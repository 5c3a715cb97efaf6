import { describe, expect, it } from 'vitest';
import { calculateMargin, marginInputsSchema, type MarginResult } from '../src/index.js';

// Scenario: the seed example of specs/margin.md B.6: SPY 450.25, $100,000, 2.0x, reg_t, Long,
// 5.5 %, 24 months, day count 365. Every figure is derived by hand from the B.2 formula named in
// its comment, with I = 100000, P = 450.25, L = 2, m = 0.25, q = 0.50, r = 0.055, H = 24, B = 365,
// n = I/P = 222.0988339811..., E0 = I/L = 50000, D = I - I/L = 50000.
const inputs = marginInputsSchema.parse({
  ticker: 'SPY',
  investment_amount: 100_000,
  leverage: 2.0,
  current_price: 450.25,
  account_type: 'reg_t',
  position_type: 'Long',
  interest_rate: 5.5,
  holding_period: 24,
});
const result = calculateMargin(inputs);

describe('seed example (B.6): the five figures the legacy app showed', () => {
  it('cash_required 50000, margin_loan 50000, shares 222, margin_call_price 300.17, daily_interest 7.53', () => {
    expect(result.display.cash_required).toBe(50_000);
    expect(result.display.margin_loan).toBe(50_000);
    expect(result.display.shares).toBe(222);
    expect(result.display.margin_call_price).toBe(300.17);
    expect(result.display.daily_interest).toBe(7.53);
  });
});

type NumericField = {
  [K in keyof MarginResult]: MarginResult[K] extends number | null ? K : never;
}[keyof MarginResult];

const expected: [NumericField, number, string][] = [
  ['position_value', 100_000, '#1 I'],
  ['cash_required', 50_000, '#2 100000/2'],
  ['margin_loan', 50_000, '#3 100000 - 50000'],
  ['shares', 222, '#4 floor(222.0988)'],
  ['shares_exact', 222.0988339811216, '#5 100000/450.25'],
  ['whole_share_cost', 99_955.5, '#6 222 x 450.25'],
  ['uninvested_cash', 44.5, '#7 100000 - 99955.50 (B.6)'],
  ['leverage_x', 2, '#8 L'],
  ['equity_pct', 0.5, '#9 1/2'],
  ['loan_to_value_pct', 0.5, '#10 (2-1)/2'],
  ['initial_margin_rate_pct', 0.5, '#11 q, Reg T 50 %'],
  ['initial_margin_required', 50_000, '#12 0.5 x 100000'],
  ['initial_margin_excess', 0, '#13 50000 - 50000'],
  ['max_leverage_initial_x', 2, '#15 1/0.5'],
  ['maintenance_rate_pct', 0.25, '#16 m, FINRA 25 %'],
  ['maintenance_requirement', 25_000, '#17 0.25 x 100000'],
  ['maintenance_excess', 25_000, '#18 50000 - 25000'],
  ['max_leverage_maintenance_x', 4, '#19 1/0.25'],
  ['sma', 0, '#21 max(0, 50000 - 50000) (B.6)'],
  ['buying_power_total', 100_000, '#22 50000/0.5'],
  ['buying_power_remaining', 0, '#23 max(0, 100000 - 100000) (B.6)'],
  ['margin_call_price', 300.1666666666667, '#24 450.25 x 0.5/0.75'],
  ['margin_call_drop_pct', 1 / 3, '#25 1 - 300.1667/450.25 = 33.33 % (B.6, A.5 table)'],
  ['margin_call_market_value', 66_666.66666666667, '#26 50000/0.75'],
  ['equity_at_margin_call', 16_666.666666666668, '#27 0.25 x 50000/0.75 = 16,666.67 (B.6)'],
  ['loss_at_margin_call', 33_333.33333333333, '#28 50000 - 16666.67 (B.6)'],
  ['loss_at_margin_call_pct_of_equity', 2 / 3, '#29 33333.33/50000 = 66.7 % (B.6)'],
  ['house_call_price_30', 321.60714285714283, '#30 50000/(222.0988 x 0.70) = 321.61 (B.6)'],
  ['margin_call_price_reg_t', 300.1666666666667, '#31 50000/(222.0988 x 0.75)'],
  ['margin_call_price_portfolio', 264.8529411764706, '#32 50000/(222.0988 x 0.85) = 264.85 (B.6)'],
  ['liquidation_price', 225.125, '#33 50000/222.0988 = 225.125 (B.6)'],
  ['liquidation_drop_pct', 0.5, '#34 1/L'],
  ['holding_period_days', 730, '#35 24 x 365/12'],
  ['daily_interest', 7.534246575342466, '#36 50000 x 0.055/365 (B.4)'],
  ['monthly_interest', 229.16666666666666, '#37 50000 x 0.055/12 = 229.17 (B.6)'],
  ['annual_interest', 2750, '#38 50000 x 0.055'],
  ['total_interest', 5500, '#39 50000 x 0.055 x 24/12'],
  [
    'total_interest_compound_monthly',
    5799.878374217305,
    '#40 50000((1+0.055/12)^24 - 1) = 5,799.88 (B.6)',
  ],
  [
    'total_interest_compound_daily',
    5813.441004043707,
    '#41 50000((1+0.055/365)^730 - 1) = 5,813.44 (B.6)',
  ],
  ['effective_annual_rate_pct', 0.056407860385536024, '#42 (1+0.055/12)^12 - 1 = 5.641 % (B.6)'],
  ['interest_pct_of_equity', 0.11, '#43 5500/50000'],
  ['annual_interest_pct_of_equity', 0.055, '#44 (2-1) x 0.055'],
  ['borrow_fee_total', 0, '#45 0 for a Long'],
  ['total_carry_cost', 5500, '#46 5500 + 0'],
  ['breakeven_price', 475.01375, '#47 450.25 x (1 + 5500/100000) = 475.01 (B.6)'],
  ['breakeven_move_pct', 0.055, '#48 5500/100000 (+5.5 %, B.6)'],
  ['annual_hurdle_return_pct', 0.0275, '#49 0.055 x (1 - 1/2) = 2.75 % (B.6)'],
  ['max_theoretical_loss', 105_500, '#50 100000 + 5500'],
  ['pnl_per_1pct_move', 1000, '#51 0.01 x 100000'],
  ['return_multiplier_x', 2, '#52 L'],
  ['leverage_cap_x', 3.9, 'A.6: reg_t form cap 3.9x'],
];

describe('seed example (B.6): every numeric field of B.2', () => {
  it.each(expected)('%s = %d (%s)', (field, value) => {
    expect(result[field]).toBeCloseTo(value, 6);
  });

  it('opens within Reg T and holds above maintenance, so no warnings (#14, #20, #54)', () => {
    // #14: 50000 >= 0.5 x 100000; #20: 1/2 > 0.25.
    expect(result.meets_initial_requirement).toBe(true);
    expect(result.is_feasible).toBe(true);
    expect(result.warnings).toEqual([]);
    expect(result.short_proceeds).toBeNull();
    expect(result.credit_balance).toBeNull();
    expect(result.margin_call_rise_pct).toBeNull();
  });

  it('displays cents rounded half away from zero (#55, B.7)', () => {
    expect(result.display).toMatchObject({
      house_call_price_30: 321.61,
      margin_call_price_portfolio: 264.85,
      monthly_interest: 229.17,
      total_interest_compound_monthly: 5799.88,
      total_interest_compound_daily: 5813.44,
      breakeven_price: 475.01,
      equity_at_margin_call: 16_666.67,
      loss_at_margin_call: 33_333.33,
      liquidation_price: 225.13, // 225.125 rounds half away from zero
      uninvested_cash: 44.5,
    });
  });
});

describe('seed example (B.6): scenario table (B.5)', () => {
  const at = (move: number) => {
    const row = result.scenarios.find((scenario) => Math.abs(scenario.move_pct - move) < 1e-12);
    if (row === undefined) throw new Error(`no scenario at ${move}`);
    return row;
  };

  it('has the 11 moves -50 % to +50 %', () => {
    expect(result.scenarios.map((row) => row.move_pct)).toEqual([
      -0.5, -0.4, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4, 0.5,
    ]);
  });

  it('at +10 % the equity return is +9 % against +10 % unleveraged (B.6)', () => {
    // 2 x 10 % - (2-1) x 0.055 x 24/12 = 20 % - 11 % = 9 %; equity 50000 + 10000 - 5500 = 54500.
    const row = at(0.1);
    expect(row.leveraged_return_pct).toBeCloseTo(0.09, 12);
    expect(row.unleveraged_return_pct).toBeCloseTo(0.1, 12);
    expect(row.equity).toBeCloseTo(54_500, 6);
    expect(row.price).toBeCloseTo(495.275, 9);
    expect(row.position_value).toBeCloseTo(110_000, 6);
    expect(row.margin_call).toBe(false);
    expect(row.maintenance_call_amount).toBe(0);
    expect(row.wiped_out).toBe(false);
  });

  it('at -40 %: call $5,000, cured by selling $20,000 (B.6)', () => {
    // 0.25 x 60000 - (50000 - 40000) = 5000; 5000/0.25 = 20000; 270.15 <= 300.17.
    const row = at(-0.4);
    expect(row.margin_call).toBe(true);
    expect(row.maintenance_call_amount).toBeCloseTo(5000, 6);
    expect(row.sale_to_cure_call).toBeCloseTo(20_000, 6);
    expect(row.equity).toBeCloseTo(4500, 6); // 50000 - 40000 - 5500
    expect(row.wiped_out).toBe(false);
  });

  it('at -50 %: equity -5,500, wiped out (B.6)', () => {
    // 50000 - 50000 - 5500; call 0.25 x 50000 - 0 = 12500; sale min(12500/0.25, 50000) = 50000.
    const row = at(-0.5);
    expect(row.equity).toBeCloseTo(-5500, 6);
    expect(row.wiped_out).toBe(true);
    expect(row.maintenance_call_amount).toBeCloseTo(12_500, 6);
    expect(row.sale_to_cure_call).toBeCloseTo(50_000, 6);
    expect(row.leveraged_return_pct).toBeCloseTo(-1.11, 12); // 2 x -0.5 - 0.11
  });

  it('at -30 % (315.175 > 300.17) there is no call', () => {
    const row = at(-0.3);
    expect(row.margin_call).toBe(false);
    expect(row.maintenance_call_amount).toBe(0); // 0.25 x 70000 - 30000 < 0
    expect(row.sale_to_cure_call).toBe(0);
  });
});
