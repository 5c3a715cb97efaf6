import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, sessionCookieOf, signIn, type TestUser } from '../helpers/identity.js';

interface AdminSession {
  id: number;
  user_id: number;
  user_email: string;
  ip_address: string | null;
  user_agent: string;
  device: string;
  current: boolean;
}

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0';
const SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

// Scenario: an analyst's laptop is stolen. The admin finds the analyst's sessions among
// everybody's, ends the laptop's session, then all of them (specs/identity.md §3.7 US-SES-4,
// S-10, S-12, V-05).
describe('admin session management', () => {
  const clock = manualClock();
  let hub: TestHub;
  let admin: TestUser;
  let analyst: TestUser;
  let viewer: TestUser;
  let adminCookie = '';
  let laptop = '';
  let phone = '';
  let viewerCookie = '';

  const signInFrom = async (user: TestUser, userAgent: string, ip: string) => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions',
      headers: { 'user-agent': userAgent },
      remoteAddress: ip,
      payload: { email: user.email, password: user.password },
    });
    return sessionCookieOf(response) ?? '';
  };

  beforeAll(async () => {
    hub = await createTestHub({ clock, env: { MFA_REQUIRED_ROLES: 'none' } });
    admin = await createUser(hub, { email: 'ada.admin@umbrella-hub.example', role: 'admin' });
    analyst = await createUser(hub, { email: 'ari.analyst@northbridge.example', role: 'analyst' });
    viewer = await createUser(hub, { email: 'vic.viewer@partner.example' });
    adminCookie = await signIn(hub, admin.email, admin.password);
    clock.advance(1_000);
    laptop = await signInFrom(analyst, FIREFOX, '198.51.100.7');
    clock.advance(1_000);
    phone = await signInFrom(analyst, SAFARI, '203.0.113.9');
    clock.advance(1_000);
    viewerCookie = await signIn(hub, viewer.email, viewer.password);
  });
  afterAll(() => hub.close());

  const sessions = async (query = '') => {
    const response = await hub.app.inject({
      url: `/api/identity/admin/sessions${query}`,
      headers: { cookie: adminCookie },
    });
    return response.json<{ items: AdminSession[]; total: number }>();
  };
  const me = (cookie: string) => hub.app.inject({ url: '/api/identity/me', headers: { cookie } });
  const auditRows = (action: string) =>
    hub.database.db
      .selectFrom('identity.audit_events')
      .selectAll()
      .where('action', '=', action)
      .execute();

  it('US-SES-4: the admin lists everybody’s active sessions with the owner’s email, newest activity first', async () => {
    const page = await sessions();
    expect(page.total).toBe(4);
    expect(
      page.items.map((session) => [session.user_email, session.ip_address, session.current]),
    ).toEqual([
      [viewer.email, '127.0.0.1', false],
      [analyst.email, '203.0.113.9', false],
      [analyst.email, '198.51.100.7', false],
      [admin.email, '127.0.0.1', true],
    ]);
    expect(page.items[1]).toMatchObject({
      user_id: analyst.id,
      user_agent: SAFARI,
      device: 'Safari 18 on iOS 18.1',
    });
    expect(page.items[2]?.device).toBe('Firefox 132 on Windows 10');
  });

  it('US-SES-4: the list can be narrowed to one user and paged', async () => {
    const page = await sessions(`?user_id=${String(analyst.id)}&page_size=1&page=2`);
    expect(page.total).toBe(2);
    expect(page.items.map((session) => session.ip_address)).toEqual(['198.51.100.7']);
  });

  it('S-10 / S-12: ending one session logs that device out on its next request; the other stays', async () => {
    const laptopSession = (await sessions(`?user_id=${String(analyst.id)}`)).items.find(
      (session) => session.ip_address === '198.51.100.7',
    );
    const response = await hub.app.inject({
      method: 'DELETE',
      url: `/api/identity/admin/sessions/${String(laptopSession?.id)}`,
      headers: { cookie: adminCookie },
    });
    expect(response.statusCode).toBe(204);
    expect((await me(laptop)).statusCode).toBe(401);
    expect((await me(phone)).statusCode).toBe(200);
    const audit = await auditRows('session.revoke');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_id: admin.id,
      target_type: 'session',
      target_id: String(laptopSession?.id),
    });
    expect(JSON.parse(audit[0]?.details ?? '')).toEqual({ user_id: analyst.id });

    const again = await hub.app.inject({
      method: 'DELETE',
      url: `/api/identity/admin/sessions/${String(laptopSession?.id)}`,
      headers: { cookie: adminCookie },
    });
    expect(again.statusCode).toBe(404);
  });

  it('US-SES-4 / S-10: revoking all of a user’s sessions logs every device out; others are untouched', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: `/api/identity/admin/users/${String(analyst.id)}/revoke-sessions`,
      headers: { cookie: adminCookie },
    });
    expect(response.statusCode).toBe(204);
    expect((await me(phone)).statusCode).toBe(401);
    expect((await me(viewerCookie)).statusCode).toBe(200);
    expect((await me(adminCookie)).statusCode).toBe(200);
    const audit = await auditRows('session.revoke_all');
    expect(
      audit.map((row) => [row.actor_id, row.target_id, JSON.parse(row.details) as unknown]),
    ).toEqual([[admin.id, String(analyst.id), { count: 1 }]]);
    expect((await sessions(`?user_id=${String(analyst.id)}`)).total).toBe(0);
  });

  it('V-05: session and user ids are strict integers (1e0, 01, "1 ", abc → 400), nothing changes', async () => {
    const before = await sessions();
    for (const id of ['1e0', '01', '1%20', 'abc', '-1', '0']) {
      const revoke = await hub.app.inject({
        method: 'DELETE',
        url: `/api/identity/admin/sessions/${id}`,
        headers: { cookie: adminCookie },
      });
      expect(revoke.statusCode, id).toBe(400);
      const all = await hub.app.inject({
        method: 'POST',
        url: `/api/identity/admin/users/${id}/revoke-sessions`,
        headers: { cookie: adminCookie },
      });
      expect(all.statusCode, id).toBe(400);
      const filter = await hub.app.inject({
        url: `/api/identity/admin/sessions?user_id=${id}`,
        headers: { cookie: adminCookie },
      });
      expect(filter.statusCode, id).toBe(400);
    }
    expect(await sessions()).toEqual(before);
  });
});
