import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calculateMargin,
  leverageCapTenths,
  MARGIN_DISPLAY_FIELDS,
  marginResultSchema,
  marginResultToJson,
  validateMarginInputs,
  type MarginInputs,
} from '../src/index.js';

// Scenario: the invariants the spec states or implies (A.5, A.6, B.2-B.5, B.7), over random
// valid inputs. The requirement per share is restated here from B.3, not taken from the engine.
function requirementPerShare(inputs: MarginInputs, price: number): number {
  if (inputs.maintenance_override !== null) return inputs.maintenance_override * price;
  if (inputs.account_type === 'portfolio') return inputs.pm_stress * price;
  if (inputs.position_type === 'Long') return 0.25 * price;
  return price >= 5 ? Math.max(0.3 * price, 5) : Math.max(price, 2.5);
}

const rawInputs = fc.record({
  ticker: fc.constantFrom('SPY', 'VTI', 'QQQ'),
  investment_amount: fc.double({ min: 100, max: 1e9, noNaN: true }),
  leverageTenths: fc.integer({ min: 10, max: 70 }),
  current_price: fc.double({ min: 0.5, max: 5000, noNaN: true }),
  account_type: fc.constantFrom('reg_t', 'portfolio'),
  position_type: fc.constantFrom('Long', 'Short'),
  interest_rate: fc.double({ min: 1, max: 10, noNaN: true }),
  holding_period: fc.integer({ min: 1, max: 60 }),
  pm_stress: fc.constantFrom(0.15, 0.08),
  maintenance_override: fc.option(fc.double({ min: 0.25, max: 0.9, noNaN: true }), { nil: null }),
  day_count_basis: fc.constantFrom(365, 360),
  borrow_fee_rate: fc.double({ min: 0, max: 20, noNaN: true }),
});

/** Valid inputs only: the B.1 ranges and the A.6 cap. */
const validInputs = rawInputs
  .map(({ leverageTenths, ...rest }) =>
    validateMarginInputs({ ...rest, leverage: leverageTenths / 10 }),
  )
  .filter((validation) => validation.ok)
  .map((validation) => validation.inputs);

const relativelyClose = (actual: number, expected: number, tolerance = 1e-9) =>
  Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));

