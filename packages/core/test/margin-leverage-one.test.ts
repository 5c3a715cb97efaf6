import { describe, expect, it } from 'vitest';
import { calculateMargin, marginInputsSchema } from '../src/index.js';

// Scenario: a cash-like Long at 1.0x (no loan): $10,000 of a $50 ETF, reg_t, 5 %, 12 months.
// B.2 with L = 1: D = I - I/1 = 0, so every interest figure is 0 and the call price
// P(1 - 1/L)/(1 - m) = 0: a price the position never reaches, i.e. no margin call.
const result = calculateMargin(
  marginInputsSchema.parse({
    ticker: 'IWM',
    investment_amount: 10_000,
    leverage: 1,
    current_price: 50,
    account_type: 'reg_t',
    position_type: 'Long',
    interest_rate: 5,
    holding_period: 12,
  }),
);

describe('leverage 1.0x', () => {
  it('needs no loan: cash required is the whole position', () => {
    expect(result.margin_loan).toBe(0); // 10000 - 10000
    expect(result.cash_required).toBe(10_000);
    expect(result.loan_to_value_pct).toBe(0); // (1-1)/1
    expect(result.equity_pct).toBe(1);
  });

  it('has no margin call: call and wipe-out prices are 0, no scenario calls', () => {
    expect(result.margin_call_price).toBe(0);
    expect(result.margin_call_drop_pct).toBe(1); // 1 - 0/50
    expect(result.liquidation_price).toBe(0); // D/n
    expect(result.liquidation_drop_pct).toBe(1); // 1/L
    expect(result.equity_at_margin_call).toBe(0);
    expect(result.scenarios.every((row) => !row.margin_call)).toBe(true);
    expect(result.scenarios.every((row) => row.maintenance_call_amount === 0)).toBe(true);
  });

  it('pays no interest', () => {
    for (const field of [
      'daily_interest',
      'monthly_interest',
      'annual_interest',
      'total_interest',
      'total_interest_compound_monthly',
      'total_interest_compound_daily',
      'interest_pct_of_equity',
      'annual_interest_pct_of_equity',
      'annual_hurdle_return_pct',
      'total_carry_cost',
      'breakeven_move_pct',
    ] as const) {
      expect(result[field]).toBe(0);
    }
    expect(result.breakeven_price).toBe(50);
    expect(result.max_theoretical_loss).toBe(10_000); // I + 0
  });

  it('returns exactly the asset move in every scenario (L x - (L-1) r H/12 = x)', () => {
    for (const row of result.scenarios) {
      expect(row.leveraged_return_pct).toBeCloseTo(row.move_pct, 12);
    }
  });

  it('has SMA and buying power left: 10000 - 0.5 x 10000 = 5000; 10000/0.5 = 20000', () => {
    expect(result.sma).toBe(5000);
    expect(result.buying_power_total).toBe(20_000);
    expect(result.buying_power_remaining).toBe(10_000);
    expect(result.warnings).toEqual([]);
  });
});
