import type { MarginCalculation, MarginHistoryPage } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { createUser, signIn } from '../helpers/identity.js';

const INPUTS = {
  investment_amount: 10_000,
  leverage: 1.5,
  current_price: 100,
  account_type: 'reg_t',
  position_type: 'Long',
  interest_rate: 6,
  holding_period: 12,
};

// Scenario (issue 5, acceptance 4; specs/identity.md §2 "own", C-03, C-04): Alice and Bob each
// save a calculation. Each sees only their own; Alice asking for or deleting Bob's by id gets the
// 404 of a calculation that does not exist; a user_id in the body does not make a calculation
// someone else's.
describe('a user sees only their own history', () => {
  let hub: TestHub;
  let alice = '';
  let bob = '';
  let bobId = 0;
  let aliceCalculation = 0;
  let bobCalculation = 0;

  function calculate(cookie: string, payload: object) {
    return hub.app.inject({
      method: 'POST',
      url: '/api/margin/calculations',
      headers: { cookie },
      payload,
    });
  }
  function history(cookie: string) {
    return hub.app.inject({ method: 'GET', url: '/api/margin/calculations', headers: { cookie } });
  }

  beforeAll(async () => {
    hub = await createTestHub();
    const aliceUser = await createUser(hub, { email: 'alice@example.com', role: 'viewer' });
    const bobUser = await createUser(hub, { email: 'bob@example.com', role: 'manager' });
    bobId = bobUser.id;
    alice = await signIn(hub, aliceUser.email, aliceUser.password);
    bob = await signIn(hub, bobUser.email, bobUser.password);
    aliceCalculation = (
      await calculate(alice, { ...INPUTS, ticker: 'SPY' })
    ).json<MarginCalculation>().id;
    bobCalculation = (await calculate(bob, { ...INPUTS, ticker: 'VTI' })).json<MarginCalculation>()
      .id;
  });
  afterAll(() => hub.close());

  it("lists only the caller's calculations", async () => {
    const alicePage = (await history(alice)).json<MarginHistoryPage>();
    expect(alicePage.items.map((item) => item.id)).toEqual([aliceCalculation]);
    const bobPage = (await history(bob)).json<MarginHistoryPage>();
    expect(bobPage.items.map((item) => item.id)).toEqual([bobCalculation]);
  });

  it("answers 404 for another user's calculation, as for one that does not exist", async () => {
    const theirs = await hub.app.inject({
      method: 'GET',
      url: `/api/margin/calculations/${String(bobCalculation)}`,
      headers: { cookie: alice },
    });
    const missing = await hub.app.inject({
      method: 'GET',
      url: '/api/margin/calculations/999999',
      headers: { cookie: alice },
    });
    expect(theirs.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    // Nothing in the answer tells the two apart beyond the id the caller sent.
    expect(theirs.json<{ title: string }>().title).toBe(missing.json<{ title: string }>().title);
  });

  it("cannot delete another user's calculation (404), which stays", async () => {
    const response = await hub.app.inject({
      method: 'DELETE',
      url: `/api/margin/calculations/${String(bobCalculation)}`,
      headers: { cookie: alice },
    });
    expect(response.statusCode).toBe(404);
    const still = await hub.app.inject({
      method: 'GET',
      url: `/api/margin/calculations/${String(bobCalculation)}`,
      headers: { cookie: bob },
    });
    expect(still.statusCode).toBe(200);
  });

  it('saves under the session user whatever user_id the body claims (C-04)', async () => {
    const response = await calculate(alice, { ...INPUTS, ticker: 'QQQ', user_id: bobId });
    expect(response.statusCode).toBe(201);
    const rows = await hub.database.db
      .selectFrom('margin.calculations')
      .select(['user_id', 'ticker'])
      .where('ticker', '=', 'QQQ')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.user_id).not.toBe(bobId);
    expect((await history(bob)).json<MarginHistoryPage>().total).toBe(1);
  });

  it('refuses signed-out callers (401) and saves nothing for them', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/margin/calculations',
      payload: { ...INPUTS, ticker: 'IWM' },
    });
    expect(response.statusCode).toBe(401);
    const rows = await hub.database.db
      .selectFrom('margin.calculations')
      .select('id')
      .where('ticker', '=', 'IWM')
      .execute();
    expect(rows).toEqual([]);
  });
});
