import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { cookieFor } from '../helpers/market.js';

const VALID = {
  ticker: 'SPY',
  investment_amount: 100_000,
  leverage: 2,
  current_price: 450.25,
  account_type: 'reg_t',
  position_type: 'Long',
  interest_rate: 5.5,
  holding_period: 24,
};

// Scenario (issue 5, acceptance 3): inputs outside specs/margin.md B.1's ranges, leverage above
// the feasible maximum of A.6 (reg_t 3.9x, portfolio 15 % 6.6x, a $100 Reg T short 3.3x), a
// non-positive price, and a ticker nobody stored without a typed price. Each gets a 400 problem
// naming the field, and nothing is saved.
describe('refused calculations', () => {
  let hub: TestHub;
  let cookie = '';

  beforeAll(async () => {
    hub = await createTestHub();
    cookie = await cookieFor(hub, 'analyst');
  });
  afterAll(() => hub.close());

  const cases: [string, Record<string, unknown>, string][] = [
    ['investment amount 0', { investment_amount: 0 }, 'body.investment_amount'],
    ['leverage 0.5', { leverage: 0.5 }, 'body.leverage'],
    ['leverage 7.5', { leverage: 7.5 }, 'body.leverage'],
    ['interest 0.5 %', { interest_rate: 0.5 }, 'body.interest_rate'],
    ['interest 11 %', { interest_rate: 11 }, 'body.interest_rate'],
    ['holding 0 months', { holding_period: 0 }, 'body.holding_period'],
    ['holding 61 months', { holding_period: 61 }, 'body.holding_period'],
    ['holding 1.5 months', { holding_period: 1.5 }, 'body.holding_period'],
    ['account "margin"', { account_type: 'margin' }, 'body.account_type'],
    ['position "short"', { position_type: 'short' }, 'body.position_type'],
    ['pm stress 0.2', { pm_stress: 0.2 }, 'body.pm_stress'],
    ['override 0.1', { maintenance_override: 0.1 }, 'body.maintenance_override'],
    ['basis 252', { day_count_basis: 252 }, 'body.day_count_basis'],
    ['price 0', { current_price: 0 }, 'body.current_price'],
    ['price -450.25', { current_price: -450.25 }, 'body.current_price'],
    ['reg_t Long at 4.0x (cap 3.9x)', { leverage: 4 }, 'body.leverage'],
    [
      'portfolio 15 % at 6.7x (cap 6.6x)',
      { account_type: 'portfolio', leverage: 6.7 },
      'body.leverage',
    ],
    [
      'Reg T short of a $100 ETF at 3.4x (cap 3.3x)',
      { position_type: 'Short', current_price: 100, leverage: 3.4 },
      'body.leverage',
    ],
    [
      'house 30 % at 3.4x (cap 3.3x)',
      { maintenance_override: 0.3, leverage: 3.4 },
      'body.leverage',
    ],
    ['unknown ticker, no typed price', { ticker: 'NOPE', current_price: undefined }, 'body.ticker'],
  ];

  it.each(cases)('%s: 400 naming %j', async (_name, change, field) => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/margin/calculations',
      headers: { cookie },
      payload: { ...VALID, ...change },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json<{
      status: number;
      errors: { path: string; message: string }[];
    }>();
    expect(problem.status).toBe(400);
    expect(problem.errors.map((error) => error.path)).toEqual([field]);
  });

  it('explains the leverage cap', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/margin/calculations',
      headers: { cookie },
      payload: { ...VALID, leverage: 4 },
    });
    const problem = response.json<{ errors: { message: string }[] }>();
    expect(problem.errors[0]?.message).toBe(
      'leverage must be at most 3.9x: a maintenance requirement of 25 % needs equity above 25 % of the position, so leverage must stay below 4.00x',
    );
  });

  it('saved nothing', async () => {
    const list = await hub.app.inject({
      method: 'GET',
      url: '/api/margin/calculations',
      headers: { cookie },
    });
    expect(list.json<{ total: number }>().total).toBe(0);
    const rows = await hub.database.db.selectFrom('margin.calculations').selectAll().execute();
    expect(rows).toEqual([]);
  });
});
