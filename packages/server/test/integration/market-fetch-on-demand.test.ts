import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BarsResponse } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { cookieFor } from '../helpers/market.js';

const HEADER = 'date,open,high,low,close,adj_close,volume,dividend,split';

// Scenario: a price file appears in MARKET_DATA_DIR after start-up. The first request for its
// symbol fetches it through the csv-dir provider and stores it; once the stored bars are older
// than the last weekday, the next request fetches only the newer days, with adj_close continued
// from the stored scale.
describe('fetching a symbol that is not stored, then updating it', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'umbrella-market-fetch-'));
  const file = path.join(folder, 'prices', 'LATE.csv');
  // Wednesday 2024-01-10: the last weekday before it is Tuesday 2024-01-09.
  const clock = manualClock(new Date('2024-01-10T12:00:00Z'));
  let hub: TestHub;
  let viewer: string;
  const bars = async () => {
    const response = await hub.app.inject({
      method: 'GET',
      url: '/api/market/symbols/LATE/bars',
      headers: { cookie: viewer },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<BarsResponse>();
  };

  beforeAll(async () => {
    fs.mkdirSync(path.join(folder, 'prices'));
    hub = await createTestHub({ clock, env: { MARKET_DATA_DIR: folder } });
    viewer = await cookieFor(hub, 'viewer');
  });
  afterAll(async () => {
    await hub.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('stores the file on first request, with source csv-dir', async () => {
    fs.writeFileSync(
      file,
      `${HEADER}\n2024-01-04,10,11,9,10,20,100,0,0\n2024-01-05,10,11,9,10.5,21,100,0,0\n`,
    );
    const versionBefore = await hub.app.hub.market.datasetVersion();
    const first = await bars();
    expect(first.source).toBe('csv-dir');
    expect(first.bars.map((bar) => bar.date)).toEqual(['2024-01-04', '2024-01-05']);
    expect(first.dataset_version).not.toBe(versionBefore);
    expect((await hub.app.hub.market.catalog()).symbols.map((row) => row.symbol)).toEqual(['LATE']);
  });

  it('adds only the newer days when stale, continuing adj_close', async () => {
    // The file is re-issued with another adj_close scale (x2) and two more days.
    fs.writeFileSync(
      file,
      `${HEADER}\n2024-01-05,10,11,9,10.5,42,100,0,0\n2024-01-08,10,11,9,11,44,100,0,0\n2024-01-09,10,12,9,11.5,46,100,0,0\n`,
    );
    const updated = await bars();
    // Stored scale: 21 on 2024-01-05 against the file's 42, so 44 -> 22 and 46 -> 23.
    expect(updated.bars.map((bar) => [bar.date, bar.close, bar.adj_close])).toEqual([
      ['2024-01-04', 10, 20],
      ['2024-01-05', 10.5, 21],
      ['2024-01-08', 11, 22],
      ['2024-01-09', 11.5, 23],
    ]);
  });
});
