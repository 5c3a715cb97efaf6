import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { cookieFor, dataFolderFiles, sharedDataDir } from '../helpers/market.js';

const dataDir = sharedDataDir();

// Scenario: the backtest asks for the benchmark rate on a day (specs/margin.md D): daily EFFR
// from 2000-07-03 (a holiday or weekend uses the latest earlier day), monthly FEDFUNDS before.
// Expected values read by hand from shared/data/rates (file line numbers in the comments).
describe.skipIf(dataDir === undefined)(
  'rate on a day from the stored shared/data rates (skipped: set MARKET_DATA_DIR=../shared/data)',
  () => {
    let hub: TestHub;
    let viewer: string;
    beforeAll(async () => {
      hub = await createTestHub({ env: { MFA_REQUIRED_ROLES: 'none' } });
      const admin = await cookieFor(hub, 'admin');
      viewer = await cookieFor(hub, 'viewer');
      const files = dataFolderFiles(dataDir ?? '').filter((file) =>
        ['EFFR.csv', 'FEDFUNDS.csv'].includes(path.basename(file.name)),
      );
      const response = await hub.app.inject({
        method: 'POST',
        url: '/api/market/imports',
        headers: { cookie: admin },
        payload: { files },
      });
      expect(response.statusCode, response.body).toBe(200);
    });
    afterAll(() => hub.close());

    it('uses EFFR of a business day: 2019-07-03 is 2.41 (EFFR.csv line 4773)', async () => {
      expect(await hub.app.hub.market.rateOn('2019-07-03')).toEqual({
        series: 'EFFR',
        date: '2019-07-03',
        rate_pct: 2.41,
      });
    });

    it('uses the day before on a holiday and a weekend (lines 4773 and 4774)', async () => {
      // 2019-07-04 (Independence Day) has no row: 2019-07-03's 2.41.
      expect(await hub.app.hub.market.rateOn('2019-07-04')).toMatchObject({
        date: '2019-07-03',
        rate_pct: 2.41,
      });
      // Saturday 2019-07-06: Friday 2019-07-05's 2.42.
      expect(await hub.app.hub.market.rateOn('2019-07-06')).toMatchObject({
        date: '2019-07-05',
        rate_pct: 2.42,
      });
    });

    it('before 2000-07-03 uses FEDFUNDS of the month (FEDFUNDS.csv lines 541 and 554)', async () => {
      expect(await hub.app.hub.market.rateOn('1999-06-15')).toEqual({
        series: 'FEDFUNDS',
        date: '1999-06-01',
        rate_pct: 4.76,
      });
      expect(await hub.app.hub.market.rateOn('2000-07-01')).toMatchObject({
        series: 'FEDFUNDS',
        rate_pct: 6.54,
      });
      // EFFR's first day (EFFR.csv line 2).
      expect(await hub.app.hub.market.rateOn('2000-07-03')).toMatchObject({
        series: 'EFFR',
        rate_pct: 7.03,
      });
    });

    it('serves a range of a series to viewers (EFFR.csv lines 4772-4774)', async () => {
      const response = await hub.app.inject({
        method: 'GET',
        url: '/api/market/rates/EFFR?from=2019-07-02&to=2019-07-05',
        headers: { cookie: viewer },
      });
      expect(response.json()).toEqual({
        series: 'EFFR',
        points: [
          { date: '2019-07-02', rate_pct: 2.4 },
          { date: '2019-07-03', rate_pct: 2.41 },
          { date: '2019-07-05', rate_pct: 2.42 },
        ],
      });
    });

    it('answers 404 for a series that is not stored and 400 for one it does not know', async () => {
      const missing = await hub.app.inject({
        method: 'GET',
        url: '/api/market/rates/TB3MS',
        headers: { cookie: viewer },
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.json<{ code: string }>().code).toBe('unknown_rate_series');
      const unknown = await hub.app.inject({
        method: 'GET',
        url: '/api/market/rates/LIBOR',
        headers: { cookie: viewer },
      });
      expect(unknown.statusCode).toBe(400);
    });
  },
);
