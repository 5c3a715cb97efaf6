import type { BarsResponse, ImportResult, MarketCatalog } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { cookieFor } from '../helpers/market.js';

const HEADER = 'date,open,high,low,close,adj_close,volume,dividend,split';
const ROWS = 1000;
/** Data row 500 is on line 501 (the header is line 1). */
const BAD_LINE = 501;

/** 1,000 consecutive days from 2001-01-01; the bar on BAD_LINE has close -12.5. */
function thousandRowCsv(): { text: string; badDate: string } {
  const lines = [HEADER];
  let badDate = '';
  for (let index = 0; index < ROWS; index += 1) {
    const date = new Date(Date.UTC(2001, 0, 1 + index)).toISOString().slice(0, 10);
    const bad = index + 2 === BAD_LINE;
    if (bad) badDate = date;
    lines.push(`${date},10,11,9,${bad ? '-12.5' : '10.5'},10.5,1000,0,0`);
  }
  return { text: `${lines.join('\n')}\n`, badDate };
}

// Scenario (acceptance 2): an admin uploads a 1,000-row file with one bad close. It is refused
// with the row, column and value and nothing changes; with skip_bad_rows exactly that row is left
// out and reported.
describe('a file with one bad row among 1,000', () => {
  let hub: TestHub;
  let admin: string;
  const { text, badDate } = thousandRowCsv();
  const upload = (skipBadRows?: boolean) =>
    hub.app.inject({
      method: 'POST',
      url: '/api/market/imports',
      headers: { cookie: admin },
      payload: {
        files: [{ name: 'TEST.csv', content: text }],
        ...(skipBadRows === undefined ? {} : { skip_bad_rows: skipBadRows }),
      },
    });
  const catalog = async () =>
    (
      await hub.app.inject({
        method: 'GET',
        url: '/api/market/catalog',
        headers: { cookie: admin },
      })
    ).json<MarketCatalog>();

  beforeAll(async () => {
    hub = await createTestHub({ env: { MFA_REQUIRED_ROLES: 'none' } });
    admin = await cookieFor(hub, 'admin');
    // Something stored already, so "unchanged" is not just "empty".
    const base = await hub.app.inject({
      method: 'POST',
      url: '/api/market/imports',
      headers: { cookie: admin },
      payload: {
        files: [{ name: 'BASE.csv', content: `${HEADER}\n2001-01-02,5,6,4,5,5,10,0,0\n` }],
      },
    });
    expect(base.statusCode).toBe(200);
  });
  afterAll(() => hub.close());

  it('is refused with 422 naming file, row, column and value; the store is unchanged', async () => {
    const before = await catalog();
    const response = await upload();
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json<{
      code: string;
      detail: string;
      errors: Record<string, unknown>[];
    }>();
    expect(problem.code).toBe('import_rejected');
    expect(problem.errors).toEqual([
      {
        path: `body.files.0.rows.${String(BAD_LINE)}.close`,
        message: `TEST.csv row ${String(BAD_LINE)}, column close, value "-12.5": must be a positive price`,
        file: 'TEST.csv',
        row: BAD_LINE,
        column: 'close',
        value: '-12.5',
      },
    ]);
    expect(problem.detail).toContain('TEST.csv');
    expect(await catalog()).toEqual(before);
    expect(before.symbols.map((row) => row.symbol)).toEqual(['BASE']);
  });

  it('with skip_bad_rows stores the other 999 rows and reports exactly the bad one', async () => {
    const response = await upload(true);
    expect(response.statusCode).toBe(200);
    const [file] = response.json<ImportResult>().files;
    expect(file).toMatchObject({
      file: 'TEST.csv',
      target: 'TEST',
      rows_read: ROWS,
      rows_inserted: ROWS - 1,
      rows_updated: 0,
      rows_unchanged: 0,
    });
    expect(file?.skipped).toEqual([
      {
        file: 'TEST.csv',
        row: BAD_LINE,
        column: 'close',
        value: '-12.5',
        message: 'must be a positive price',
      },
    ]);
    const bars = await hub.app.inject({
      method: 'GET',
      url: '/api/market/symbols/TEST/bars',
      headers: { cookie: admin },
    });
    const stored = bars.json<BarsResponse>().bars;
    expect(stored).toHaveLength(ROWS - 1);
    expect(stored.some((bar) => bar.date === badDate)).toBe(false);
  });
});
