import { calculateMargin, marginInputsSchema, marginResultToJson } from '@hub/core';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FORM,
  equityChartData,
  formatValue,
  formFromSearch,
  leverageLimit,
  requestFromForm,
  RESULT_GROUPS,
  searchFromForm,
} from '../src/features/margin/helpers';

// Scenario: the calculator page's pure parts: a shared link round-trips the inputs, the leverage
// control explains its cap (specs/margin.md A.6), values show with their units, and every result
// field has a definition.
describe('shareable query string', () => {
  it('round-trips every input the form holds', () => {
    const form = {
      ...DEFAULT_FORM,
      current_price: 450.25,
      account_type: 'portfolio' as const,
      position_type: 'Short' as const,
      pm_stress: 0.08 as const,
      leverage: 3.5,
      maintenance_override: 0.3,
      day_count_basis: 360 as const,
      borrow_fee_rate: 0.5,
    };
    const search = searchFromForm(form);
    expect(formFromSearch(new URLSearchParams(search.toString()))).toEqual(form);
  });

  it('keeps defaults for missing or unreadable values', () => {
    const form = formFromSearch(new URLSearchParams('ticker=vti&leverage=abc&account_type=cash'));
    expect(form).toEqual({ ...DEFAULT_FORM, ticker: 'VTI', leverage: '' });
  });

  it('sends only what applies: no stress for Reg T, no borrow fee for a Long, no empty price', () => {
    expect(requestFromForm(DEFAULT_FORM)).toEqual({
      ticker: 'SPY',
      investment_amount: 100_000,
      leverage: 2,
      account_type: 'reg_t',
      position_type: 'Long',
      interest_rate: 5.5,
      holding_period: 24,
      day_count_basis: 365,
    });
  });
});

describe('leverage cap explanation (A.6 examples)', () => {
  it.each([
    [
      {},
      3.9,
      'Reg T with the FINRA 25 % maintenance minimum needs equity above 25 % of the position, so leverage must stay below 1/0.25 = 4.0x.',
    ],
    [
      { maintenance_override: 0.3 },
      3.3,
      'A house maintenance rate of 30 % needs equity above 30 % of the position, so leverage must stay below 1/0.3 = 3.33x.',
    ],
    [
      { account_type: 'portfolio' },
      6.6,
      'Portfolio margin with a 15 % stress needs equity above 15 % of the position, so leverage must stay below 1/0.15 = 6.67x.',
    ],
    [
      { account_type: 'portfolio', pm_stress: 0.08 },
      7,
      'Portfolio margin with a 8 % stress would allow up to 12.5x; the calculator stops at 7.0x.',
    ],
  ] as const)('%j: %d', (change, max, explanation) => {
    const limit = leverageLimit({ ...DEFAULT_FORM, ...change }, 450.25);
    expect(limit.max).toBe(max);
    expect(limit.explanation).toBe(explanation);
  });

  it('a Reg T short below $5 stays at 1.0x with the reason', () => {
    const limit = leverageLimit({ ...DEFAULT_FORM, position_type: 'Short' }, 4);
    expect(limit.max).toBe(1);
    expect(limit.explanation).toMatch(/even 1\.0x starts in a margin call/);
  });
});

describe('values with units', () => {
  it.each([
    [300.17, 'usd_per_share', '$300.17 per share'],
    [7.53, 'usd_per_day', '$7.53 per day'],
    [1 / 3, 'pct', '33.33 %'],
    [2, 'x', '2.0x'],
    [222, 'shares', '222 shares'],
    ['Infinity', 'usd', 'unlimited'],
    [true, 'bool', 'Yes'],
    [null, 'usd', '—'],
  ] as const)('%j as %s is %s', (value, unit, text) => {
    expect(formatValue(value, unit)).toBe(text);
  });
});

describe('result fields', () => {
  it('each has a label and a definition, and every numeric result field is shown once', () => {
    const keys = RESULT_GROUPS.flatMap((group) => group.fields.map((field) => field.key));
    expect(new Set(keys).size).toBe(keys.length);
    for (const group of RESULT_GROUPS) {
      for (const field of group.fields) expect(field.definition.length).toBeGreaterThan(10);
    }
    // 52 numbered fields of B.2 (less scenarios, warnings, display) plus the 3 short-only ones.
    expect(keys).toHaveLength(55);
  });

  it('charts a Long’s equity n P − D against the fixed loan, with the call price marked', () => {
    const result = marginResultToJson(
      calculateMargin(
        marginInputsSchema.parse({
          ticker: 'SPY',
          investment_amount: 100_000,
          leverage: 2,
          current_price: 450.25,
          account_type: 'reg_t',
          position_type: 'Long',
          interest_rate: 5.5,
          holding_period: 24,
        }),
      ),
    );
    const data = equityChartData(result);
    expect(data.prices).toHaveLength(41);
    // At entry (step 20: 100 %) equity is 50000 and the loan 50000.
    expect(data.prices[20]).toBeCloseTo(450.25, 9);
    expect(data.equity[20]).toBeCloseTo(50_000, 6);
    expect(data.loan[20]).toBe(50_000);
    expect(data.callPrice).toBeCloseTo(300.1666666667, 9);
  });
});
