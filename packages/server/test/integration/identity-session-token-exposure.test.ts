import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/modules/identity/crypto.js';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser } from '../helpers/identity.js';
import { routeTable } from '../helpers/routes.js';

const BASE = 'https://hub.example.com';
const ADMIN = { email: 'ada.admin@example.com', password: 'granite meadow lantern 41' };
const ANALYST = {
  email: 'lucas.meyer@northbridge.example',
  password: 'northbridge backtest seven',
};
const COOKIE = '__Host-umbrella_session';

interface Seen {
  readonly what: string;
  readonly response: LightMyRequestResponse;
}

// Scenario: an analyst and an admin use their accounts for a while (sign-in, profile, sessions,
// re-authentication, password change, sign-out) while every log line is kept at trace level; then
// every answer and every log line is searched for any session token the browser ever held
// (specs/identity.md S-04, ASVS 5.0 14.2.1; §3.9 "Logging").
describe('the session token stays in the cookie', () => {
  const clock = manualClock();
  let hub: TestHub;
  let analystId = 0;
  const seen: Seen[] = [];
  /** Every session token a Set-Cookie header ever carried. */
  const tokens = new Set<string>();
  let analyst = '';
  let admin = '';

  async function call(
    what: string,
    request: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object },
    cookie?: string,
  ): Promise<LightMyRequestResponse> {
    const response = await hub.app.inject({
      method: request.method ?? 'GET',
      url: request.url,
      headers: cookie === undefined ? {} : { cookie },
      ...(request.payload === undefined ? {} : { payload: request.payload }),
    });
    seen.push({ what, response });
    const set = response.cookies.find((entry) => entry.name === COOKIE);
    if (set !== undefined && set.value !== '') tokens.add(set.value);
    return response;
  }
  const cookieFrom = (response: LightMyRequestResponse, previous: string) => {
    const set = response.cookies.find((entry) => entry.name === COOKIE);
    return set === undefined || set.value === '' ? previous : `${COOKIE}=${set.value}`;
  };

  beforeAll(async () => {
    hub = await createTestHub({
      clock,
      captureLogs: true,
      env: { APP_BASE_URL: BASE, MFA_REQUIRED_ROLES: 'none', LOG_LEVEL: 'trace' },
    });
    await createUser(hub, { ...ADMIN, role: 'admin' });
    analystId = (await createUser(hub, { ...ANALYST, role: 'analyst' })).id;

    const signIn = async (user: typeof ADMIN) => {
      const response = await call('sign-in', {
        method: 'POST',
        url: '/api/identity/sessions',
        payload: user,
      });
      expect(response.statusCode).toBe(200);
      return cookieFrom(response, '');
    };
    analyst = await signIn(ANALYST);
    await signIn(ANALYST); // a second device
    admin = await signIn(ADMIN);

    // The account routes, then every GET route of the app, as the analyst and as the admin.
    const profile = await call(
      'profile',
      {
        method: 'PATCH',
        url: '/api/identity/me',
        payload: { first_name: 'Lu', last_name: 'Meyer' },
      },
      analyst,
    );
    expect(profile.statusCode).toBe(200);
    clock.advance(2 * 60_000);
    const reauth = await call(
      'reauth',
      { method: 'POST', url: '/api/identity/me/reauth', payload: { password: ANALYST.password } },
      analyst,
    );
    expect(reauth.statusCode).toBe(204);
    analyst = cookieFrom(reauth, analyst);
    for (const route of routeTable(hub.app).filter((entry) => entry.method === 'GET')) {
      const url = route.url.replace(/:[a-z_]+/gi, String(analystId)).replace(/\*/g, 's04');
      await call(`GET ${route.url} (analyst)`, { url }, analyst);
      await call(`GET ${route.url} (admin)`, { url }, admin);
    }
    const others = await call(
      'revoke others',
      { method: 'POST', url: '/api/identity/me/sessions/revoke-others' },
      analyst,
    );
    analyst = cookieFrom(others, analyst);
    const password = await call(
      'password change',
      {
        method: 'POST',
        url: '/api/identity/me/password',
        payload: { current_password: ANALYST.password, new_password: 'northbridge backtest eight' },
      },
      analyst,
    );
    expect(password.statusCode).toBe(204);
    analyst = cookieFrom(password, analyst);
    await call('sessions after change', { url: '/api/identity/me/sessions' }, analyst);
    await call('admin session list', { url: '/api/identity/admin/sessions' }, admin);
    await call('sign-out', { method: 'DELETE', url: '/api/identity/sessions/current' }, analyst);
  });
  afterAll(() => hub.close());

  it('S-04: the flow really ran: several tokens were issued and the logs were captured', () => {
    // Two sign-ins + admin, re-authentication, revoke-others and password change each rotate.
    expect(tokens.size).toBeGreaterThanOrEqual(6);
    expect(seen.filter((entry) => entry.response.statusCode >= 500)).toEqual([]);
    expect(hub.logs.some((line) => line.includes('"url":"/api/identity/me/sessions"'))).toBe(true);
  });

  it('S-04: no answer body and no header but Set-Cookie carries a session token or its hash', () => {
    const leaks: string[] = [];
    for (const { what, response } of seen) {
      const headers = Object.entries(response.headers)
        .filter(([name]) => name !== 'set-cookie')
        .map(([name, value]) => `${name}: ${String(value)}`)
        .join('\n');
      for (const token of tokens) {
        for (const secret of [token, sha256Hex(token)]) {
          if (response.body.includes(secret)) leaks.push(`${what}: body`);
          if (headers.includes(secret)) leaks.push(`${what}: headers`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('S-04: no log line (request URLs included) carries a session token or its hash', () => {
    const leaks = hub.logs.filter((line) =>
      [...tokens].some((token) => line.includes(token) || line.includes(sha256Hex(token))),
    );
    expect(leaks).toEqual([]);
  });

  it('S-04: a token in the URL or an Authorization header is not a session (only the cookie is)', async () => {
    const live = admin.split('=')[1] ?? '';
    expect((await call('cookie', { url: '/api/identity/me' }, admin)).statusCode).toBe(200);
    for (const url of [`/api/identity/me?session=${live}`, `/api/identity/me?${COOKIE}=${live}`]) {
      expect((await hub.app.inject({ url })).statusCode, url).toBe(401);
    }
    const bearer = await hub.app.inject({
      url: '/api/identity/me',
      headers: { authorization: `Bearer ${live}` },
    });
    expect(bearer.statusCode).toBe(401);
  });

  it('S-04: every answer tells the browser to send at most the origin as Referer off-site', () => {
    const policies = new Set(
      seen.map((entry) => String(entry.response.headers['referrer-policy'])),
    );
    expect(policies).toEqual(new Set(['strict-origin-when-cross-origin']));
  });
});
