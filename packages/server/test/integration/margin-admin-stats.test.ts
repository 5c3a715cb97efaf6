import type { MarginStats } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { cookieFor } from '../helpers/market.js';

// Scenario: over two days a viewer and an analyst save 5 calculations (day 1: SPY, SPY, VTI;
// day 2: SPY, QQQ); the admin sees counts per day (3, 2) and per ticker (SPY 3, QQQ 1, VTI 1);
// non-admins get 403.
describe('admin calculation counts', () => {
  let hub: TestHub;
  const cookies: Record<string, string> = {};
  const clock = manualClock(new Date('2026-11-30T23:50:00.000Z'));

  async function calculate(cookie: string, ticker: string) {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/margin/calculations',
      headers: { cookie },
      payload: {
        ticker,
        investment_amount: 10_000,
        leverage: 2,
        current_price: 100,
        account_type: 'reg_t',
        position_type: 'Long',
        interest_rate: 5,
        holding_period: 12,
      },
    });
    expect(response.statusCode).toBe(201);
  }

  beforeAll(async () => {
    hub = await createTestHub({ clock, env: { MFA_REQUIRED_ROLES: 'none' } });
    for (const role of ['viewer', 'analyst', 'manager', 'admin'] as const) {
      cookies[role] = await cookieFor(hub, role);
    }
    const viewer = cookies.viewer ?? '';
    const analyst = cookies.analyst ?? '';
    await calculate(viewer, 'SPY');
    await calculate(analyst, 'SPY');
    await calculate(viewer, 'VTI');
    // 2026-12-01T00:10Z: the next UTC day, within the sessions' 30 idle minutes.
    clock.advance(20 * 60_000);
    await calculate(analyst, 'SPY');
    await calculate(viewer, 'QQQ');
  });
  afterAll(() => hub.close());

  it('the admin sees counts per UTC day (newest first) and per ticker (most first)', async () => {
    const response = await hub.app.inject({
      method: 'GET',
      url: '/api/margin/admin/stats',
      headers: { cookie: cookies.admin ?? '' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<MarginStats>()).toEqual({
      total: 5,
      per_day: [
        { day: '2026-12-01', count: 2 },
        { day: '2026-11-30', count: 3 },
      ],
      per_ticker: [
        { ticker: 'SPY', count: 3 },
        { ticker: 'QQQ', count: 1 },
        { ticker: 'VTI', count: 1 },
      ],
    });
  });

  it.each(['viewer', 'analyst', 'manager'])('%s gets 403', async (role) => {
    const response = await hub.app.inject({
      method: 'GET',
      url: '/api/margin/admin/stats',
      headers: { cookie: cookies[role] ?? '' },
    });
    expect(response.statusCode).toBe(403);
  });
});
