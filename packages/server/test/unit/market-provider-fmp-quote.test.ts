import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFmpSource } from '../../src/modules/market/providers/index.js';
import { startRecordedServer, type RecordedServer } from '../fixtures/market/recorded-server.js';

// Scenario: FMP is asked for SPY's latest price after the close of Friday 2025-09-26.

const API_KEY = 'fmp-test-key-quote-55';
let server: RecordedServer;

beforeAll(async () => {
  server = await startRecordedServer({
    '/stable/quote': {
      file: 'fmp-spy-quote.json',
      headers: { 'content-type': 'application/json' },
    },
  });
});

afterAll(async () => {
  await server.close();
});

describe('FMP quote for SPY', () => {
  it("gives the quote's price with its New York trading day", async () => {
    const fmp = createFmpSource({ apiKey: API_KEY, baseUrl: server.baseUrl, timeoutMs: 5_000 });

    // price: SPY.csv line 8223, close 661.82 on 2025-09-26. The recording's timestamp
    // 1758931202 is 2025-09-27T00:00:02Z, i.e. 20:00:02 on 2025-09-26 in New York (EDT, UTC-4,
    // until 2025-11-02), so the day is the 26th, not the UTC date.
    expect(await fmp.getQuote('SPY')).toEqual({
      symbol: 'SPY',
      price: 661.82,
      as_of: '2025-09-26',
      source: 'fmp',
    });
    const [request] = server.requests;
    expect(request?.pathname).toBe('/stable/quote');
    expect(Object.fromEntries(request?.searchParams ?? [])).toEqual({
      symbol: 'SPY',
      apikey: API_KEY,
    });
  });
});
