import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFmpSource, type PriceSource } from '../../src/modules/market/providers/index.js';
import { startRecordedServer, type RecordedServer } from '../fixtures/market/recorded-server.js';

// Scenario: FMP is configured and asked for SPY's daily history; it answers with its two recorded
// series (prices and dividend-adjusted closes) for 2024-12-16..2024-12-24, which span SPY's
// 2024-12-20 ex-dividend day.

const API_KEY = 'fmp-test-key-3b9d41';
const json = { 'content-type': 'application/json' };

/**
 * Expected bars: ../shared/data/prices/SPY.csv lines 8029-8035, verbatim. The recordings carry
 * the same close and adj_close, so the dividend the provider derives must be the file's 1.9660 on
 * 2024-12-20 (data README "SPY quarterly amounts": 2024-12-20 derived 1.9660) and 0 elsewhere.
 */
const SPY_2024_12_16_TO_24 = [
  ['2024-12-16', 606, 607.78, 605.21, 606.79, 599.5015, 43695200, 0],
  ['2024-12-17', 604.19, 605.17, 602.89, 604.29, 597.03156, 55773500, 0],
  ['2024-12-18', 603.98, 606.41, 585.89, 586.28, 579.2379, 108248700, 0],
  ['2024-12-19', 591.36, 593, 585.85, 586.1, 579.06006, 85919500, 0],
  ['2024-12-20', 581.77, 595.75, 580.91, 591.15, 586.01514, 125716700, 1.966],
  ['2024-12-23', 590.89, 595.3, 587.66, 594.69, 589.52435, 57635800, 0],
  ['2024-12-24', 596.06, 601.34, 595.47, 601.3, 596.0769, 33160100, 0],
] as const;
const expectedBars = SPY_2024_12_16_TO_24.map(
  ([date, open, high, low, close, adjClose, volume, dividend]) => ({
    date,
    open,
    high,
    low,
    close,
    adj_close: adjClose,
    volume,
    dividend,
    split: 0,
  }),
);

let server: RecordedServer;
let fmp: PriceSource;

beforeAll(async () => {
  server = await startRecordedServer({
    '/stable/historical-price-eod/full': { file: 'fmp-spy-eod-full.json', headers: json },
    '/stable/historical-price-eod/dividend-adjusted': {
      file: 'fmp-spy-eod-dividend-adjusted.json',
      headers: json,
    },
  });
  fmp = createFmpSource({ apiKey: API_KEY, baseUrl: server.baseUrl, timeoutMs: 5_000 });
});

afterAll(async () => {
  await server.close();
});

describe('FMP daily history for SPY', () => {
  it('returns every bar ascending with FMP adjClose as adj_close and the derived dividend', async () => {
    const bars = await fmp.getDailyBars('SPY');

    expect(bars).toEqual(expectedBars);
    // Both series were asked for, with the key as FMP's `apikey` parameter and no date bounds.
    const asked = server.requests.map((url) => [
      url.pathname,
      Object.fromEntries(url.searchParams),
    ]);
    expect(asked).toEqual(
      expect.arrayContaining([
        ['/stable/historical-price-eod/full', { symbol: 'SPY', apikey: API_KEY }],
        ['/stable/historical-price-eod/dividend-adjusted', { symbol: 'SPY', apikey: API_KEY }],
      ]),
    );
  });

  it('keeps [from, to] inclusive, asking from 10 days earlier so the first dividend is known', async () => {
    server.requests.length = 0;
    const bars = await fmp.getDailyBars('spy', '2024-12-20', '2024-12-23');

    // 2024-12-20's dividend needs 2024-12-19's close, which the lookback brought in.
    expect(bars).toEqual(expectedBars.slice(4, 6));
    for (const url of server.requests) {
      expect(url.searchParams.get('symbol')).toBe('SPY');
      expect(url.searchParams.get('from')).toBe('2024-12-10');
      expect(url.searchParams.get('to')).toBe('2024-12-23');
    }
    expect(server.requests).toHaveLength(2);
  });

  it('returns no bars for a window after the last recorded day (an incremental update)', async () => {
    expect(await fmp.getDailyBars('SPY', '2024-12-26')).toEqual([]);
  });
});
