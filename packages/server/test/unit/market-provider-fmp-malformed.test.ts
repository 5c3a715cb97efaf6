import { afterEach, describe, expect, it } from 'vitest';
import { createFmpSource } from '../../src/modules/market/providers/index.js';
import { rejection } from '../fixtures/market/expect-error.js';
import {
  recording,
  startRecordedServer,
  type RecordedServer,
} from '../fixtures/market/recorded-server.js';

// Scenario: FMP's answer cannot be used: the body was cut off mid-transfer, a field has the wrong
// type, or the prices break the importer's rules. Each is a malformed_response and no bars come
// back, so nothing can be stored.

const API_KEY = 'fmp-test-key-malformed-4';
const json = { 'content-type': 'application/json' };
let server: RecordedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** FMP with the recorded dividend-adjusted series and `pricesBody` as the price series. */
async function fmpWithPrices(pricesBody: string) {
  server = await startRecordedServer({
    '/stable/historical-price-eod/full': { body: pricesBody, headers: json },
    '/stable/historical-price-eod/dividend-adjusted': {
      file: 'fmp-spy-eod-dividend-adjusted.json',
      headers: json,
    },
  });
  return createFmpSource({ apiKey: API_KEY, baseUrl: server.baseUrl, timeoutMs: 5_000 });
}

/** The recorded SPY price series with one day's fields replaced. */
function recordedPricesWith(date: string, change: Record<string, unknown>): string {
  const rows = JSON.parse(recording('fmp-spy-eod-full.json')) as Record<string, unknown>[];
  return JSON.stringify(rows.map((row) => (row.date === date ? { ...row, ...change } : row)));
}

describe('malformed FMP responses', () => {
  it('a body cut off mid-transfer is not JSON', async () => {
    const fmp = await fmpWithPrices(recording('fmp-spy-eod-full-truncated.txt'));
    const error = await rejection(fmp.getDailyBars('SPY'));
    expect(error.kind).toBe('malformed_response');
    expect(error.provider).toBe('fmp');
    expect(error.message).toBe(
      'FMP sent daily prices for SPY that is not JSON (HTTP 200). Nothing was stored.',
    );
  });

  it('a close sent as text is the wrong shape, located by index and field', async () => {
    // Index 2 of the newest-first recording is 2024-12-20.
    const fmp = await fmpWithPrices(recordedPricesWith('2024-12-20', { close: '591.15' }));
    const error = await rejection(fmp.getDailyBars('SPY'));
    expect(error.kind).toBe('malformed_response');
    expect(error.message).toMatch(
      /^FMP sent daily prices for SPY in an unexpected shape at 2\.close /,
    );
  });

  it('a zero close breaks the positive-price rule', async () => {
    const fmp = await fmpWithPrices(recordedPricesWith('2024-12-18', { close: 0 }));
    const error = await rejection(fmp.getDailyBars('SPY'));
    expect(error.kind).toBe('malformed_response');
    expect(error.message).toMatch(/^FMP sent unusable prices for SPY: close on 2024-12-18 is 0 /);
  });

  it('a high below the low breaks the high >= low rule', async () => {
    // 2024-12-19's low is 585.85 (SPY.csv line 8032); a high of 580 is below it.
    const fmp = await fmpWithPrices(recordedPricesWith('2024-12-19', { high: 580 }));
    const error = await rejection(fmp.getDailyBars('SPY'));
    expect(error.kind).toBe('malformed_response');
    expect(error.message).toBe(
      'FMP sent unusable prices for SPY: high 580 is below low 585.85 on 2024-12-19. Nothing was stored.',
    );
  });

  it('a day twice is caught as a repeated date', async () => {
    const rows = JSON.parse(recording('fmp-spy-eod-full.json')) as unknown[];
    const fmp = await fmpWithPrices(JSON.stringify([rows[0], ...rows]));
    const error = await rejection(fmp.getDailyBars('SPY'));
    expect(error.kind).toBe('malformed_response');
    expect(error.message).toContain('date 2024-12-24 appears twice');
  });

  it('a quote that is an object instead of a list is the wrong shape', async () => {
    server = await startRecordedServer({
      '/stable/quote': { body: JSON.stringify({ symbol: 'SPY', price: 661.82 }), headers: json },
    });
    const fmp = createFmpSource({ apiKey: API_KEY, baseUrl: server.baseUrl, timeoutMs: 5_000 });
    const error = await rejection(fmp.getQuote('SPY'));
    expect(error.kind).toBe('malformed_response');
    expect(error.message).toContain('FMP sent a quote for SPY in an unexpected shape');
  });
});
