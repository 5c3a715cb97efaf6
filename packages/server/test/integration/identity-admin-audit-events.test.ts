import type { AuditEvent } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, signIn, tokenFromMail, type TestUser } from '../helpers/identity.js';

const MARKUP_EMAIL = '<script>alert(1)</script>@evil.example';

// Scenario: after a week of changes the admin reads the append-only audit log: who did what to
// whom, with before and after, filtered by action and paged; a user-typed address with markup
// is shown as typed (specs/identity.md §3.9 "audit_event", §3.10, V-03).
describe('admin audit log', () => {
  const clock = manualClock();
  let hub: TestHub;
  let admin: TestUser;
  let carla: TestUser;
  let adminCookie = '';

  beforeAll(async () => {
    hub = await createTestHub({
      clock,
      env: { MFA_REQUIRED_ROLES: 'none', APP_BASE_URL: 'https://hub.example.com' },
    });
    admin = await createUser(hub, { email: 'ada.admin@umbrella-hub.example', role: 'admin' });
    carla = await createUser(hub, { email: 'carla@northbridge.example', role: 'analyst' });

    // Carla moves to an address with markup in it (V-01 lets it through; it must stay inert).
    const carlaCookie = await signIn(hub, carla.email, carla.password);
    const change = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/me/email',
      headers: { cookie: carlaCookie },
      payload: { new_email: MARKUP_EMAIL },
    });
    expect(change.statusCode).toBe(202);
    const token = await tokenFromMail(hub, MARKUP_EMAIL, '/confirm-email#');
    clock.advance(1_000);
    const confirmed = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/email/confirm',
      payload: { token },
    });
    expect(confirmed.statusCode).toBe(200);

    adminCookie = await signIn(hub, admin.email, admin.password);
    const act = (method: 'PATCH' | 'POST', path: string, payload?: Record<string, unknown>) => {
      clock.advance(1_000);
      return hub.app.inject({
        method,
        url: `/api/identity/admin/users/${String(carla.id)}${path}`,
        headers: { cookie: adminCookie },
        ...(payload === undefined ? {} : { payload }),
      });
    };
    expect((await act('PATCH', '/role', { role: 'manager' })).statusCode).toBe(200);
    expect((await act('POST', '/reset-link')).statusCode).toBe(202);
    expect((await act('POST', '/unlock')).statusCode).toBe(200);
  });
  afterAll(() => hub.close());

  const events = async (query = '') => {
    const response = await hub.app.inject({
      url: `/api/identity/admin/audit-events${query}`,
      headers: { cookie: adminCookie },
    });
    expect(response.statusCode, query).toBe(200);
    return response.json<{ items: AuditEvent[]; total: number; page: number; page_size: number }>();
  };

  it('§3.9: the log lists every event newest first, with actor, target, IP and parsed details', async () => {
    const log = await events();
    expect(log.total).toBe(4);
    expect(log.items.map((event) => [event.action, event.actor_id, event.target_id])).toEqual([
      ['user.unlock', admin.id, String(carla.id)],
      ['user.reset_link_sent', admin.id, String(carla.id)],
      ['user.role_change', admin.id, String(carla.id)],
      ['email.change', carla.id, String(carla.id)],
    ]);
    expect(log.items[2]).toEqual({
      id: log.items[2]?.id,
      at: '2026-11-21T09:00:02.000Z',
      actor_id: admin.id,
      action: 'user.role_change',
      target_type: 'user',
      target_id: String(carla.id),
      ip: '127.0.0.1',
      details: {
        before: 'analyst',
        after: 'manager',
        sessions_revoked: 1,
        mfa_enrolment_required: false,
      },
    });
  });

  it('V-03: a user-typed address with markup appears in the details exactly as typed', async () => {
    const [event] = (await events('?action=email.change')).items;
    expect(event?.details).toEqual({ before: 'carla@northbridge.example', after: MARKUP_EMAIL });
  });

  it('§3.9: the log filters by action and pages', async () => {
    const filtered = await events('?action=user.reset_link_sent');
    expect(filtered.total).toBe(1);
    expect(filtered.items.map((event) => event.action)).toEqual(['user.reset_link_sent']);
    expect((await events('?action=user.delete')).total).toBe(0);
    const second = await events('?page=2&page_size=3');
    expect(second).toMatchObject({ total: 4, page: 2, page_size: 3 });
    expect(second.items.map((event) => event.action)).toEqual(['email.change']);
  });

  it('bad input: an over-long action filter or page size is a 400 problem', async () => {
    for (const query of [`?action=${'x'.repeat(65)}`, '?page_size=0', '?page=-1']) {
      const response = await hub.app.inject({
        url: `/api/identity/admin/audit-events${query}`,
        headers: { cookie: adminCookie },
      });
      expect(response.statusCode, query).toBe(400);
    }
  });
});
