import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStooqSource, type PriceSource } from '../../src/modules/market/providers/index.js';
import { startRecordedServer, type RecordedServer } from '../fixtures/market/recorded-server.js';

// Scenario: no FMP key; the keyless Stooq download supplies SPY's last week of September 2025.

/**
 * Expected: ../shared/data/prices/SPY.csv lines 8218-8223 (the recording's rows). Stooq has no
 * adjusted close and no dividends, so adj_close = close and dividend = 0 — even on 2025-09-19,
 * whose 1.8310 distribution the file records: Stooq bars give price returns only.
 */
const SPY_2025_09_19_TO_26 = [
  ['2025-09-19', 662.33, 664.55, 660.37, 663.7, 97945600],
  ['2025-09-22', 662.2, 667.29, 662.17, 666.84, 69452200],
  ['2025-09-23', 666.72, 667.34, 661.98, 663.21, 81708900],
  ['2025-09-24', 664.51, 664.61, 659.67, 661.1, 68082200],
  ['2025-09-25', 657.94, 659.41, 654.41, 658.05, 89622100],
  ['2025-09-26', 659.51, 662.37, 657.88, 661.82, 69142300],
] as const;
const expectedBars = SPY_2025_09_19_TO_26.map(([date, open, high, low, close, volume]) => ({
  date,
  open,
  high,
  low,
  close,
  adj_close: close,
  volume,
  dividend: 0,
  split: 0,
}));

let server: RecordedServer;
let stooq: PriceSource;

beforeAll(async () => {
  server = await startRecordedServer({
    '/q/d/l/': { file: 'stooq-spy-us-d.csv', headers: { 'content-type': 'text/csv' } },
  });
  stooq = createStooqSource({ baseUrl: server.baseUrl, timeoutMs: 5_000 });
});

afterAll(async () => {
  await server.close();
});

describe('Stooq daily history for SPY', () => {
  it('reads the CSV download into bars with adj_close = close', async () => {
    expect(await stooq.getDailyBars('SPY')).toEqual(expectedBars);
    const [request] = server.requests;
    expect(Object.fromEntries(request?.searchParams ?? [])).toEqual({ s: 'spy.us', i: 'd' });
  });

  it('passes a window as d1/d2 and keeps only its days', async () => {
    server.requests.length = 0;
    const bars = await stooq.getDailyBars('SPY', '2025-09-22', '2025-09-25');
    expect(bars).toEqual(expectedBars.slice(1, 5));
    const [request] = server.requests;
    expect(Object.fromEntries(request?.searchParams ?? [])).toEqual({
      s: 'spy.us',
      i: 'd',
      d1: '20250922',
      d2: '20250925',
    });
  });

  it("quotes the last bar's close with its date", async () => {
    expect(await stooq.getQuote('spy')).toEqual({
      symbol: 'SPY',
      price: 661.82,
      as_of: '2025-09-26',
      source: 'stooq',
    });
  });

  it('names share classes the Stooq way (BRK.B → brk-b.us)', async () => {
    server.requests.length = 0;
    await stooq.getDailyBars('BRK.B');
    expect(server.requests[0]?.searchParams.get('s')).toBe('brk-b.us');
  });
});
