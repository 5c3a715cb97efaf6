import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFmpSource,
  type MarketDataError,
  type PriceSource,
} from '../../src/modules/market/providers/index.js';
import { rejection } from '../fixtures/market/expect-error.js';
import {
  recording,
  startRecordedServer,
  startStallingServer,
  unusedBaseUrl,
  type RecordedResponse,
  type RecordedServer,
} from '../fixtures/market/recorded-server.js';

// Scenario: every way an FMP request can fail, with a recognisable key. The key goes out in the
// request (FMP needs it) but never comes back in anything a user or a log could see: the
// message, the stack, the error's JSON, or its cause.

const API_KEY = 'SECRET-fmp-key-0d9c7e21';
const json = { 'content-type': 'application/json' };
const servers: RecordedServer[] = [];

async function fmpAnswering(route: RecordedResponse): Promise<PriceSource> {
  const server = await startRecordedServer({
    '/stable/historical-price-eod/full': route,
    '/stable/historical-price-eod/dividend-adjusted': route,
    '/stable/quote': route,
  });
  servers.push(server);
  return createFmpSource({ apiKey: API_KEY, baseUrl: server.baseUrl, timeoutMs: 300 });
}

function everythingVisible(error: MarketDataError): string {
  return [
    error.message,
    error.stack ?? '',
    String(error),
    JSON.stringify(error),
    JSON.stringify(error.cause ?? null),
  ].join('\n');
}

const scenarios: [string, () => Promise<PriceSource>][] = [
  [
    '401 invalid key',
    () => fmpAnswering({ status: 401, file: 'fmp-error-invalid-api-key.json', headers: json }),
  ],
  [
    // An upstream (or a proxy in front of it) that echoes the request URL with the key.
    '403 echoing the key',
    () =>
      fmpAnswering({
        status: 403,
        body: JSON.stringify({
          'Error Message': `Invalid API KEY for /stable/quote?symbol=SPY&apikey=${API_KEY}`,
        }),
        headers: json,
      }),
  ],
  [
    '402 plan',
    () => fmpAnswering({ status: 402, file: 'fmp-error-premium-symbol.json', headers: json }),
  ],
  [
    '429 limit',
    () =>
      fmpAnswering({
        status: 429,
        file: 'fmp-error-limit-reach.json',
        headers: { ...json, 'retry-after': '30' },
      }),
  ],
  [
    '500 server error',
    () => fmpAnswering({ status: 500, body: `upstream failed for apikey=${API_KEY}` }),
  ],
  ['truncated body', () => fmpAnswering({ body: recording('fmp-spy-eod-full-truncated.txt') })],
  ['unknown symbol', () => fmpAnswering({ file: 'fmp-empty.json', headers: json })],
  [
    'connection refused',
    async () =>
      createFmpSource({ apiKey: API_KEY, baseUrl: await unusedBaseUrl(), timeoutMs: 300 }),
  ],
  [
    'timeout',
    async () => {
      const server = await startStallingServer();
      servers.push(server);
      return createFmpSource({ apiKey: API_KEY, baseUrl: server.baseUrl, timeoutMs: 300 });
    },
  ],
];

const sources = new Map<string, PriceSource>();

beforeAll(async () => {
  for (const [name, make] of scenarios) sources.set(name, await make());
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('the FMP API key stays secret', () => {
  it.each(scenarios.map(([name]) => name))('%s', async (name) => {
    const fmp = sources.get(name);
    if (fmp === undefined) throw new Error(`no source for ${name}`);
    for (const call of [fmp.getDailyBars('SPY'), fmp.getQuote('SPY')]) {
      const error = await rejection(call);
      expect(error.message).toContain('SPY');
      expect(everythingVisible(error)).not.toContain(API_KEY);
    }
  });

  it('is sent to FMP as the apikey parameter', () => {
    const asked = servers.flatMap((server) => server.requests);
    expect(asked.length).toBeGreaterThan(0);
    for (const url of asked) expect(url.searchParams.get('apikey')).toBe(API_KEY);
  });
});
