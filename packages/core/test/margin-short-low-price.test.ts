import { describe, expect, it } from 'vitest';
import {
  calculateMargin,
  marginInputsSchema,
  regTShortCallPrice,
  regTShortRequirementPerShare,
  validateMarginInputs,
} from '../src/index.js';

// Scenario: Reg T shorts of cheap shares, where FINRA 4210(c)(2)'s per-share minimums bind
// (A.2, B.3): $5.00 a share (or 30 %) at P >= $5, $2.50 a share (or 100 %) below.
describe('req(P), the Reg T short requirement per share (B.3)', () => {
  it.each([
    [100, 30, 'max(0.30 x 100, 5)'],
    [50, 15, 'max(15, 5): A.2 example, short 1000 @ $50 needs $15,000'],
    [10, 5, 'max(3, 5)'],
    [5, 5, 'max(1.5, 5): A.2 example, short 10000 @ $5 needs $50,000'],
    [4, 4, 'max(4, 2.50), below $5'],
    [2, 2.5, 'max(2, 2.50)'],
  ])('req(%d) = %d (%s)', (price, requirement) => {
    expect(regTShortRequirementPerShare(price)).toBeCloseTo(requirement, 12);
  });
});

describe("the call price P' solving C - nP' = n req(P') from k = C/n (B.3)", () => {
  it.each([
    [26, 20, 'k >= 21.667: 26/1.3'],
    [15, 10, '10 <= k < 21.667: 15 - 5'],
    [6, 3, '5 <= k < 10: 6/2'],
    [4, 1.5, 'k < 5: 4 - 2.50'],
  ])('k = %d gives %d (%s)', (k, price) => {
    expect(regTShortCallPrice(k)).toBeCloseTo(price, 12);
    // The equation itself: equity per share k - P' equals req(P').
    expect(k - price).toBeCloseTo(regTShortRequirementPerShare(price), 12);
  });
});

describe('a short of 1000 shares at $8, 1.5x: the $5 piece', () => {
  // I = 8000, E0 = 5333.33, C = 13333.33, k = 13.333; req(8) = max(2.4, 5) = 5, m_eff = 5/8 = 0.625.
  const result = calculateMargin(
    marginInputsSchema.parse({
      ticker: 'XYZ',
      investment_amount: 8000,
      leverage: 1.5,
      current_price: 8,
      account_type: 'reg_t',
      position_type: 'Short',
      interest_rate: 5,
      holding_period: 12,
    }),
  );

  it("calls at P' = k - 5 = 8.3333", () => {
    expect(result.margin_call_price).toBeCloseTo(8.333333333333334, 9);
    expect(result.equity_at_margin_call).toBeCloseTo(5000, 6); // 13333.33 - 8333.33 = 1000 x $5
  });

  it('uses m_eff = 0.625 and caps leverage below 1/0.625 = 1.6, at 1.5x', () => {
    expect(result.maintenance_rate_pct).toBeCloseTo(0.625, 12);
    expect(result.maintenance_requirement).toBeCloseTo(5000, 9); // 1000 x $5
    expect(result.leverage_cap_x).toBe(1.5);
    expect(result.is_feasible).toBe(true); // 1/1.5 = 0.667 > 0.625
  });
});

describe('a short below $5 under Reg T (A.6: no leverage >= 1.0 is feasible)', () => {
  const raw = {
    ticker: 'XYZ',
    investment_amount: 4000,
    leverage: 1,
    current_price: 4,
    account_type: 'reg_t',
    position_type: 'Short',
    interest_rate: 5,
    holding_period: 12,
  } as const;

  it('keeps 1.0x allowed, with the feasibility warning', () => {
    const validation = validateMarginInputs(raw);
    expect(validation.ok).toBe(true);
    const result = calculateMargin(marginInputsSchema.parse(raw));
    // req(4) = max(4, 2.5) = 4: m_eff = 1.0 and 1/1 > 1 is false.
    expect(result.maintenance_rate_pct).toBe(1);
    expect(result.is_feasible).toBe(false);
    expect(result.leverage_cap_x).toBe(1);
    expect(result.warnings.map((warning) => warning.code)).toEqual(['starts_in_margin_call']);
  });

  it('refuses 1.1x, naming leverage', () => {
    const validation = validateMarginInputs({ ...raw, leverage: 1.1 });
    expect(validation.ok).toBe(false);
    if (!validation.ok) expect(validation.issues.map((issue) => issue.path)).toEqual(['leverage']);
  });
});
