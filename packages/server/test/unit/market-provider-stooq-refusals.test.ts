import { afterEach, describe, expect, it } from 'vitest';
import { createStooqSource } from '../../src/modules/market/providers/index.js';
import { rejection } from '../fixtures/market/expect-error.js';
import {
  startRecordedServer,
  type RecordedResponse,
  type RecordedServer,
} from '../fixtures/market/recorded-server.js';

// Scenario: Stooq answers HTTP 200 but refuses: its daily download limit notice, or a browser
// check page instead of CSV. Neither may be read as prices.

let server: RecordedServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function stooqAnswering(route: RecordedResponse) {
  server = await startRecordedServer({ '/q/d/l/': route });
  return createStooqSource({ baseUrl: server.baseUrl, timeoutMs: 5_000 });
}

describe('Stooq refusals', () => {
  it('"Exceeded the daily hits limit" is rate_limited', async () => {
    const stooq = await stooqAnswering({ file: 'stooq-daily-hits-limit.txt' });
    const error = await rejection(stooq.getDailyBars('SPY'));
    expect(error.kind).toBe('rate_limited');
    expect(error.provider).toBe('stooq');
    expect(error.message).toBe(
      "Stooq's daily download limit was reached while fetching SPY; try again tomorrow.",
    );
  });

  it('a browser check page is malformed_response, suggesting a CSV import', async () => {
    const stooq = await stooqAnswering({
      file: 'stooq-browser-check.html',
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
    const error = await rejection(stooq.getQuote('SPY'));
    expect(error.kind).toBe('malformed_response');
    expect(error.message).toContain('Stooq answered with a web page instead of CSV prices for SPY');
    expect(error.message).toContain('Import a CSV instead');
  });

  it('a CSV with a bad row is malformed_response naming the row and column', async () => {
    // Row 3 (line 3) of the recording (2025-09-22) with its close blanked.
    const stooq = await stooqAnswering({
      body: [
        'Date,Open,High,Low,Close,Volume',
        '2025-09-19,662.33,664.55,660.37,663.7,97945600',
        '2025-09-22,662.2,667.29,662.17,,69452200',
      ].join('\r\n'),
    });
    const error = await rejection(stooq.getDailyBars('SPY'));
    expect(error.kind).toBe('malformed_response');
    expect(error.message).toMatch(
      /^Stooq sent unusable prices for SPY: row 3 Close "" is not a number\. Nothing was stored\.$/,
    );
  });

  it('HTTP 503 is provider_error', async () => {
    const stooq = await stooqAnswering({ status: 503, body: 'Service Unavailable' });
    const error = await rejection(stooq.getDailyBars('SPY'));
    expect(error.kind).toBe('provider_error');
    expect(error.message).toBe('Stooq failed to send prices for SPY (HTTP 503); try again later.');
  });
});
