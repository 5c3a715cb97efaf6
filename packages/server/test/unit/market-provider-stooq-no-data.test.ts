import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStooqSource, type PriceSource } from '../../src/modules/market/providers/index.js';
import { rejection } from '../fixtures/market/expect-error.js';
import { startRecordedServer, type RecordedServer } from '../fixtures/market/recorded-server.js';

// Scenario: Stooq is asked for a symbol it does not list and answers its plain "No data".

let server: RecordedServer;
let stooq: PriceSource;

beforeAll(async () => {
  server = await startRecordedServer({
    '/q/d/l/': { file: 'stooq-no-data.txt', headers: { 'content-type': 'text/plain' } },
  });
  stooq = createStooqSource({ baseUrl: server.baseUrl, timeoutMs: 5_000 });
});

afterAll(async () => {
  await server.close();
});

describe('Stooq "No data"', () => {
  it('is unknown_symbol for the whole history and for a quote', async () => {
    for (const call of [stooq.getDailyBars('XYZQ'), stooq.getQuote('XYZQ')]) {
      const error = await rejection(call);
      expect(error.kind).toBe('unknown_symbol');
      expect(error.provider).toBe('stooq');
      expect(error.message).toBe('Stooq has no prices for XYZQ.');
    }
    expect(server.requests[0]?.searchParams.get('s')).toBe('xyzq.us');
  });

  it('is an empty window, not an error, when the request had a date bound', async () => {
    expect(await stooq.getDailyBars('SPY', '2025-09-27')).toEqual([]);
  });
});
