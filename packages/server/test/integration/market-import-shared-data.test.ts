import path from 'node:path';
import type { BarsResponse, ImportResult, MarketCatalog } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { cookieFor, dataFolderFiles, readCsvByHand, sharedDataDir } from '../helpers/market.js';

const dataDir = sharedDataDir();

/** shared/data/README.md, "Contents, ranges and rows". */
const PRICE_FILES = [
  { symbol: 'AGG', first: '2003-09-29', last: '2025-09-26', rows: 5535, dividends: 263 },
  { symbol: 'EFA', first: '2001-08-27', last: '2025-09-26', rows: 6057, dividends: 45 },
  { symbol: 'GLD', first: '2004-11-18', last: '2025-09-26', rows: 5247, dividends: 0 },
  { symbol: 'IWM', first: '2000-05-26', last: '2025-09-26', rows: 6372, dividends: 103 },
  { symbol: 'QQQ', first: '1999-03-10', last: '2025-09-26', rows: 6680, dividends: 86 },
  { symbol: 'SPY', first: '1993-01-29', last: '2025-09-26', rows: 8222, dividends: 132 },
  { symbol: 'TLT', first: '2002-07-30', last: '2025-09-26', rows: 5829, dividends: 276 },
  { symbol: 'VTI', first: '2001-06-15', last: '2025-09-26', rows: 6107, dividends: 97 },
];
const RATE_FILES = [
  { series: 'EFFR', first: '2000-07-03', last: '2026-04-22', rows: 6478 },
  { series: 'FEDFUNDS', first: '1954-07-01', last: '2026-01-01', rows: 859 },
  { series: 'TB3MS', first: '1934-01-01', last: '2026-05-01', rows: 1109 },
];

// Scenario (acceptance 1): an admin uploads all of ../shared/data; every file is stored whole,
// and SPY's total return over 2010-01-04..2022-12-30 from the stored bars is the file's own.
describe.skipIf(dataDir === undefined)(
  'importing shared/data (skipped: set MARKET_DATA_DIR=../shared/data to run it)',
  () => {
    let hub: TestHub;
    let admin: string;
    let viewer: string;
    let imported: ImportResult;
    beforeAll(async () => {
      hub = await createTestHub({ env: { MFA_REQUIRED_ROLES: 'none' } });
      admin = await cookieFor(hub, 'admin');
      viewer = await cookieFor(hub, 'viewer');
      const response = await hub.app.inject({
        method: 'POST',
        url: '/api/market/imports',
        headers: { cookie: admin },
        payload: { files: dataFolderFiles(dataDir ?? '') },
      });
      expect(response.statusCode, response.body).toBe(200);
      imported = response.json<ImportResult>();
    });
    afterAll(() => hub.close());

    it('reports every row of the 11 files as inserted', () => {
      expect(imported.changed).toBe(true);
      expect(
        imported.files.map((file) => [file.target, file.rows_read, file.rows_inserted]),
      ).toEqual([
        ...PRICE_FILES.map((file) => [file.symbol, file.rows, file.rows]),
        ...RATE_FILES.map((file) => [file.series, file.rows, file.rows]),
      ]);
      expect(imported.files.every((file) => file.skipped.length === 0)).toBe(true);
    });

    it('lists each symbol and series with the README ranges, counts and dividend events', async () => {
      const response = await hub.app.inject({
        method: 'GET',
        url: '/api/market/catalog',
        headers: { cookie: viewer },
      });
      const catalog = response.json<MarketCatalog>();
      expect(catalog.dataset_version).toBe(imported.dataset_version);
      expect(
        catalog.symbols.map((row) => [
          row.symbol,
          row.first_date,
          row.last_date,
          row.bar_count,
          row.dividend_count,
          row.source,
        ]),
      ).toEqual(
        PRICE_FILES.map((file) => [
          file.symbol,
          file.first,
          file.last,
          file.rows,
          file.dividends,
          'import',
        ]),
      );
      expect(
        catalog.rates.map((row) => [row.series, row.first_date, row.last_date, row.point_count]),
      ).toEqual(RATE_FILES.map((file) => [file.series, file.first, file.last, file.rows]));
    });

    it('stores every bar and rate row (counted through the read routes)', async () => {
      for (const file of PRICE_FILES) {
        const response = await hub.app.inject({
          method: 'GET',
          url: `/api/market/symbols/${file.symbol}/bars`,
          headers: { cookie: viewer },
        });
        const body = response.json<BarsResponse>();
        expect([body.bars.length, body.bars[0]?.date, body.bars.at(-1)?.date]).toEqual([
          file.rows,
          file.first,
          file.last,
        ]);
      }
      for (const file of RATE_FILES) {
        const response = await hub.app.inject({
          method: 'GET',
          url: `/api/market/rates/${file.series}`,
          headers: { cookie: viewer },
        });
        const { points } = response.json<{ points: { date: string }[] }>();
        expect([points.length, points[0]?.date, points.at(-1)?.date]).toEqual([
          file.rows,
          file.first,
          file.last,
        ]);
      }
    });

    it('gives SPY 2010-01-04..2022-12-30 the file adj_close ratio to 1e-9, CAGR 11.93 %', async () => {
      // The file's own rows, read by plain string splitting.
      const rows = readCsvByHand(path.join(dataDir ?? '', 'prices', 'SPY.csv'));
      const adjCloseOn = (date: string) =>
        Number(rows.find((row) => row.date === date)?.adj_close ?? Number.NaN);
      const fileRatio = adjCloseOn('2022-12-30') / adjCloseOn('2010-01-04');

      const response = await hub.app.inject({
        method: 'GET',
        url: '/api/market/symbols/SPY/bars?from=2010-01-04&to=2022-12-30',
        headers: { cookie: viewer },
      });
      const { bars } = response.json<BarsResponse>();
      const first = bars[0];
      const last = bars.at(-1);
      expect([first?.date, last?.date]).toEqual(['2010-01-04', '2022-12-30']);
      const storedRatio = (last?.adj_close ?? 0) / (first?.adj_close ?? 1);
      expect(Math.abs(storedRatio / fileRatio - 1)).toBeLessThan(1e-9);

      const period = await hub.app.hub.market.totalReturn('SPY', '2010-01-04', '2022-12-30');
      expect(Math.abs((period?.totalReturn ?? 0) + 1 - fileRatio)).toBeLessThan(1e-9);
      const index = await hub.app.hub.market.totalReturnIndex('SPY', '2010-01-04', '2022-12-30');
      expect(Math.abs((index.at(-1)?.growth ?? 0) - fileRatio)).toBeLessThan(1e-9);

      // README "SPY CAGR": 11.93 %/yr over 12.99 years (4,743 days / 365.25).
      const years = (Date.parse('2022-12-30') - Date.parse('2010-01-04')) / 86_400_000 / 365.25;
      const cagrPercent = (storedRatio ** (1 / years) - 1) * 100;
      expect(Math.abs(cagrPercent - 11.93)).toBeLessThan(0.005);
    });
  },
);
