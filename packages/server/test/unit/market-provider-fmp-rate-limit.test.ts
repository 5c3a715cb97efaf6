import { afterEach, describe, expect, it } from 'vitest';
import { createFmpSource } from '../../src/modules/market/providers/index.js';
import { rejection } from '../fixtures/market/expect-error.js';
import {
  startRecordedServer,
  type RecordedResponse,
  type RecordedServer,
} from '../fixtures/market/recorded-server.js';

// Scenario: the FMP plan's request limit is used up. FMP answers 429 with its "Limit Reach" body
// (with Retry-After as seconds or as a date), or reports the same message in a 200.

const API_KEY = 'fmp-test-key-limit-19';
let server: RecordedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function fmpAnswering(route: RecordedResponse) {
  server = await startRecordedServer({
    '/stable/historical-price-eod/full': route,
    '/stable/historical-price-eod/dividend-adjusted': route,
    '/stable/quote': route,
  });
  return createFmpSource({ apiKey: API_KEY, baseUrl: server.baseUrl, timeoutMs: 5_000 });
}

describe('FMP rate limit', () => {
  it('429 with Retry-After: 60 is rate_limited with 60 s to wait', async () => {
    const fmp = await fmpAnswering({
      status: 429,
      file: 'fmp-error-limit-reach.json',
      headers: { 'content-type': 'application/json', 'retry-after': '60' },
    });
    for (const call of [fmp.getDailyBars('SPY'), fmp.getQuote('SPY')]) {
      const error = await rejection(call);
      expect(error.kind).toBe('rate_limited');
      expect(error.provider).toBe('fmp');
      expect(error.retryAfterSeconds).toBe(60);
      expect(error.message).toMatch(
        /^FMP's request limit was reached while fetching .* for SPY; try again in 60 s/,
      );
    }
  });

  it('a Retry-After date is counted from the response Date header', async () => {
    const fmp = await fmpAnswering({
      status: 429,
      file: 'fmp-error-limit-reach.json',
      // 12:00:00 → 12:02:30 is 150 s.
      headers: {
        'content-type': 'application/json',
        date: 'Wed, 01 Oct 2025 12:00:00 GMT',
        'retry-after': 'Wed, 01 Oct 2025 12:02:30 GMT',
      },
    });
    const error = await rejection(fmp.getQuote('SPY'));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBe(150);
  });

  it('"Limit Reach" in a 200 body is rate_limited without a wait time', async () => {
    const fmp = await fmpAnswering({ status: 200, file: 'fmp-error-limit-reach.json' });
    const error = await rejection(fmp.getDailyBars('SPY'));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterSeconds).toBeUndefined();
    expect(error.message).toContain('try again later');
  });
});