describe('margin invariants (fast-check)', () => {
  it('equity at the margin-call price equals the maintenance requirement there (B.2 #24, B.3)', () => {
    fc.assert(
      fc.property(validInputs, (inputs) => {
        const result = calculateMargin(inputs);
        const n = inputs.investment_amount / inputs.current_price;
        const callPrice = result.margin_call_price;
        if (inputs.position_type === 'Long') {
          if (result.margin_loan === 0) return;
          // Long equity n P' - D against m x n P'.
          const equity = n * callPrice - result.margin_loan;
          expect(relativelyClose(equity, requirementPerShare(inputs, callPrice) * n)).toBe(true);
          expect(relativelyClose(result.equity_at_margin_call, equity)).toBe(true);
        } else {
          const credit = inputs.investment_amount * (1 + 1 / inputs.leverage);
          const equity = credit - n * callPrice;
          expect(relativelyClose(equity, requirementPerShare(inputs, callPrice) * n)).toBe(true);
          expect(relativelyClose(result.equity_at_margin_call, equity)).toBe(true);
        }
      }),
    );
  });

  it('leverage 1.0 needs no loan; a Long at 1.0 has no margin call and pays no interest', () => {
    fc.assert(
      fc.property(validInputs, (drawn) => {
        const inputs = { ...drawn, leverage: 1 };
        const result = calculateMargin(inputs);
        expect(result.margin_loan).toBe(0);
        expect(result.total_interest).toBe(0);
        expect(result.cash_required).toBe(inputs.investment_amount);
        if (inputs.position_type === 'Long') {
          expect(result.margin_call_price).toBe(0);
          expect(result.scenarios.some((row) => row.margin_call)).toBe(false);
        }
      }),
    );
  });

  it('cash plus loan is the position; a feasible position calls before it is wiped out', () => {
    fc.assert(
      fc.property(validInputs, (inputs) => {
        const result = calculateMargin(inputs);
        const P = inputs.current_price;
        expect(
          relativelyClose(result.cash_required + result.margin_loan, inputs.investment_amount),
        ).toBe(true);
        if (!result.is_feasible) return;
        if (inputs.position_type === 'Long' && inputs.leverage > 1) {
          expect(result.liquidation_price).toBeLessThan(result.margin_call_price);
          expect(result.margin_call_price).toBeLessThan(P);
        }
        if (inputs.position_type === 'Short') {
          expect(P).toBeLessThan(result.margin_call_price);
          expect(result.margin_call_price).toBeLessThan(result.liquidation_price);
        }
      }),
    );
  });

  it('valid leverage is feasible unless nothing >= 1.0 is (A.6)', () => {
    fc.assert(
      fc.property(validInputs, (inputs) => {
        const result = calculateMargin(inputs);
        if (result.leverage_cap_x > 1 || result.maintenance_rate_pct < 1) {
          expect(result.is_feasible).toBe(true);
        }
        expect(result.is_feasible).toBe(1 / inputs.leverage > result.maintenance_rate_pct);
      }),
    );
  });

  it('the cap is the largest multiple of 0.1 strictly below 1/m, at most 7.0 (A.6)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 800, max: 10_000 }), (basisPoints) => {
        const rate = basisPoints / 10_000;
        const tenths = leverageCapTenths(rate);
        // In integers: tenths x m_bp < 100000 and (tenths + 1) x m_bp >= 100000, or the 7.0 cap.
        expect(tenths * basisPoints).toBeLessThan(100_000);
        if (tenths < 70) expect((tenths + 1) * basisPoints).toBeGreaterThanOrEqual(100_000);
      }),
    );
  });

  it('scenario returns are L x - (L-1) r H/12 for a Long and -L x - (L-1) r H/12 plus fee for a Short (B.5)', () => {
    fc.assert(
      fc.property(validInputs, (inputs) => {
        const result = calculateMargin(inputs);
        const L = inputs.leverage;
        const r = inputs.interest_rate / 100;
        const carryShare =
          (L - 1) * r * (inputs.holding_period / 12) +
          (inputs.position_type === 'Short'
            ? L * (inputs.borrow_fee_rate / 100) * (inputs.holding_period / 12)
            : 0);
        const sign = inputs.position_type === 'Long' ? 1 : -1;
        for (const row of result.scenarios) {
          expect(row.leveraged_return_pct).toBeCloseTo(sign * L * row.move_pct - carryShare, 9);
          if (!row.margin_call) {
            expect(row.maintenance_call_amount).toBeLessThanOrEqual(
              1e-6 * inputs.investment_amount,
            );
          }
          if (row.maintenance_call_amount > 1e-6 * inputs.investment_amount) {
            expect(row.margin_call).toBe(true);
          }
          expect(row.wiped_out).toBe(row.equity <= 0);
        }
      }),
    );
  });

  it('simple interest <= monthly compounding <= daily compounding (B.4)', () => {
    fc.assert(
      fc.property(validInputs, (inputs) => {
        const result = calculateMargin(inputs);
        const slack = 1e-9 * Math.max(1, result.total_interest);
        expect(result.total_interest).toBeLessThanOrEqual(
          result.total_interest_compound_monthly + slack,
        );
        expect(result.total_interest_compound_monthly).toBeLessThanOrEqual(
          result.total_interest_compound_daily + slack,
        );
      }),
    );
  });

  it('display values are the cents of the fields; JSON fits the contract (B.7)', () => {
    fc.assert(
      fc.property(validInputs, (inputs) => {
        const result = calculateMargin(inputs);
        for (const field of MARGIN_DISPLAY_FIELDS) {
          const value = result[field];
          const shown = result.display[field];
          if (!Number.isFinite(value)) {
            expect(shown).toBe(value);
          } else {
            // Half a cent, plus float64's own spacing at large amounts.
            const ulpSlack = 1e-12 * Math.abs(value) * 100;
            expect(Math.abs(shown - value)).toBeLessThanOrEqual(0.005 + 1e-6 + ulpSlack);
            expect(Math.abs(Math.round(shown * 100) - shown * 100)).toBeLessThan(1e-6 + ulpSlack);
          }
        }
        const json: unknown = JSON.parse(JSON.stringify(marginResultToJson(result)));
        expect(marginResultSchema.safeParse(json).success).toBe(true);
      }),
    );
  });
});
