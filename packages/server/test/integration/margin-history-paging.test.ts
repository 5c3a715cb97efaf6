import type { MarginHistoryPage } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { cookieFor } from '../helpers/market.js';

// Scenario: a user saves 5 calculations a minute apart (SPY, VTI, SPY, QQQ, SPY, by leverage 1.1
// to 1.5) and pages through the history, newest first, with and without the ticker filter.
describe('history paging and ticker filter', () => {
  let hub: TestHub;
  let cookie = '';
  const clock = manualClock(new Date('2026-12-01T10:00:00.000Z'));
  const saved = [
    ['SPY', 1.1],
    ['VTI', 1.2],
    ['SPY', 1.3],
    ['QQQ', 1.4],
    ['SPY', 1.5],
  ] as const;

  beforeAll(async () => {
    hub = await createTestHub({ clock });
    cookie = await cookieFor(hub, 'viewer');
    for (const [ticker, leverage] of saved) {
      clock.advance(60_000);
      const response = await hub.app.inject({
        method: 'POST',
        url: '/api/margin/calculations',
        headers: { cookie },
        payload: {
          ticker,
          investment_amount: 10_000,
          leverage,
          current_price: 100,
          account_type: 'reg_t',
          position_type: 'Long',
          interest_rate: 5,
          holding_period: 12,
        },
      });
      expect(response.statusCode).toBe(201);
    }
  });
  afterAll(() => hub.close());

  async function page(query: string) {
    const response = await hub.app.inject({
      method: 'GET',
      url: `/api/margin/calculations?${query}`,
      headers: { cookie },
    });
    expect(response.statusCode).toBe(200);
    return response.json<MarginHistoryPage>();
  }

  it('page 1 of size 2 holds the two newest', async () => {
    const first = await page('page=1&page_size=2');
    expect(first.total).toBe(5);
    expect(first.items.map((item) => item.leverage)).toEqual([1.5, 1.4]);
    expect(first.items[0]?.created_at).toBe('2026-12-01T10:05:00.000Z');
  });

  it('page 3 of size 2 holds the oldest alone', async () => {
    const third = await page('page=3&page_size=2');
    expect(third.items.map((item) => item.leverage)).toEqual([1.1]);
    expect(third.page).toBe(3);
  });

  it('filters by ticker (case-insensitive), newest first', async () => {
    const spy = await page('ticker=spy');
    expect(spy.total).toBe(3);
    expect(spy.items.map((item) => [item.ticker, item.leverage])).toEqual([
      ['SPY', 1.5],
      ['SPY', 1.3],
      ['SPY', 1.1],
    ]);
  });

  it('shows the summary figures of each row', async () => {
    const [newest] = (await page('page_size=1')).items;
    // 1.5x on $10,000 at $100, reg_t: D = 10000 - 10000/1.5 = 3333.33; call price
    // 100 x (1 - 1/1.5)/0.75 = 44.444; total interest 3333.33 x 0.05 x 12/12 = 166.67.
    expect(newest?.margin_call_price).toBeCloseTo(44.4444444444, 9);
    expect(newest?.total_interest).toBeCloseTo(166.6666666667, 9);
    expect(newest?.price).toEqual({ value: 100, origin: 'typed', as_of: null, source: null });
  });

  it('refuses a page size above 100 and a page below 1, naming the field', async () => {
    for (const [query, field] of [
      // The hub's problem paths name the query string "querystring" (http/problem.ts).
      ['page_size=101', 'querystring.page_size'],
      ['page=0', 'querystring.page'],
      ['ticker=%3Bdrop', 'querystring.ticker'],
    ] as const) {
      const response = await hub.app.inject({
        method: 'GET',
        url: `/api/margin/calculations?${query}`,
        headers: { cookie },
      });
      expect(response.statusCode, query).toBe(400);
      expect(response.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe(field);
    }
  });
});
