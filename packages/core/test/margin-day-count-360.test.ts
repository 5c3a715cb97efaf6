import { describe, expect, it } from 'vitest';
import { calculateMargin, marginInputsSchema } from '../src/index.js';

// Scenario: the seed example (B.6) on the broker convention, B = 360 (B.4). Only the two
// day-count figures change; the calendar-neutral ones (1/12 of a year) do not.
const seed = {
  ticker: 'SPY',
  investment_amount: 100_000,
  leverage: 2,
  current_price: 450.25,
  account_type: 'reg_t',
  position_type: 'Long',
  interest_rate: 5.5,
  holding_period: 24,
} as const;
const on365 = calculateMargin(marginInputsSchema.parse(seed));
const on360 = calculateMargin(marginInputsSchema.parse({ ...seed, day_count_basis: 360 }));

describe('day-count basis 360', () => {
  it('daily interest is 50000 x 0.055/360 = 7.6389, displayed 7.64 (B.4: "with 360 it would be 7.64")', () => {
    expect(on360.daily_interest).toBeCloseTo(7.638888888888889, 9);
    expect(on360.display.daily_interest).toBe(7.64);
  });

  it('daily compounding uses r/360 over the 730 calendar days: 50000((1 + 0.055/360)^730 - 1) = 5898.76', () => {
    expect(on360.total_interest_compound_daily).toBeCloseTo(5898.763753273195, 6);
    expect(on360.display.total_interest_compound_daily).toBe(5898.76);
  });

  it('leaves the calendar-neutral figures as on 365', () => {
    // monthly D r/12, annual D r, total D r H/12, monthly compounding, EAR, days H x 365/12.
    for (const field of [
      'monthly_interest',
      'annual_interest',
      'total_interest',
      'total_interest_compound_monthly',
      'effective_annual_rate_pct',
      'holding_period_days',
      'margin_call_price',
      'breakeven_price',
    ] as const) {
      expect(on360[field]).toBe(on365[field]);
    }
    expect(on360.holding_period_days).toBe(730);
    expect(on360.total_interest).toBe(5500);
  });
});
