import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFmpSource, createStooqSource } from '../../src/modules/market/providers/index.js';
import { rejection } from '../fixtures/market/expect-error.js';
import {
  recording,
  startStallingServer,
  type RecordedServer,
} from '../fixtures/market/recorded-server.js';

// Scenario: the provider accepts the request and then never finishes answering: no response at
// all, or a response head and part of the body. MARKET_DATA_TIMEOUT_MS (here 300 ms) ends the
// wait with a network error instead of hanging the request that asked.

const API_KEY = 'fmp-test-key-timeout-07';
const TIMEOUT_MS = 300;
let silent: RecordedServer;
let stalling: RecordedServer;

beforeAll(async () => {
  silent = await startStallingServer();
  stalling = await startStallingServer(recording('fmp-spy-eod-full-truncated.txt'));
});

afterAll(async () => {
  await Promise.all([silent.close(), stalling.close()]);
});

const expectedMessage = (provider: string, symbol: string) =>
  `${provider} could not be reached for ${symbol}: no answer within ${TIMEOUT_MS} ms. Check the network connection or try again later.`;

describe('provider that never answers', () => {
  it('FMP times out with no response at all', async () => {
    const fmp = createFmpSource({
      apiKey: API_KEY,
      baseUrl: silent.baseUrl,
      timeoutMs: TIMEOUT_MS,
    });
    const error = await rejection(fmp.getQuote('SPY'));
    expect(error.kind).toBe('network');
    expect(error.message).toBe(expectedMessage('FMP', 'SPY'));
    expect(silent.requests.map((url) => url.pathname)).toContain('/stable/quote');
  });

  it('FMP times out when the body stops half-way', async () => {
    const fmp = createFmpSource({
      apiKey: API_KEY,
      baseUrl: stalling.baseUrl,
      timeoutMs: TIMEOUT_MS,
    });
    const error = await rejection(fmp.getDailyBars('SPY'));
    expect(error.kind).toBe('network');
    expect(error.message).toBe(expectedMessage('FMP', 'SPY'));
  });

  it('Stooq times out the same way', async () => {
    const stooq = createStooqSource({ baseUrl: silent.baseUrl, timeoutMs: TIMEOUT_MS });
    const error = await rejection(stooq.getDailyBars('SPY'));
    expect(error.kind).toBe('network');
    expect(error.message).toBe(expectedMessage('Stooq', 'SPY'));
  });
});
