import { MarketDataError, type ProviderName } from './types.js';

/** What one provider request needs besides its URL. */
export interface RequestContext {
  readonly provider: ProviderName;
  /** Shown to the user: "FMP", "Stooq". */
  readonly providerLabel: string;
  readonly symbol: string;
  readonly timeoutMs: number;
  readonly fetchImpl: typeof fetch;
}

export interface ProviderResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/**
 * GET a URL and read its whole body under one timeout. Only transport failures throw here (as
 * 'network'); the caller maps HTTP statuses, because each provider signals errors differently.
 * The URL is never put into a message: it may carry an API key.
 */
export async function getText(url: URL, context: RequestContext): Promise<ProviderResponse> {
  try {
    const response = await context.fetchImpl(url, {
      headers: { accept: 'application/json, text/csv;q=0.9, */*;q=0.1' },
      signal: AbortSignal.timeout(context.timeoutMs),
      redirect: 'follow',
    });
    // The body is read under the same signal, so a server that stalls mid-body also times out.
    const body = await response.text();
    return { status: response.status, headers: response.headers, body };
  } catch (error: unknown) {
    throw new MarketDataError(
      'network',
      context.provider,
      `${context.providerLabel} could not be reached for ${context.symbol}: ${describeTransportFailure(error, context.timeoutMs)}. Check the network connection or try again later.`,
    );
  }
}

/** A short, key-free reason for a failed fetch (undici wraps the socket error in `cause`). */
function describeTransportFailure(error: unknown, timeoutMs: number): string {
  if (
    error instanceof DOMException &&
    (error.name === 'TimeoutError' || error.name === 'AbortError')
  ) {
    return `no answer within ${timeoutMs} ms`;
  }
  const code = errorCode(error instanceof Error ? error.cause : undefined) ?? errorCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection closed unexpectedly';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'connection timed out';
    case undefined:
      return 'request failed';
    default:
      return `request failed (${code})`;
  }
}

function errorCode(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null && 'code' in value) {
    const { code } = value;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/**
 * Seconds to wait from a Retry-After header: either delta-seconds or an HTTP date, which is
 * measured against the response's own Date header (providers take no clock).
 */
export function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const retryAt = Date.parse(value);
  const sentAt = Date.parse(headers.get('date') ?? '');
  if (Number.isNaN(retryAt) || Number.isNaN(sentAt)) return undefined;
  return Math.max(0, Math.ceil((retryAt - sentAt) / 1000));
}

/**
 * Replace every occurrence of a secret (as is, or URL-encoded as it travels in a query) with a
 * marker, for text that came back from a provider.
 */
export function redact(text: string, secret: string | null): string {
  if (secret === null || secret === '') return text;
  return [secret, encodeURIComponent(secret)].reduce(
    (cleaned, form) => cleaned.split(form).join('[redacted]'),
    text,
  );
}

/** Keep provider-supplied text short in user-facing messages. */
export function clip(text: string, max = 200): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}
