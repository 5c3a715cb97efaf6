import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { cookieFor } from '../helpers/market.js';

/** The agreed detail (issue 4 "Agreed interfaces"). */
const HOW_TO_IMPORT =
  'No prices for XYZ are stored. Import a CSV with `npx umbrella data import <file>` or on the ' +
  'admin Market data page, or set FMP_API_KEY to fetch it.';

// Scenario (acceptance 4): with no network and no FMP_API_KEY, a user asks for a symbol nobody
// imported; the answer is a 404 problem that says how to get the data in.
describe('a symbol that is not stored and cannot be fetched', () => {
  const hubs: TestHub[] = [];
  afterAll(async () => {
    for (const hub of hubs) await hub.close();
  });

  /** Both read routes answer the 404; returns the detail. */
  async function expectHowToImport(hub: TestHub): Promise<string> {
    const cookie = await cookieFor(hub, 'viewer');
    let detail = '';
    for (const url of ['/api/market/symbols/xyz/bars', '/api/market/symbols/XYZ/quote']) {
      const response = await hub.app.inject({ method: 'GET', url, headers: { cookie } });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = response.json<{ code: string; detail: string; title: string }>();
      expect(problem.code).toBe('unknown_symbol');
      expect(problem.detail.startsWith(HOW_TO_IMPORT)).toBe(true);
      detail = problem.detail;
    }
    return detail;
  }

  it('with no provider configured (the test default)', async () => {
    const hub = await createTestHub();
    hubs.push(hub);
    await expectHowToImport(hub);
  });

  describe('with the keyless provider on but no network', () => {
    let hub: TestHub;
    beforeAll(async () => {
      // Nothing listens on port 1 of the loopback: every request fails to connect.
      hub = await createTestHub({
        env: { MARKET_DATA_PROVIDERS: 'fmp,stooq', STOOQ_BASE_URL: 'http://127.0.0.1:1' },
      });
      hubs.push(hub);
    });

    it('still answers 404 with the how-to and the provider reason, and stores nothing', async () => {
      const detail = await expectHowToImport(hub);
      expect(detail).toMatch(/Stooq/);
      expect((await hub.app.hub.market.catalog()).symbols).toEqual([]);
    });
  });
});
