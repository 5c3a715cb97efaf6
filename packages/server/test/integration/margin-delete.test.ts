import type { MarginCalculation, MarginHistoryPage } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deleteUserData,
  describeUserData,
  exportUserData,
  userDataStores,
} from '../../src/modules/identity/user-data.js';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { createUser, signIn } from '../helpers/identity.js';

const INPUTS = {
  ticker: 'SPY',
  investment_amount: 10_000,
  leverage: 2,
  current_price: 100,
  account_type: 'reg_t',
  position_type: 'Long',
  interest_rate: 5,
  holding_period: 12,
};

// Scenario: a user deletes one calculation of three; later an admin exports and hard-deletes the
// user, and the margin history is part of both (specs/identity.md C-11, user-data stores).
describe('deleting calculations', () => {
  let hub: TestHub;
  let cookie = '';
  let userId = 0;
  const ids: number[] = [];

  beforeAll(async () => {
    hub = await createTestHub();
    const user = await createUser(hub, { email: 'dee@example.com', role: 'analyst' });
    userId = user.id;
    cookie = await signIn(hub, user.email, user.password);
    for (const ticker of ['SPY', 'VTI', 'QQQ']) {
      const response = await hub.app.inject({
        method: 'POST',
        url: '/api/margin/calculations',
        headers: { cookie },
        payload: { ...INPUTS, ticker },
      });
      ids.push(response.json<MarginCalculation>().id);
    }
  });
  afterAll(() => hub.close());

  it('DELETE answers 204, then the calculation is gone (404) and the others stay', async () => {
    const [, vti = 0] = ids;
    const response = await hub.app.inject({
      method: 'DELETE',
      url: `/api/margin/calculations/${String(vti)}`,
      headers: { cookie },
    });
    expect(response.statusCode).toBe(204);
    const again = await hub.app.inject({
      method: 'DELETE',
      url: `/api/margin/calculations/${String(vti)}`,
      headers: { cookie },
    });
    expect(again.statusCode).toBe(404);
    const page = (
      await hub.app.inject({ method: 'GET', url: '/api/margin/calculations', headers: { cookie } })
    ).json<MarginHistoryPage>();
    expect(page.items.map((item) => item.ticker)).toEqual(['QQQ', 'SPY']);
  });

  it('a bad id is a 400 naming params.id', async () => {
    const response = await hub.app.inject({
      method: 'DELETE',
      url: '/api/margin/calculations/abc',
      headers: { cookie },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('params.id');
  });

  it('the user-data store describes (names only), exports and deletes the history', async () => {
    const summary = (await describeUserData(userDataStores, userId)).find(
      (store) => store.name === 'margin_calculations',
    );
    expect(summary?.count).toBe(2);
    // Newest first, as the history lists them.
    expect(summary?.items).toEqual(['QQQ Long 2x', 'SPY Long 2x']);
    expect(summary?.bytes).toBeGreaterThan(0);

    const exported = await exportUserData(userDataStores, userId);
    const calculations = exported.margin_calculations as MarginCalculation[];
    expect(calculations.map((calculation) => calculation.ticker)).toEqual(['SPY', 'QQQ']);
    expect(calculations[0]?.results.display.margin_call_price).toBe(66.67); // 100 x 0.5/0.75

    const counts = await hub.database.db
      .transaction()
      .execute((trx) => deleteUserData(userDataStores, userId, trx));
    expect(counts.margin_calculations).toBe(2);
    const rows = await hub.database.db.selectFrom('margin.calculations').select('id').execute();
    expect(rows).toEqual([]);
  });
});
