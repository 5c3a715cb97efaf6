import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFmpSource, type PriceSource } from '../../src/modules/market/providers/index.js';
import { rejection } from '../fixtures/market/expect-error.js';
import { startRecordedServer, type RecordedServer } from '../fixtures/market/recorded-server.js';

// Scenario: FMP answers with its `{"Error Message": …}` bodies: a rejected key (401), a symbol
// outside the plan (402), the same kind of message in a 200, and `[]` for a symbol it does not
// know. Each becomes a MarketDataError of the right kind whose message names FMP and the symbol.

const API_KEY = 'fmp-test-key-errors-81';
const json = { 'content-type': 'application/json' };
const servers: RecordedServer[] = [];

/** An FMP source whose recorded server answers every endpoint with one recording. */
async function fmpAnswering(status: number, file: string): Promise<PriceSource> {
  const route = { status, file, headers: json };
  const server = await startRecordedServer({
    '/stable/historical-price-eod/full': route,
    '/stable/historical-price-eod/dividend-adjusted': route,
    '/stable/quote': route,
  });
  servers.push(server);
  return createFmpSource({ apiKey: API_KEY, baseUrl: server.baseUrl, timeoutMs: 5_000 });
}

let invalidKey: PriceSource;
let premium: PriceSource;
let errorIn200: PriceSource;
let empty: PriceSource;

beforeAll(async () => {
  invalidKey = await fmpAnswering(401, 'fmp-error-invalid-api-key.json');
  premium = await fmpAnswering(402, 'fmp-error-premium-symbol.json');
  errorIn200 = await fmpAnswering(200, 'fmp-error-premium-symbol.json');
  empty = await fmpAnswering(200, 'fmp-empty.json');
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('FMP error bodies', () => {
  it('401 "Invalid API KEY" is not_configured and points at FMP_API_KEY', async () => {
    for (const call of [invalidKey.getDailyBars('SPY'), invalidKey.getQuote('SPY')]) {
      const error = await rejection(call);
      expect(error.kind).toBe('not_configured');
      expect(error.provider).toBe('fmp');
      expect(error.message).toContain('FMP rejected the API key while fetching SPY');
      expect(error.message).toContain('check FMP_API_KEY');
      expect(error.message).toContain('Invalid API KEY.');
    }
  });

  it('402 for a symbol outside the plan is a provider_error quoting FMP', async () => {
    const error = await rejection(premium.getDailyBars('BRK.B'));
    expect(error.kind).toBe('provider_error');
    expect(error.message).toMatch(
      /^FMP refused .* for BRK\.B \(HTTP 402\); the FMP plan may not include it\./,
    );
    expect(error.message).toContain('Premium Query Parameter');
  });

  it('an error message in a 200 body is still an error, not data', async () => {
    const error = await rejection(errorIn200.getQuote('SPY'));
    expect(error.kind).toBe('provider_error');
    expect(error.message).toContain('FMP could not send a quote for SPY');
  });

  it('[] for history and quote means FMP does not know the symbol', async () => {
    for (const call of [empty.getDailyBars('XYZQ'), empty.getQuote('XYZQ')]) {
      const error = await rejection(call);
      expect(error.kind).toBe('unknown_symbol');
      expect(error.message).toBe('FMP has no prices for XYZQ.');
    }
  });
});
