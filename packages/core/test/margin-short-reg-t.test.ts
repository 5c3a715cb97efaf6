import { describe, expect, it } from 'vitest';
import { calculateMargin, marginInputsSchema, type MarginResult } from '../src/index.js';

// Scenario: a Reg T short (specs/margin.md B.3): short $100,000 of a $100 ETF at 2.0x, 5 % interest
// on the financed part, a 1 %/yr borrow fee, 12 months, day count 365.
// Hand derivation: n = 100000/100 = 1000 shares, E0 = 50000, D = 50000, C = I + I/L = 150000,
// k = C/n = 150. req(P) = max(0.30 x 100, 5) = 30 a share, so m_eff = 0.30. k >= 21.667, so the
// call price is P' = k/1.30 = 115.3846...; q = 0.50 (Reg T 150 % incl. proceeds).
const inputs = marginInputsSchema.parse({
  ticker: 'SPY',
  investment_amount: 100_000,
  leverage: 2,
  current_price: 100,
  account_type: 'reg_t',
  position_type: 'Short',
  interest_rate: 5,
  holding_period: 12,
  borrow_fee_rate: 1,
});
const result = calculateMargin(inputs);

type NumericField = {
  [K in keyof MarginResult]: MarginResult[K] extends number | null ? K : never;
}[keyof MarginResult];

const expected: [NumericField, number, string][] = [
  ['position_value', 100_000, 'short market value I'],
  ['cash_required', 50_000, 'I/L'],
  ['margin_loan', 50_000, 'I - I/L, the financed part (B.3)'],
  ['shares', 1000, 'floor(100000/100)'],
  ['shares_exact', 1000, 'I/P'],
  ['whole_share_cost', 100_000, '1000 x 100'],
  ['uninvested_cash', 0, '100000 - 100000'],
  ['leverage_x', 2, 'L'],
  ['equity_pct', 0.5, '1/L'],
  ['loan_to_value_pct', 0.5, '(L-1)/L'],
  ['initial_margin_rate_pct', 0.5, 'q = 0.50 (B.3)'],
  ['initial_margin_required', 50_000, '0.5 x 100000'],
  ['initial_margin_excess', 0, '50000 - 50000'],
  ['max_leverage_initial_x', 2, '1/0.5'],
  ['maintenance_rate_pct', 0.3, 'req(100)/100 = 30/100'],
  ['maintenance_requirement', 30_000, 'n x req(P) = 1000 x 30'],
  ['maintenance_excess', 20_000, '50000 - 30000'],
  ['max_leverage_maintenance_x', 1 / 0.3, '1/0.30 = 3.333'],
  ['sma', 0, 'max(0, 50000 - 50000)'],
  ['buying_power_total', 100_000, '50000/0.5'],
  ['buying_power_remaining', 0, 'max(0, 100000 - 100000)'],
  ['margin_call_price', 115.38461538461539, 'k/1.30 = 150/1.3'],
  ['margin_call_drop_pct', -0.15384615384615397, '1 - 115.3846/100, negative (B.3)'],
  ['margin_call_rise_pct', 0.15384615384615397, '115.3846/100 - 1'],
  ['margin_call_market_value', 115_384.61538461539, "n x P' = 1000 x 115.3846"],
  [
    'equity_at_margin_call',
    34_615.384615384624,
    "C - n P' = 150000 - 115384.62 (= 0.30 x 115384.62)",
  ],
  ['loss_at_margin_call', 15_384.615384615376, '50000 - 34615.38'],
  ['loss_at_margin_call_pct_of_equity', 0.3076923076923075, '15384.62/50000'],
  ['house_call_price_30', 115.38461538461539, 'k/(1 + 0.30) = 150/1.3'],
  ['margin_call_price_reg_t', 115.38461538461539, 'Reg T piece k >= 21.667: k/1.3'],
  ['margin_call_price_portfolio', 130.43478260869566, 'k/(1 + 0.15) = 150/1.15'],
  ['liquidation_price', 150, 'C/n = P(1 + 1/L) = 100 x 1.5 (B.3)'],
  ['liquidation_drop_pct', -0.5, '1 - 150/100'],
  ['holding_period_days', 365, '12 x 365/12'],
  ['daily_interest', 6.8493150684931505, '50000 x 0.05/365'],
  ['monthly_interest', 208.33333333333334, '50000 x 0.05/12'],
  ['annual_interest', 2500, '50000 x 0.05'],
  ['total_interest', 2500, '50000 x 0.05 x 12/12'],
  ['total_interest_compound_monthly', 2558.0948940866488, '50000((1 + 0.05/12)^12 - 1)'],
  ['total_interest_compound_daily', 2563.3748233723663, '50000((1 + 0.05/365)^365 - 1)'],
  ['effective_annual_rate_pct', 0.051161897881732976, '(1 + 0.05/12)^12 - 1'],
  ['interest_pct_of_equity', 0.05, '2500/50000'],
  ['annual_interest_pct_of_equity', 0.05, '(L-1) x r = 1 x 0.05'],
  ['borrow_fee_total', 1000, 'I x 0.01 x 12/12 (B.3)'],
  ['total_carry_cost', 3500, '2500 + 1000'],
  ['breakeven_price', 96.5, 'P - carry/n = 100 - 3500/1000 (B.3)'],
  ['breakeven_move_pct', -0.035, 'a fall of 3500/100000'],
  [
    'annual_hurdle_return_pct',
    0.035,
    '(50000 x 0.05 + 100000 x 0.01)/100000: the yearly fall that pays the carry',
  ],
  ['pnl_per_1pct_move', 1000, '0.01 x I'],
  ['return_multiplier_x', 2, 'L'],
  ['leverage_cap_x', 3.3, 'A.6 with m_eff = 0.30: (ceil(100000/3000) - 1)/10'],
];

