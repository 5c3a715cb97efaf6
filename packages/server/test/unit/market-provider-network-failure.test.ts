import { beforeAll, describe, expect, it } from 'vitest';
import { createFmpSource, createStooqSource } from '../../src/modules/market/providers/index.js';
import { rejection } from '../fixtures/market/expect-error.js';
import { unusedBaseUrl } from '../fixtures/market/recorded-server.js';

// Scenario: no network: the provider's address refuses connections (a 127.0.0.1 port on which
// nothing listens).

const API_KEY = 'fmp-test-key-offline-62';
let baseUrl: string;

beforeAll(async () => {
  baseUrl = await unusedBaseUrl();
});

describe('provider unreachable', () => {
  it('FMP history and quote fail as network errors naming FMP and the symbol', async () => {
    const fmp = createFmpSource({ apiKey: API_KEY, baseUrl, timeoutMs: 5_000 });
    for (const call of [fmp.getDailyBars('SPY'), fmp.getQuote('SPY')]) {
      const error = await rejection(call);
      expect(error.kind).toBe('network');
      expect(error.provider).toBe('fmp');
      expect(error.message).toBe(
        'FMP could not be reached for SPY: connection refused. Check the network connection or try again later.',
      );
    }
  });

  it('Stooq fails the same way', async () => {
    const stooq = createStooqSource({ baseUrl, timeoutMs: 5_000 });
    const error = await rejection(stooq.getDailyBars('QQQ'));
    expect(error.kind).toBe('network');
    expect(error.provider).toBe('stooq');
    expect(error.message).toBe(
      'Stooq could not be reached for QQQ: connection refused. Check the network connection or try again later.',
    );
  });
});
