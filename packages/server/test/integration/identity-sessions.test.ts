import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, sessionCookieOf, signIn, signInRequest } from '../helpers/identity.js';

// Scenario: one analyst signs in from several devices over a working day (specs/identity.md
// §3.7, D7: idle 30 min, absolute 12 h, at most 10 sessions; checks S-01..S-13).
describe('sessions', () => {
  const clock = manualClock();
  let hub: TestHub;
  const email = 'lucas.meyer@northbridge.example';
  const password = 'northbridge backtest seven';
  beforeAll(async () => {
    hub = await createTestHub({ clock, env: { APP_BASE_URL: 'https://hub.example.com' } });
    await createUser(hub, { email, password, role: 'analyst' });
  });
  afterAll(() => hub.close());

  const me = (cookie: string) => hub.app.inject({ url: '/api/identity/me', headers: { cookie } });
  const sessionRows = () =>
    hub.database.db.selectFrom('identity.sessions').selectAll().orderBy('id', 'asc').execute();

  it('S-03: the cookie is __Host-, Secure, HttpOnly, SameSite=Lax, Path=/ and has no Domain', async () => {
    const response = await signInRequest(hub, email, password);
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/^__Host-umbrella_session=[A-Za-z0-9_-]{43};/);
    expect(header).toContain('Secure');
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Lax');
    expect(header).toContain('Path=/');
    expect(header).not.toMatch(/Domain=/i);
  });

  it('S-01: the database holds only the SHA-256 of the 256-bit token', async () => {
    const cookie = await signIn(hub, email, password);
    const token = cookie.split('=')[1] ?? '';
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    const rows = await sessionRows();
    for (const row of rows) {
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(token);
    }
  });

  it('S-02: signing in again discards the cookie the browser had before', async () => {
    const before = await signIn(hub, email, password);
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions',
      headers: { cookie: before },
      payload: { email, password },
    });
    const after = sessionCookieOf(response) ?? '';
    expect(after).not.toBe(before);
    expect((await me(before)).statusCode).toBe(401);
    expect((await me(after)).statusCode).toBe(200);
  });

  it('S-06: sign-out ends the session on the server and clears site data', async () => {
    const cookie = await signIn(hub, email, password);
    const out = await hub.app.inject({
      method: 'DELETE',
      url: '/api/identity/sessions/current',
      headers: { cookie },
    });
    expect(out.statusCode).toBe(204);
    expect(out.headers['clear-site-data']).toBe('"cookies", "storage"');
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('S-05: 31 minutes idle ends a session; so does 12 h 1 min even when active', async () => {
    const idle = await signIn(hub, email, password);
    clock.advance(31 * 60_000);
    expect((await me(idle)).statusCode).toBe(401);

    const busy = await signIn(hub, email, password);
    for (let minutes = 0; minutes < 12 * 60; minutes += 20) {
      clock.advance(20 * 60_000);
      if (minutes + 20 < 12 * 60) expect((await me(busy)).statusCode).toBe(200);
    }
    clock.advance(60_000);
    expect((await me(busy)).statusCode).toBe(401);
  });

  it('S-09 / US-SES-2: revoking sessions needs a password check from the last 15 minutes', async () => {
    const laptop = await signIn(hub, email, password);
    const phone = await signIn(hub, email, password);
    clock.advance(16 * 60_000);
    // Keep both alive (idle limit) without re-authenticating.
    await me(phone);
    const stale = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/me/sessions/revoke-others',
      headers: { cookie: laptop },
    });
    expect(stale.statusCode).toBe(403);
    expect(stale.json()).toMatchObject({ code: 'reauth_required' });

    const reauth = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/me/reauth',
      headers: { cookie: laptop },
      payload: { password },
    });
    expect(reauth.statusCode).toBe(204);
    const rotated = sessionCookieOf(reauth) ?? '';
    // S-02: re-authentication rotates the token too.
    expect((await me(laptop)).statusCode).toBe(401);
    const list = await hub.app.inject({
      url: '/api/identity/me/sessions',
      headers: { cookie: rotated },
    });
    expect(list.json<{ current: boolean }[]>().filter((session) => session.current)).toHaveLength(
      1,
    );
    const revoke = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/me/sessions/revoke-others',
      headers: { cookie: rotated },
    });
    expect(revoke.statusCode).toBe(204);
    const current = sessionCookieOf(revoke) ?? '';
    expect((await me(phone)).statusCode).toBe(401);
    expect((await me(current)).statusCode).toBe(200);
    const remaining = await hub.app.inject({
      url: '/api/identity/me/sessions',
      headers: { cookie: current },
    });
    expect(remaining.json()).toHaveLength(1);
  });

  it('S-08: a password change ends the other sessions; the current one survives, rotated', async () => {
    const a = await signIn(hub, email, password);
    const b = await signIn(hub, email, password);
    const change = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/me/password',
      headers: { cookie: a },
      payload: { current_password: password, new_password: 'northbridge backtest eight' },
    });
    expect(change.statusCode).toBe(204);
    const rotated = sessionCookieOf(change) ?? '';
    expect(rotated).not.toBe(a);
    expect((await me(b)).statusCode).toBe(401);
    expect((await me(a)).statusCode).toBe(401);
    expect((await me(rotated)).statusCode).toBe(200);
    // the user is told by email.
    const mails = await hub.database.db
      .selectFrom('identity.mail_messages')
      .select(['to_address', 'purpose'])
      .execute();
    expect(mails).toContainEqual({ to_address: email, purpose: 'password_changed' });
    // without the right current password nothing changes.
    const wrong = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/me/password',
      headers: { cookie: rotated },
      payload: { current_password: password, new_password: 'another fine passphrase' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(await signIn(hub, email, 'northbridge backtest eight')).toBeTruthy();
  });

  it('S-13: an 11th sign-in evicts the oldest session', async () => {
    const cookies: string[] = [];
    for (let index = 0; index < 11; index += 1)
      cookies.push(await signIn(hub, email, 'northbridge backtest eight'));
    expect((await me(cookies[0] ?? '')).statusCode).toBe(401);
    for (const cookie of cookies.slice(1)) expect((await me(cookie)).statusCode).toBe(200);
    const evicted = (await sessionRows()).filter((row) => row.revoke_reason === 'evicted');
    expect(evicted.length).toBeGreaterThanOrEqual(1);
  });

  it('S-12: a revoked session fails on the very next request (no cache)', async () => {
    const cookie = await signIn(hub, email, 'northbridge backtest eight');
    const list = await hub.app.inject({ url: '/api/identity/me/sessions', headers: { cookie } });
    const current = list
      .json<{ id: number; current: boolean }[]>()
      .find((session) => session.current);
    await hub.database.db
      .updateTable('identity.sessions')
      .set({ is_active: false, revoked_at: clock().toISOString(), revoke_reason: 'test' })
      .where('id', '=', current?.id ?? 0)
      .execute();
    expect((await me(cookie)).statusCode).toBe(401);
  });

  it('C-03: another user’s session id answers 404 and stays untouched', async () => {
    await createUser(hub, {
      email: 'other@example.com',
      password: 'other user pass phrase',
      role: 'analyst',
    });
    const other = await signIn(hub, 'other@example.com', 'other user pass phrase');
    const mine = await signIn(hub, email, 'northbridge backtest eight');
    const otherSessions = await hub.app.inject({
      url: '/api/identity/me/sessions',
      headers: { cookie: other },
    });
    const otherId = otherSessions.json<{ id: number }[]>()[0]?.id ?? 0;
    const attempt = await hub.app.inject({
      method: 'DELETE',
      url: `/api/identity/me/sessions/${String(otherId)}`,
      headers: { cookie: mine },
    });
    expect(attempt.statusCode).toBe(404);
    expect((await me(other)).statusCode).toBe(200);
  });
});
