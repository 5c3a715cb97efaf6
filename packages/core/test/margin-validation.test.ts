import { describe, expect, it } from 'vitest';
import { marginRequestSchema, validateMarginInputs } from '../src/index.js';

// Scenario: the B.1 ranges and the A.6 leverage cap, each refused with an issue naming its field.
const valid = {
  ticker: 'SPY',
  investment_amount: 100_000,
  leverage: 2,
  current_price: 450.25,
  account_type: 'reg_t',
  position_type: 'Long',
  interest_rate: 5.5,
  holding_period: 24,
};

function pathsOf(raw: unknown): string[] {
  const validation = validateMarginInputs(raw);
  return validation.ok ? [] : validation.issues.map((issue) => issue.path);
}

describe('validateMarginInputs', () => {
  it('accepts the seed example and fills the defaults (B.1)', () => {
    const validation = validateMarginInputs(valid);
    expect(validation.ok).toBe(true);
    if (validation.ok) {
      expect(validation.inputs).toMatchObject({
        pm_stress: 0.15,
        maintenance_override: null,
        day_count_basis: 365,
        borrow_fee_rate: 0,
      });
    }
  });

  const outOfRange: [string, unknown, string][] = [
    ['investment_amount', 0, 'must be > 0'],
    ['investment_amount', -5, 'must be > 0'],
    ['investment_amount', 2e12, 'bounded'],
    ['leverage', 0.9, 'API 1.0-7.0'],
    ['leverage', 7.1, 'API 1.0-7.0'],
    ['current_price', 0, 'P > 0'],
    ['current_price', -450.25, 'P > 0'],
    ['interest_rate', 0.99, '1-10 %'],
    ['interest_rate', 10.01, '1-10 %'],
    ['holding_period', 0, '1-60 months'],
    ['holding_period', 61, '1-60 months'],
    ['holding_period', 12.5, 'integer months'],
    ['account_type', 'cash', 'reg_t | portfolio'],
    ['position_type', 'long', 'Long | Short, as the legacy values'],
    ['pm_stress', 0.1, '0.15 or 0.08'],
    ['maintenance_override', 0.2, '0.25-1.0'],
    ['maintenance_override', 1.01, '0.25-1.0'],
    ['day_count_basis', 366, '360 or 365'],
    ['borrow_fee_rate', -1, '>= 0'],
    ['ticker', '', 'a symbol'],
    ['ticker', 'SPY; DROP', 'a symbol'],
    ['investment_amount', '100000', 'a number, not text'],
  ];
  it.each(outOfRange)('refuses %s = %j (%s)', (field, value) => {
    expect(pathsOf({ ...valid, [field]: value })).toEqual([field]);
  });

  it('names every missing field', () => {
    expect(pathsOf({}).sort()).toEqual(
      [
        'account_type',
        'current_price',
        'holding_period',
        'interest_rate',
        'investment_amount',
        'leverage',
        'position_type',
        'ticker',
      ].sort(),
    );
  });

  const capCases: [Record<string, unknown>, boolean, string][] = [
    [{ leverage: 3.9 }, true, 'reg_t cap 3.9x'],
    [{ leverage: 4.0 }, false, 'reg_t: 1/4 = 0.25 is not above m'],
    [{ leverage: 3.4, maintenance_override: 0.3 }, false, 'house 30 % cap 3.3x'],
    [{ leverage: 6.6, account_type: 'portfolio' }, true, 'portfolio 15 % cap 6.6x'],
    [{ leverage: 6.7, account_type: 'portfolio' }, false, 'portfolio 15 %: 1/6.7 < 0.15'],
    [{ leverage: 7.0, account_type: 'portfolio', pm_stress: 0.08 }, true, 'portfolio 8 % cap 7.0x'],
    [{ leverage: 3.3, position_type: 'Short', current_price: 100 }, true, 'short m_eff 0.30: 3.3x'],
    [{ leverage: 3.4, position_type: 'Short', current_price: 100 }, false, 'short m_eff 0.30'],
    [
      { leverage: 2.5, position_type: 'Long', account_type: 'reg_t' },
      true,
      'above Reg T 2x is allowed with a warning (A.6)',
    ],
  ];
  it.each(capCases)('leverage cap: %j is %s (%s)', (change, ok) => {
    const paths = pathsOf({ ...valid, ...change });
    expect(paths).toEqual(ok ? [] : ['leverage']);
  });

  it('explains the cap in the issue message (A.6)', () => {
    const validation = validateMarginInputs({ ...valid, account_type: 'portfolio', leverage: 6.7 });
    expect(validation.ok).toBe(false);
    if (!validation.ok) {
      expect(validation.issues[0]?.message).toBe(
        'leverage must be at most 6.6x: a maintenance requirement of 15 % needs equity above 15 % of the position, so leverage must stay below 6.67x',
      );
    }
  });

  it('lets the request leave the price out (the server then uses the latest quote)', () => {
    const withoutPrice = { ...valid, current_price: undefined };
    expect(marginRequestSchema.safeParse(withoutPrice).success).toBe(true);
    expect(pathsOf(withoutPrice)).toEqual(['current_price']);
  });
});
