import { describe, expect, it } from 'vitest';
import { calculateMargin, marginInputsSchema } from '../src/index.js';

// Scenario: a house maintenance rate replaces the account's (A.3, B.1 maintenance_override).
describe('house maintenance 30 % on the seed Long (I 100000, P 450.25, 2.0x, reg_t)', () => {
  const result = calculateMargin(
    marginInputsSchema.parse({
      ticker: 'SPY',
      investment_amount: 100_000,
      leverage: 2,
      current_price: 450.25,
      account_type: 'reg_t',
      position_type: 'Long',
      interest_rate: 5.5,
      holding_period: 24,
      maintenance_override: 0.3,
    }),
  );

  it('calls at 450.25 x 0.5/0.70 = 321.61, the house-30 % reference price (B.6)', () => {
    expect(result.margin_call_price).toBeCloseTo(321.6071428571429, 9);
    expect(result.margin_call_price).toBeCloseTo(result.house_call_price_30, 9);
    expect(result.display.margin_call_price).toBe(321.61);
  });

  it('a 28.6 % fall triggers the call (A.5 table, L 2.0, house 30 %)', () => {
    expect(result.margin_call_drop_pct).toBeCloseTo(0.2857142857142857, 9); // 1 - 0.5/0.7
  });

  it('maintenance figures use m = 0.30 while the initial rate stays Reg T 50 %', () => {
    expect(result.maintenance_rate_pct).toBe(0.3);
    expect(result.maintenance_requirement).toBeCloseTo(30_000, 9); // 0.3 x 100000
    expect(result.maintenance_excess).toBeCloseTo(20_000, 9); // 50000 - 30000
    expect(result.max_leverage_maintenance_x).toBeCloseTo(3.3333333333, 9); // 1/0.3
    expect(result.equity_at_margin_call).toBeCloseTo(21_428.57142857143, 6); // 0.3 x 50000/0.7
    expect(result.loss_at_margin_call).toBeCloseTo(28_571.42857142857, 6); // 50000 - 21428.57
    expect(result.margin_call_market_value).toBeCloseTo(71_428.57142857143, 6); // 50000/0.7
    expect(result.initial_margin_rate_pct).toBe(0.5);
  });

  it('caps leverage at 3.3x (A.6 example: house 30 %)', () => {
    expect(result.leverage_cap_x).toBe(3.3);
  });
});

describe('house maintenance 40 % on a Reg T Short (I 100000, P 100, 2.0x)', () => {
  const result = calculateMargin(
    marginInputsSchema.parse({
      ticker: 'SPY',
      investment_amount: 100_000,
      leverage: 2,
      current_price: 100,
      account_type: 'reg_t',
      position_type: 'Short',
      interest_rate: 5,
      holding_period: 12,
      maintenance_override: 0.4,
    }),
  );

  it("calls at P' = C/(n(1 + m)) = 150000/(1000 x 1.4) = 107.14 (B.3)", () => {
    expect(result.margin_call_price).toBeCloseTo(107.14285714285715, 9);
    expect(result.maintenance_rate_pct).toBe(0.4);
    expect(result.maintenance_requirement).toBeCloseTo(40_000, 9); // 1000 x 0.4 x 100
  });

  it('caps leverage below 1/0.4 = 2.5, at 2.4x', () => {
    expect(result.leverage_cap_x).toBe(2.4);
  });
});
