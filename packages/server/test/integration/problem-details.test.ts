import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpProblem } from '../../src/http/problem.js';
import { createTestHub, type TestHub } from '../helpers/app.js';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/** Routes shaped like a module's, added to the real app to exercise its error handling. */
function addProbeRoutes(app: FastifyInstance): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    '/api/probe/positions',
    {
      config: { access: 'public' },
      schema: {
        body: z.object({
          symbol: z.string().regex(/^[A-Z]{1,5}$/, 'must be 1 to 5 capital letters'),
          shares: z.number().int().positive(),
        }),
      },
    },
    (request) => ({ accepted: request.body.symbol }),
  );
  typed.get('/api/probe/conflict', { config: { access: 'public' } }, () => {
    throw new HttpProblem(409, 'Quota reached', 'You already have 50 saved results.');
  });
  typed.get('/api/probe/crash', { config: { access: 'public' } }, () => {
    throw new Error('connection string postgres://admin:hunter2@db/prod exploded');
  });
}

// Scenario: clients send bad requests and hit a bug; every answer is RFC 9457 problem+json that
// names what is wrong, and a 5xx never shows internals.
describe('problem+json errors', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub({ beforeReady: addProbeRoutes });
  });
  afterAll(() => hub.close());

  it('names every bad field of a body', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/probe/positions',
      payload: { symbol: 'spy!', shares: -3 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe(PROBLEM_JSON);
    const problem = response.json<{ errors: { path: string; message: string }[] }>();
    expect(problem).toMatchObject({
      type: 'about:blank',
      title: 'Invalid request',
      status: 400,
      instance: '/api/probe/positions',
    });
    expect(problem.errors.map((error) => error.path)).toEqual(['body.symbol', 'body.shares']);
    expect(problem.errors[0]?.message).toBe('must be 1 to 5 capital letters');
  });

  it('a missing field is named too', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/probe/positions',
      payload: { symbol: 'SPY' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toEqual([
      'body.shares',
    ]);
  });

  it('malformed JSON is a 400 problem', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/probe/positions',
      headers: { 'content-type': 'application/json' },
      payload: '{"symbol": "SPY",',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe(PROBLEM_JSON);
    expect(response.json()).toMatchObject({ title: 'Bad Request', status: 400 });
  });

  it('an HttpProblem thrown by a service keeps its status, title and detail', async () => {
    const response = await hub.app.inject({ method: 'GET', url: '/api/probe/conflict' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Quota reached',
      status: 409,
      detail: 'You already have 50 saved results.',
      instance: '/api/probe/conflict',
    });
  });

  it('an unexpected error is a generic 500 that leaks nothing', async () => {
    const response = await hub.app.inject({ method: 'GET', url: '/api/probe/crash' });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toBe(PROBLEM_JSON);
    expect(response.json()).toMatchObject({ title: 'Internal Server Error', status: 500 });
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('exploded');
    expect(response.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('an unknown API route is a 404 problem, even for a browser', async () => {
    const response = await hub.app.inject({
      method: 'GET',
      url: '/api/no-such-thing?x=1',
      headers: { accept: 'text/html' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'There is no GET /api/no-such-thing here.',
      instance: '/api/no-such-thing',
    });
  });
});
