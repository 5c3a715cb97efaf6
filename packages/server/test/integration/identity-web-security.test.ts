import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { createUser, sessionCookieOf, signIn } from '../helpers/identity.js';

// Scenario: a browser on another site, and odd payloads, against the hub's API (specs/identity.md
// §4.5, §4.6, C-01, W-01..W-06, V-04, V-06, V-07, K-03).
describe('browser and input security', () => {
  let hub: TestHub;
  let cookie = '';
  beforeAll(async () => {
    hub = await createTestHub({
      env: { NODE_ENV: 'production', APP_BASE_URL: 'https://hub.example.com' },
    });
    await createUser(hub, {
      email: 'viewer@example.com',
      password: 'viewer pass phrase 1',
      role: 'viewer',
    });
    cookie = await signIn(hub, 'viewer@example.com', 'viewer pass phrase 1');
  });
  afterAll(() => hub.close());

  it('C-01: every /api route declares its access (deny by default at registration)', async () => {
    const probe = await createTestHub({
      beforeReady: (app) => {
        app.get('/api/probe/undeclared', () => 'should never register');
      },
    }).catch((error: unknown) => error);
    expect(probe).toBeInstanceOf(Error);
    expect(String(probe)).toContain('route GET /api/probe/undeclared declares no access (C-01)');
  });

  it('W-01: a POST from another origin, or marked cross-site, is refused with 403', async () => {
    const evil = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions',
      headers: { origin: 'https://evil.example' },
      payload: { email: 'viewer@example.com', password: 'viewer pass phrase 1' },
    });
    expect(evil.statusCode).toBe(403);
    expect(evil.headers['set-cookie']).toBeUndefined();
    const crossSite = await hub.app.inject({
      method: 'DELETE',
      url: '/api/identity/sessions/current',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.statusCode).toBe(403);
    expect(
      (await hub.app.inject({ url: '/api/identity/me', headers: { cookie } })).statusCode,
    ).toBe(200);
    const same = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/me/reauth',
      headers: { cookie, origin: 'https://hub.example.com' },
      payload: { password: 'viewer pass phrase 1' },
    });
    expect(same.statusCode).toBe(204);
    cookie = sessionCookieOf(same) ?? '';
  });

  it('W-03 / W-06: security headers and no-store on every API answer', async () => {
    const response = await hub.app.inject({ url: '/api/identity/me', headers: { cookie } });
    expect(response.headers['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect(String(response.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('W-04: no CORS grant for an unknown origin', async () => {
    const preflight = await hub.app.inject({
      method: 'OPTIONS',
      url: '/api/identity/sessions',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('V-04: SQL in an email is just text', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions',
      payload: { email: "' OR 1=1--@x.example", password: 'anything goes here' },
    });
    expect(response.statusCode).toBe(401);
    const users = await hub.database.db.selectFrom('identity.users').select('email').execute();
    expect(users).toHaveLength(1);
  });

  it('V-06 / V-07: oversized and prototype-polluting bodies get 4xx', async () => {
    const big = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.example', password: 'x'.repeat(200_000) }),
    });
    expect(big.statusCode).toBe(413);
    const proto = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":"a@b.example","password":"xxxxxxxxxxxxxx","__proto__":{"role":"admin"}}',
    });
    expect(proto.statusCode).toBe(400);
    const ctor = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions',
      headers: { 'content-type': 'application/json' },
      payload:
        '{"email":"a@b.example","password":"xxxxxxxxxxxxxx","constructor":{"prototype":{"role":"admin"}}}',
    });
    expect(ctor.statusCode).toBe(400);
  });

  it('C-05: the profile accepts only first and last name', async () => {
    const response = await hub.app.inject({
      method: 'PATCH',
      url: '/api/identity/me',
      headers: { cookie },
      payload: {
        first_name: 'Val',
        last_name: 'Viewer',
        role: 'admin',
        is_approved: true,
        is_staff: true,
      },
    });
    expect(response.statusCode).toBe(400);
    const row = await hub.database.db
      .selectFrom('identity.users')
      .select(['role', 'first_name'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ role: 'viewer', first_name: 'Test' });
  });

  it('K-03: a server error answers a generic problem without a stack trace', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});
