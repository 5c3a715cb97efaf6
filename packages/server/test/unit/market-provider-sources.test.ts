import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPriceSources,
  DEFAULT_FMP_BASE_URL,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type ProviderSettings,
} from '../../src/modules/market/providers/index.js';
import { startRecordedServer, type RecordedServer } from '../fixtures/market/recorded-server.js';

// Scenario: MARKET_DATA_PROVIDERS chooses the sources and their order; a provider whose setting is
// missing (MARKET_DATA_DIR, FMP_API_KEY) is left out.

let stooqServer: RecordedServer;

beforeAll(async () => {
  stooqServer = await startRecordedServer({
    '/q/d/l/': { file: 'stooq-spy-us-d.csv', headers: { 'content-type': 'text/csv' } },
  });
});

afterAll(async () => {
  await stooqServer.close();
});

function settings(change: Partial<ProviderSettings>): ProviderSettings {
  return {
    providers: ['csv-dir', 'fmp', 'stooq'],
    marketDataDir: '/srv/market-data',
    fmpApiKey: 'fmp-test-key-sources',
    fmpBaseUrl: DEFAULT_FMP_BASE_URL,
    stooqBaseUrl: 'http://127.0.0.1:9',
    requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
    ...change,
  };
}

const names = (change: Partial<ProviderSettings>) =>
  createPriceSources(settings(change)).map((source) => source.name);

describe('createPriceSources', () => {
  it('follows MARKET_DATA_PROVIDERS order', () => {
    expect(names({})).toEqual(['csv-dir', 'fmp', 'stooq']);
    expect(names({ providers: ['stooq', 'fmp'] })).toEqual(['stooq', 'fmp']);
  });

  it('leaves out fmp without a key and csv-dir without a folder', () => {
    expect(names({ fmpApiKey: null })).toEqual(['csv-dir', 'stooq']);
    expect(names({ fmpApiKey: '' })).toEqual(['csv-dir', 'stooq']);
    expect(names({ marketDataDir: null, fmpApiKey: null })).toEqual(['stooq']);
  });

  it('uses a name listed twice once', () => {
    expect(names({ providers: ['stooq', 'csv-dir', 'stooq'] })).toEqual(['stooq', 'csv-dir']);
  });

  it('hands the base URL and fetch to the sources it creates', async () => {
    const requested: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      requested.push(
        typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      );
      return fetch(input, init);
    };
    const [stooq] = createPriceSources(
      settings({ providers: ['stooq'], stooqBaseUrl: `${stooqServer.baseUrl}/` }),
      countingFetch,
    );
    // SPY.csv line 8223: 2025-09-26 close 661.82, the recording's last row.
    expect(await stooq?.getQuote('SPY')).toEqual({
      symbol: 'SPY',
      price: 661.82,
      as_of: '2025-09-26',
      source: 'stooq',
    });
    expect(requested).toEqual([`${stooqServer.baseUrl}/q/d/l/?s=spy.us&i=d`]);
  });
});
