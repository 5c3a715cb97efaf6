import { createHash } from 'node:crypto';
import type { ImportResult, MarketCatalog } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { cookieFor } from '../helpers/market.js';

const HEADER = 'date,open,high,low,close,adj_close,volume,dividend,split';
const PRICES = `${HEADER}\n2024-01-02,10,11,9,10.5,10.5,100,0,0\n2024-01-03,10.5,11,10,10.75,10.75,100,0,0\n`;
const CHANGED = PRICES.replace('10.75,10.75', '10.8,10.8');

// Scenario (acceptance 3): backtests key their cache on the dataset version. It must change when
// an import changes stored data and stay put when the same file is imported again.
describe('dataset version', () => {
  let hub: TestHub;
  let admin: string;
  const upload = async (name: string, content: string) => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/market/imports',
      headers: { cookie: admin },
      payload: { files: [{ name, content }] },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ImportResult>();
  };
  const catalogVersion = async () =>
    (
      await hub.app.inject({
        method: 'GET',
        url: '/api/market/catalog',
        headers: { cookie: admin },
      })
    ).json<MarketCatalog>().dataset_version;

  beforeAll(async () => {
    hub = await createTestHub({ env: { MFA_REQUIRED_ROLES: 'none' } });
    admin = await cookieFor(hub, 'admin');
  });
  afterAll(() => hub.close());

  it('changes with new data, stays with identical re-imports, changes with a changed row', async () => {
    // The empty store: the first 16 hex digits of SHA-256 of no input (FIPS 180-4 test vector).
    const empty = createHash('sha256').update('').digest('hex').slice(0, 16);
    expect(await catalogVersion()).toBe(empty);

    const first = await upload('ABC.csv', PRICES);
    expect(first.changed).toBe(true);
    expect(first.dataset_version).not.toBe(empty);
    expect(await catalogVersion()).toBe(first.dataset_version);

    const again = await upload('ABC.csv', PRICES);
    expect(again.changed).toBe(false);
    expect(again.dataset_version).toBe(first.dataset_version);
    expect(again.files[0]).toMatchObject({ rows_inserted: 0, rows_updated: 0, rows_unchanged: 2 });
    expect(await catalogVersion()).toBe(first.dataset_version);

    const changed = await upload('ABC.csv', CHANGED);
    expect(changed.changed).toBe(true);
    expect(changed.files[0]).toMatchObject({
      rows_inserted: 0,
      rows_updated: 1,
      rows_unchanged: 1,
    });
    expect(changed.dataset_version).not.toBe(first.dataset_version);

    const rates = await upload('EFFR.csv', 'date,rate_pct\n2024-01-02,5.33\n');
    expect(rates.changed).toBe(true);
    expect(rates.dataset_version).not.toBe(changed.dataset_version);
    expect(await hub.app.hub.market.datasetVersion()).toBe(rates.dataset_version);
  });
});
