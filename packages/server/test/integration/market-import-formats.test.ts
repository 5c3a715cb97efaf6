import type { ImportResult } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { cookieFor } from '../helpers/market.js';

// Scenario: an admin uploads files as the sites export them (Yahoo, Stooq, FMP, FRED), in one
// request; each lands under the symbol or series its name or header says.
describe('importing common export layouts', () => {
  let hub: TestHub;
  let admin: string;
  let result: ImportResult;
  beforeAll(async () => {
    hub = await createTestHub({ env: { MFA_REQUIRED_ROLES: 'none' } });
    admin = await cookieFor(hub, 'admin');
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/market/imports',
      headers: { cookie: admin },
      payload: {
        files: [
          {
            name: 'YHOO.csv',
            content:
              '\uFEFFDate,Open,High,Low,Close,Adj Close,Volume\r\n2024-01-02,10,11,9,10.5,10.25,100\r\n',
          },
          {
            name: 'STQ.csv',
            content: 'Date,Open,High,Low,Close,Volume\n2024-01-02,10,11,9,10.5,100\n',
          },
          {
            name: 'FMPX.csv',
            content:
              'date,open,high,low,close,adjClose,volume,vwap\n2024-01-03,10,11,9,10.5,10.4,100,10.2\n2024-01-02,10,11,9,10,9.9,100,10\n',
          },
          // A FRED download keeps FRED's name for it; the header says the series.
          {
            name: 'fredgraph.csv',
            content: 'observation_date,TB3MS\n2024-01-01,5.22\n2024-02-01,.\n',
          },
        ],
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    result = response.json<ImportResult>();
  });
  afterAll(() => hub.close());

  it('stores each file under its symbol or series', () => {
    expect(
      result.files.map((file) => [file.file, file.kind, file.target, file.rows_inserted]),
    ).toEqual([
      ['YHOO.csv', 'prices', 'YHOO', 1],
      ['STQ.csv', 'prices', 'STQ', 1],
      ['FMPX.csv', 'prices', 'FMPX', 2],
      ['fredgraph.csv', 'rates', 'TB3MS', 1],
    ]);
    // FRED's "." is left out and reported, not an error.
    expect(result.files[3]?.skipped.map((issue) => [issue.row, issue.value])).toEqual([[3, '.']]);
  });

  it('keeps adj_close as given, the close for Stooq, and FMP newest-first in date order', async () => {
    const closes = async (symbol: string) =>
      (await hub.app.hub.market.bars(symbol)).bars.map((bar) => [
        bar.date,
        bar.close,
        bar.adj_close,
      ]);
    expect(await closes('YHOO')).toEqual([['2024-01-02', 10.5, 10.25]]);
    expect(await closes('STQ')).toEqual([['2024-01-02', 10.5, 10.5]]);
    expect(await closes('FMPX')).toEqual([
      ['2024-01-02', 10, 9.9],
      ['2024-01-03', 10.5, 10.4],
    ]);
    expect(await hub.app.hub.market.rates('TB3MS')).toEqual([
      { date: '2024-01-01', rate_pct: 5.22 },
    ]);
  });
});
