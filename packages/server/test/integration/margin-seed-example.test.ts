import { marginCalculationSchema, type MarginCalculation } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { cookieFor } from '../helpers/market.js';

const SEED = {
  ticker: 'SPY',
  investment_amount: 100_000,
  leverage: 2.0,
  account_type: 'reg_t',
  position_type: 'Long',
  interest_rate: 5.5,
  holding_period: 24,
} as const;

// Scenario (issue 5, acceptance 1): a viewer runs the seed example of specs/margin.md B.6 (SPY
// 450.25, $100,000, 2.0x, reg_t, Long, 5.5 %, 24 months) once with a typed price and once with
// the latest stored SPY close, 450.25 on 2026-11-30. The seed's five figures: cash_required
// 50000, margin_loan 50000, shares 222, margin_call_price 300.17, daily_interest 7.53.
describe('the seed example through the API', () => {
  let hub: TestHub;
  let cookie = '';

  beforeAll(async () => {
    hub = await createTestHub();
    cookie = await cookieFor(hub, 'viewer');
    await hub.app.hub.market.importFiles(
      [
        {
          name: 'SPY.csv',
          content:
            'date,open,high,low,close,adj_close,volume,dividend,split\n' +
            '2026-11-27,440,446,439,445.10,445.10,1000,0,0\n' +
            '2026-11-30,446,451,445,450.25,450.25,1000,0,0\n',
        },
      ],
      { source: 'import' },
    );
  });
  afterAll(() => hub.close());

  function calculate(payload: object) {
    return hub.app.inject({
      method: 'POST',
      url: '/api/margin/calculations',
      headers: { cookie },
      payload,
    });
  }

  function expectSeedFigures(calculation: MarginCalculation) {
    const { display } = calculation.results;
    expect(display.cash_required).toBe(50_000);
    expect(display.margin_loan).toBe(50_000);
    expect(display.shares).toBe(222);
    expect(display.margin_call_price).toBe(300.17);
    expect(display.daily_interest).toBe(7.53);
    // Unrounded beside the display (B.7): 450.25 x 0.5/0.75 and 50000 x 0.055/365.
    expect(calculation.results.margin_call_price).toBeCloseTo(300.1666666667, 9);
    expect(calculation.results.daily_interest).toBeCloseTo(7.5342465753, 9);
  }

  it('with a typed price: 201, the five figures, and the result says the price was typed', async () => {
    const response = await calculate({ ...SEED, current_price: 450.25 });
    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    // The answer is the saved JSON text sent as is: it must still be the contract's shape.
    const calculation = marginCalculationSchema.parse(response.json());
    expectSeedFigures(calculation);
    expect(calculation.price).toEqual({
      value: 450.25,
      origin: 'typed',
      as_of: null,
      source: null,
    });
    expect(calculation.inputs).toMatchObject({
      ...SEED,
      current_price: 450.25,
      day_count_basis: 365,
    });
  });

  it('with no price: the latest stored close, its day and source', async () => {
    const response = await calculate(SEED);
    expect(response.statusCode).toBe(201);
    const calculation = response.json<MarginCalculation>();
    expectSeedFigures(calculation);
    expect(calculation.price).toEqual({
      value: 450.25,
      origin: 'quote',
      as_of: '2026-11-30',
      source: 'import',
    });
  });

  it('saved both to the history with inputs, price and results, newest first', async () => {
    const list = await hub.app.inject({
      method: 'GET',
      url: '/api/margin/calculations',
      headers: { cookie },
    });
    expect(list.statusCode).toBe(200);
    const page = list.json<{ items: { id: number; price: { origin: string } }[]; total: number }>();
    expect(page.total).toBe(2);
    expect(page.items.map((item) => item.price.origin)).toEqual(['quote', 'typed']);

    const id = page.items[0]?.id ?? 0;
    const one = await hub.app.inject({
      method: 'GET',
      url: `/api/margin/calculations/${String(id)}`,
      headers: { cookie },
    });
    expect(one.statusCode).toBe(200);
    const saved = one.json<MarginCalculation>();
    expectSeedFigures(saved);
    expect(saved.results.scenarios).toHaveLength(11);
    expect(saved.price.as_of).toBe('2026-11-30');
  });
});
