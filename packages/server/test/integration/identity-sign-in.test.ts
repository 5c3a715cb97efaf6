import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { createUser, sessionCookieOf, signInRequest } from '../helpers/identity.js';

// Scenario: people sign in with the right password, a wrong one, an unknown address and an
// account that cannot be used (specs/identity.md US-AUTH-1, §3.5, A-01, A-02, L-01).
describe('signing in', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
    await createUser(hub, {
      email: 'ana.silva@example.com',
      password: 'violet ledger 77 harbor',
      role: 'analyst',
    });
    await createUser(hub, {
      email: 'no.password@example.com',
      passwordHash: '!Zx3kq0Vb9l1mN8pQ2rS4tU6vW8yA0cE2gI4kM6o',
    });
    await createUser(hub, {
      email: 'pending@example.com',
      password: 'quiet orbit lemon 64',
      approved: false,
    });
    await createUser(hub, {
      email: 'rejected@example.com',
      password: 'blue harbor 2025 x',
      approved: false,
      rejectionReason: 'not a client',
    });
    await createUser(hub, {
      email: 'gone@example.com',
      password: 'maple cinder rover 27',
      active: false,
    });
  });
  afterAll(() => hub.close());

  const attempts = () =>
    hub.database.db
      .selectFrom('identity.login_attempts')
      .selectAll()
      .orderBy('id', 'asc')
      .execute();

  it('US-AUTH-1: the right password signs in, matching the email case-insensitively (D5)', async () => {
    const response = await signInRequest(hub, 'Ana.Silva@EXAMPLE.com', 'violet ledger 77 harbor');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      state: 'signed_in',
      user: { email: 'ana.silva@example.com', role: 'analyst' },
    });
    const cookie = sessionCookieOf(response);
    expect(cookie).toBeDefined();
    const me = await hub.app.inject({ url: '/api/identity/me', headers: { cookie: cookie ?? '' } });
    expect(me.json()).toMatchObject({
      state: 'signed_in',
      user: { email: 'ana.silva@example.com' },
    });
    const user = await hub.database.db
      .selectFrom('identity.users')
      .selectAll()
      .where('email', '=', 'ana.silva@example.com')
      .executeTakeFirstOrThrow();
    // §3.5 "Recording": success updates last_login, last_login_ip and login_count += 1.
    expect(user.login_count).toBe(1);
    expect(user.last_login_ip).toBe('127.0.0.1');
  });

  it('A-01: unknown email, wrong password and unusable password answer byte-identically', async () => {
    const unknown = await signInRequest(hub, 'nobody@example.com', 'violet ledger 77 harbor');
    const wrong = await signInRequest(hub, 'ana.silva@example.com', 'violet ledger 77 harbot');
    const unusable = await signInRequest(hub, 'no.password@example.com', 'anything at all 123');
    for (const response of [unknown, wrong, unusable]) {
      expect(response.statusCode).toBe(401);
      expect(sessionCookieOf(response)).toBeUndefined();
    }
    // The instance member is the same path, so the whole body must match.
    expect(wrong.body).toBe(unknown.body);
    expect(unusable.body).toBe(unknown.body);
    expect(unknown.json()).toMatchObject({ title: 'Invalid email or password' });
  });

  it('A-02: pending, rejected and inactive are told apart only after the right password, with no session', async () => {
    const cases = [
      ['pending@example.com', 'quiet orbit lemon 64', 'pending_approval'],
      ['rejected@example.com', 'blue harbor 2025 x', 'rejected'],
      ['gone@example.com', 'maple cinder rover 27', 'inactive'],
    ] as const;
    for (const [email, password, code] of cases) {
      const wrong = await signInRequest(hub, email, `${password}!`);
      expect(wrong.statusCode).toBe(401);
      const right = await signInRequest(hub, email, password);
      expect(right.statusCode).toBe(403);
      expect(right.json()).toMatchObject({ code });
      expect(right.headers['set-cookie']).toBeUndefined();
      const user = await hub.database.db
        .selectFrom('identity.users')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      const sessions = await hub.database.db
        .selectFrom('identity.sessions')
        .select('id')
        .where('user_id', '=', user.id)
        .execute();
      expect(sessions).toEqual([]);
    }
  });

  it('L-01: every attempt is logged with outcome, reason, IP, user agent and a UTC time', async () => {
    const rows = await attempts();
    // 1 success + 3 (A-01) + 6 attempts above.
    expect(rows.map((row) => [row.email, Boolean(row.success), row.failure_reason])).toEqual([
      ['Ana.Silva@EXAMPLE.com', true, ''],
      ['nobody@example.com', false, 'unknown_email'],
      ['ana.silva@example.com', false, 'invalid_password'],
      ['no.password@example.com', false, 'unusable_password'],
      ['pending@example.com', false, 'invalid_password'],
      ['pending@example.com', false, 'pending_approval'],
      ['rejected@example.com', false, 'invalid_password'],
      ['rejected@example.com', false, 'rejected'],
      ['gone@example.com', false, 'invalid_password'],
      ['gone@example.com', false, 'inactive'],
    ]);
    for (const row of rows) {
      expect(row.ip_address).toBe('127.0.0.1');
      expect(row.user_agent).toBe('lightMyRequest');
      expect(row.attempted_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(rows.find((row) => row.email === 'nobody@example.com')?.user_id).toBeNull();
  });
});
