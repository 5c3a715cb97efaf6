import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';

// Scenario: an integrator reads the API's OpenAPI document and docs page; a browser gets the
// security headers and compressed responses.
describe('API surface: OpenAPI, docs, security headers, compression', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(() => hub.close());

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const response = await hub.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json<{
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    }>();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/readyz',
        '/api/meta',
        // Every module's routes, not only those registered after the swagger plugin.
        '/api/identity/sessions',
        '/api/identity/admin/users',
        '/api/market/catalog',
      ]),
    );
    expect(Object.keys(document.paths['/readyz']?.get?.responses ?? {})).toEqual(['200', '503']);
  });

  it('serves the docs page', async () => {
    const response = await hub.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('swagger');
  });

  it('sends helmet security headers', async () => {
    const response = await hub.app.inject({ method: 'GET', url: '/api/meta' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('compresses large responses for clients that accept gzip', async () => {
    const response = await hub.app.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers['content-encoding']).toBe('gzip');
    // gzip's magic number (RFC 1952 §2.3.1).
    expect([...response.rawPayload.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
  });
});
