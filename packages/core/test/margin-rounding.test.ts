import { describe, expect, it } from 'vitest';
import {
  calculateMargin,
  marginInputsSchema,
  marginResultSchema,
  marginResultToJson,
  round2,
  wireToNumber,
} from '../src/index.js';

// Scenario: B.7 output rules: cents half away from zero with a 1e-9 guard, and the JSON form.
describe('round2 (B.7)', () => {
  it.each([
    [2.675, 2.68, 'B.7: 2.675 is 2.67499999... in binary; the guard makes it 2.68'],
    [-2.675, -2.68, 'away from zero on the negative side'],
    [1.005, 1.01, '1.00499999... in binary'],
    [7.534246575342466, 7.53, 'the seed daily interest'],
    [300.1666666666667, 300.17, 'the seed call price'],
    [225.125, 225.13, 'half away from zero'],
    [0.004, 0, 'below half a cent'],
    [-0.004, 0, 'no negative zero'],
    [50_000, 50_000, 'whole'],
  ])('round2(%d) = %d (%s)', (value, rounded) => {
    expect(Object.is(round2(value), rounded)).toBe(true);
  });

  it('leaves infinity alone', () => {
    expect(round2(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('result JSON (B.3, B.7)', () => {
  const short = calculateMargin(
    marginInputsSchema.parse({
      ticker: 'SPY',
      investment_amount: 100_000,
      leverage: 2,
      current_price: 100,
      account_type: 'reg_t',
      position_type: 'Short',
      interest_rate: 5,
      holding_period: 12,
    }),
  );

  it('encodes a short\'s unbounded maximum loss as the string "Infinity"', () => {
    const json = marginResultToJson(short);
    expect(json.max_theoretical_loss).toBe('Infinity');
    expect(json.display.max_theoretical_loss).toBe('Infinity');
    const roundTrip: unknown = JSON.parse(JSON.stringify(json));
    expect(marginResultSchema.parse(roundTrip)).toEqual(json);
    expect(wireToNumber(json.max_theoretical_loss)).toBe(Number.POSITIVE_INFINITY);
  });

  it('keeps every field unrounded beside the cent-rounded display', () => {
    const json = marginResultToJson(short);
    expect(json.margin_call_price).toBe(150 / 1.3);
    expect(json.display.margin_call_price).toBe(115.38);
  });
});
