import { describe, expect, it } from 'vitest';
import {
  ApiError,
  apiGet,
  apiPost,
  NETWORK_ERROR_TITLE,
  parseProblem,
  type FetchLike,
} from '../src/api/client';

// Problem bodies follow RFC 9457 section 3: type, title, status, detail, instance, plus the
// "errors" extension member used by the hub ({ path, message } per invalid field).

describe('parseProblem', () => {
  it('reads every member of a valid problem+json body', () => {
    const body = JSON.stringify({
      type: 'https://umbrella.example/problems/validation',
      title: 'Invalid request',
      status: 422,
      detail: 'Two fields are invalid.',
      instance: '/api/margin/calculations/42',
      errors: [
        { path: 'email', message: 'must be an email address' },
        { path: 'quantity', message: 'must be positive' },
      ],
    });
    const error = parseProblem(422, 'Unprocessable Entity', body);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(422);
    expect(error.type).toBe('https://umbrella.example/problems/validation');
    expect(error.title).toBe('Invalid request');
    expect(error.detail).toBe('Two fields are invalid.');
    expect(error.instance).toBe('/api/margin/calculations/42');
    expect(error.errors).toEqual([
      { path: 'email', message: 'must be an email address' },
      { path: 'quantity', message: 'must be positive' },
    ]);
  });

  it('defaults type to about:blank and keeps optional members absent (RFC 9457 3.1.1)', () => {
    const error = parseProblem(404, 'Not Found', '{"title":"Not Found","status":404}');
    expect(error.type).toBe('about:blank');
    expect(error.title).toBe('Not Found');
    expect(error.detail).toBeUndefined();
    expect(error.instance).toBeUndefined();
    expect(error.errors).toEqual([]);
  });

  it('takes the status from the HTTP response, not from the body (RFC 9457 3.1.3)', () => {
    const error = parseProblem(503, 'Service Unavailable', '{"title":"Busy","status":200}');
    expect(error.status).toBe(503);
  });

  it('titles a problem without a title with the reason phrase of its status (RFC 9110)', () => {
    expect(parseProblem(403, '', '{"detail":"Admins only."}').title).toBe('Forbidden');
  });

  it('turns a non-JSON error body into an about:blank problem with the reason phrase', () => {
    const error = parseProblem(502, 'Bad Gateway', '<html><body>upstream error</body></html>');
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(502);
    expect(error.type).toBe('about:blank');
    expect(error.title).toBe('Bad Gateway');
    expect(error.detail).toBeUndefined();
    expect(error.errors).toEqual([]);
  });

  it('handles an empty body and a JSON body that is not an object', () => {
    expect(parseProblem(500, '', '').title).toBe('Internal Server Error');
    expect(parseProblem(500, '', '[1,2]').title).toBe('Internal Server Error');
    expect(parseProblem(599, '', '').title).toBe('HTTP error 599');
  });

  it('drops malformed entries of errors', () => {
    const body = '{"title":"Invalid","errors":[{"path":"a","message":"bad"},{"path":1},"x"]}';
    expect(parseProblem(400, '', body).errors).toEqual([{ path: 'a', message: 'bad' }]);
  });
});

function respond(status: number, body: string, contentType: string): FetchLike {
  return () =>
    Promise.resolve(new Response(body, { status, headers: { 'Content-Type': contentType } }));
}

describe('apiGet and apiPost', () => {
  it('throws ApiError with status 0 and a clear title when the network fails', async () => {
    const failing: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    const error: unknown = await apiGet('/api/meta', undefined, { fetch: failing }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    if (!(error instanceof ApiError)) return;
    expect(error.status).toBe(0);
    expect(error.title).toBe('The server could not be reached');
    expect(error.title).toBe(NETWORK_ERROR_TITLE);
    expect(error.detail).toContain('Failed to fetch');
  });

  it('throws the parsed problem of a non-2xx answer', async () => {
    const fetch = respond(
      404,
      '{"type":"about:blank","title":"Not Found","status":404,"detail":"No route POST /api/identity/sessions"}',
      'application/problem+json',
    );
    const error: unknown = await apiPost('/api/identity/sessions', { email: 'a@b.co' }, undefined, {
      fetch,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    if (!(error instanceof ApiError)) return;
    expect(error.status).toBe(404);
    expect(error.title).toBe('Not Found');
    expect(error.detail).toBe('No route POST /api/identity/sessions');
  });

  it('sends same-origin JSON and returns the parsed body', async () => {
    let seen: { input: string; init: RequestInit } | undefined;
    const fetch: FetchLike = (input, init) => {
      seen = { input, init };
      return Promise.resolve(new Response('{"ok":true}', { status: 201 }));
    };
    const result = await apiPost<{ ok: boolean }>('/api/x', { a: 1 }, undefined, { fetch });
    expect(result).toEqual({ ok: true });
    expect(seen?.input).toBe('/api/x');
    expect(seen?.init.method).toBe('POST');
    expect(seen?.init.credentials).toBe('same-origin');
    expect(seen?.init.body).toBe('{"a":1}');
    expect(seen?.init.headers).toMatchObject({ 'Content-Type': 'application/json' });
  });

  it('checks the body with the schema and reports a mismatch as ApiError', async () => {
    const schema = {
      parse(value: unknown): number {
        if (typeof value !== 'number') throw new Error('expected a number');
        return value;
      },
    };
    await expect(
      apiGet('/api/n', schema, { fetch: respond(200, '7', 'application/json') }),
    ).resolves.toBe(7);
    const error: unknown = await apiGet('/api/n', schema, {
      fetch: respond(200, '"seven"', 'application/json'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    if (!(error instanceof ApiError)) return;
    expect(error.status).toBe(200);
    expect(error.detail).toBe('expected a number');
  });
});
