import { describe, expect, it } from 'vitest';
import {
  calculateMargin,
  leverageCapTenths,
  marginInputsSchema,
  type MarginInputsInput,
} from '../src/index.js';

// Scenario: the form's leverage cap (A.6) and the fall that triggers the first call (A.5).
describe('L_max = min(7.0, largest multiple of 0.1 strictly below 1/m) (A.6)', () => {
  it.each([
    [0.25, 39, 'reg_t 3.9x: 1/0.25 = 4.0 exactly, so 4.0 is not feasible'],
    [0.3, 33, 'house 30 % 3.3x'],
    [0.15, 66, 'portfolio 15 % 6.6x'],
    [0.08, 70, 'portfolio 8 %: 12.4x capped at 7.0x'],
    [0.2, 49, '1/0.2 = 5.0 exactly: 4.9x'],
    [0.5, 19, '1/0.5 = 2.0 exactly: 1.9x'],
    [1, 9, 'a 100 % requirement: nothing >= 1.0 is feasible'],
  ])('m = %d gives %d tenths (%s)', (rate, tenths) => {
    expect(leverageCapTenths(rate)).toBe(tenths);
  });
});

describe('price fall from entry that triggers the first call, 1 - (1 - 1/L)/(1 - m) (A.5 table)', () => {
  const base: MarginInputsInput = {
    ticker: 'SPY',
    investment_amount: 100_000,
    leverage: 1,
    current_price: 400,
    account_type: 'reg_t',
    position_type: 'Long',
    interest_rate: 5,
    holding_period: 12,
  };
  it.each([
    [1.25, 'reg_t', null, 0.15, 0.733],
    [1.5, 'reg_t', 0.3, 0.15, 0.524],
    [2.0, 'portfolio', null, 0.15, 0.412],
    [2.5, 'portfolio', null, 0.08, 0.348],
    [3.0, 'reg_t', null, 0.15, 0.111],
    [3.0, 'reg_t', 0.3, 0.15, 0.048],
    [5.0, 'portfolio', null, 0.15, 0.059],
    [6.0, 'portfolio', null, 0.15, 0.02],
    [7.0, 'portfolio', null, 0.08, 0.068],
  ] as const)(
    'L %d, %s, override %s, stress %d: %d',
    (leverage, account, override, stress, drop) => {
      const result = calculateMargin(
        marginInputsSchema.parse({
          ...base,
          leverage,
          account_type: account,
          maintenance_override: override,
          pm_stress: stress,
        }),
      );
      // The table gives one decimal of a percent.
      expect(Math.abs(result.margin_call_drop_pct - drop)).toBeLessThan(0.0005);
    },
  );
});