describe('Reg T short: every numeric field', () => {
  it.each(expected)('%s = %d (%s)', (field, value) => {
    expect(result[field]).toBeCloseTo(value, 6);
  });

  it('holds the short-only figures and an unbounded maximum loss (B.3)', () => {
    expect(result.short_proceeds).toBe(100_000);
    expect(result.credit_balance).toBe(150_000);
    expect(result.max_theoretical_loss).toBe(Number.POSITIVE_INFINITY);
    expect(result.display.max_theoretical_loss).toBe(Number.POSITIVE_INFINITY);
    expect(result.display.margin_call_price).toBe(115.38);
    expect(result.meets_initial_requirement).toBe(true); // 50000 >= 0.5 x 100000
    expect(result.is_feasible).toBe(true); // 1/2 > 0.30
    expect(result.warnings).toEqual([]);
  });
});

describe('Reg T short: scenario table (B.5, short column)', () => {
  const at = (move: number) => {
    const row = result.scenarios.find((scenario) => Math.abs(scenario.move_pct - move) < 1e-12);
    if (row === undefined) throw new Error(`no scenario at ${move}`);
    return row;
  };

  it('+10 %: equity 50000 - 10000 - 3500 = 36500, no call (110 < 115.38)', () => {
    const row = at(0.1);
    expect(row.equity).toBeCloseTo(36_500, 6);
    expect(row.leveraged_return_pct).toBeCloseTo(-0.27, 12); // 36500/50000 - 1
    expect(row.unleveraged_return_pct).toBeCloseTo(-0.1, 12); // -x
    expect(row.margin_call).toBe(false);
    expect(row.maintenance_call_amount).toBe(0); // 0.30 x 110000 - 40000 < 0
  });

  it('+20 %: call 0.30 x 120000 - 30000 = 6000, bought back by 6000/0.30 = 20000', () => {
    const row = at(0.2);
    expect(row.margin_call).toBe(true); // 120 >= 115.38
    expect(row.maintenance_call_amount).toBeCloseTo(6000, 6);
    expect(row.sale_to_cure_call).toBeCloseTo(20_000, 6);
    expect(row.equity).toBeCloseTo(26_500, 6);
  });

  it('+50 %: the price reaches C/n = 150 and the carry wipes the equity out', () => {
    const row = at(0.5);
    expect(row.equity).toBeCloseTo(-3500, 6); // 50000 - 50000 - 3500
    expect(row.wiped_out).toBe(true);
    expect(row.maintenance_call_amount).toBeCloseTo(45_000, 6); // 0.30 x 150000 - 0
    expect(row.sale_to_cure_call).toBeCloseTo(150_000, 6); // min(45000/0.3, 150000)
  });

  it('-50 %: the short gains 50000 less the carry', () => {
    const row = at(-0.5);
    expect(row.equity).toBeCloseTo(96_500, 6); // 50000 + 50000 - 3500
    expect(row.leveraged_return_pct).toBeCloseTo(0.93, 12); // -2 x -0.5 - 3500/50000
    expect(row.margin_call).toBe(false);
  });
});
