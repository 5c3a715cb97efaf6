import type { AdminUser } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, signIn, signInRequest, type TestUser } from '../helpers/identity.js';

interface UserPage {
  items: AdminUser[];
  total: number;
  page: number;
  page_size: number;
}

// Scenario: an admin and a manager look through the user directory of a small partner hub:
// searching by name and email, filtering by the derived status and by role, paging, seeing who
// approved whom and which accounts are locked out (specs/identity.md US-ADM-1, D4, D13, §2,
// V-03, "bad input → 4xx and nothing changes").
describe('admin user directory', () => {
  const clock = manualClock();
  let hub: TestHub;
  let admin: TestUser;
  let manager: TestUser;
  let analyst: TestUser;
  let pending: TestUser;
  let rejected: TestUser;
  let inactive: TestUser;
  let markup: TestUser;
  let adminCookie = '';
  let managerCookie = '';

  beforeAll(async () => {
    hub = await createTestHub({ clock, env: { MFA_REQUIRED_ROLES: 'none' } });
    admin = await createUser(hub, {
      email: 'ada.okafor@umbrella-hub.example',
      role: 'admin',
      firstName: 'Ada',
      lastName: 'Okafor',
    });
    manager = await createUser(hub, {
      email: 'mo.haddad@umbrella-hub.example',
      role: 'manager',
      firstName: 'Mo',
      lastName: 'Haddad',
    });
    analyst = await createUser(hub, {
      email: 'Priya.Raman@northbridge.example',
      role: 'analyst',
      firstName: 'Priya',
      lastName: 'Raman',
    });
    pending = await createUser(hub, {
      email: 'li.wei@partner.example',
      approved: false,
      firstName: 'Li',
      lastName: 'Wei',
    });
    rejected = await createUser(hub, {
      email: 'sam.doe@spam.example',
      approved: false,
      rejectionReason: 'Not a partner',
      firstName: 'Sam',
      lastName: 'Doe',
    });
    inactive = await createUser(hub, {
      email: 'old.timer@northbridge.example',
      role: 'analyst',
      active: false,
      firstName: 'Olga',
      lastName: 'Timer',
    });
    markup = await createUser(hub, {
      email: 'x<script>@evil.example',
      firstName: '<img src=x onerror=alert(1)>',
      lastName: '<script>alert(1)</script>',
    });
    // Priya was approved by Ada (approved_by shows the approver's name).
    await hub.database.db
      .updateTable('identity.users')
      .set({ approved_by_id: admin.id })
      .where('id', '=', analyst.id)
      .execute();
    adminCookie = await signIn(hub, admin.email, admin.password);
    managerCookie = await signIn(hub, manager.email, manager.password);
  });
  afterAll(() => hub.close());

  const list = async (cookie: string, query = '') => {
    const response = await hub.app.inject({
      url: `/api/identity/admin/users${query}`,
      headers: { cookie },
    });
    return { status: response.statusCode, body: response.json<UserPage>() };
  };
  const emails = (page: UserPage) => page.items.map((user) => user.email);

  it('US-ADM-1: the list shows every user with status, role, last login, login count and approver', async () => {
    const { status, body } = await list(adminCookie);
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: 7, page: 1, page_size: 50 });
    expect(emails(body)).toEqual([
      admin.email,
      manager.email,
      analyst.email,
      pending.email,
      rejected.email,
      inactive.email,
      markup.email,
    ]);
    const priya = body.items.find((user) => user.id === analyst.id);
    expect(priya).toEqual({
      id: analyst.id,
      email: 'Priya.Raman@northbridge.example',
      first_name: 'Priya',
      last_name: 'Raman',
      role: 'analyst',
      status: 'approved',
      is_superuser: false,
      date_joined: '2026-11-21T09:00:00.000Z',
      last_login: null,
      login_count: 0,
      approved_by: 'Ada Okafor',
      approval_date: '2026-11-21T09:00:00.000Z',
      rejection_reason: '',
      mfa_enabled: false,
      locked: false,
    });
    // Ada signed in once in beforeAll: last login and count come from the users row.
    const ada = body.items.find((user) => user.id === admin.id);
    expect(ada).toMatchObject({ login_count: 1, last_login: '2026-11-21T09:00:00.000Z' });
  });

  it('US-ADM-1 / D4: the status filter follows the derived status, one user each', async () => {
    const byStatus: Record<string, string[]> = {};
    for (const status of ['approved', 'pending', 'rejected', 'inactive']) {
      byStatus[status] = emails((await list(adminCookie, `?status=${status}`)).body);
    }
    expect(byStatus).toEqual({
      approved: [admin.email, manager.email, analyst.email, markup.email],
      pending: [pending.email],
      rejected: [rejected.email],
      inactive: [inactive.email],
    });
  });

  it('US-ADM-1: search matches names and emails in any case; role narrows it', async () => {
    expect(emails((await list(adminCookie, '?search=PRIYA')).body)).toEqual([analyst.email]);
    expect(emails((await list(adminCookie, '?search=olga%20timer')).body)).toEqual([
      inactive.email,
    ]);
    expect(emails((await list(adminCookie, '?search=northbridge')).body)).toEqual([
      analyst.email,
      inactive.email,
    ]);
    expect(
      emails((await list(adminCookie, '?search=northbridge&role=analyst&status=approved')).body),
    ).toEqual([analyst.email]);
    expect(emails((await list(adminCookie, '?role=manager')).body)).toEqual([manager.email]);
  });

  it('V-04: LIKE wildcards in the search are literal characters', async () => {
    expect((await list(adminCookie, '?search=%25')).body.total).toBe(0);
    expect((await list(adminCookie, '?search=_')).body.total).toBe(0);
    expect(
      (await list(adminCookie, `?search=${encodeURIComponent("' OR 1=1--")}`)).body.total,
    ).toBe(0);
  });

  it('US-ADM-1: paging splits the list and keeps the total', async () => {
    const first = (await list(adminCookie, '?page=1&page_size=3')).body;
    const third = (await list(adminCookie, '?page=3&page_size=3')).body;
    expect(first).toMatchObject({ total: 7, page: 1, page_size: 3 });
    expect(emails(first)).toEqual([admin.email, manager.email, analyst.email]);
    expect(emails(third)).toEqual([markup.email]);
  });

  it('§3.6 / US-ADM-4: five failed sign-ins lock the email; the directory shows locked', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await signInRequest(hub, 'priya.raman@NORTHBRIDGE.example', 'wrong guess');
      expect(response.statusCode).toBe(401);
    }
    const body = (await list(adminCookie, '?search=priya')).body;
    expect(body.items.map((user) => user.locked)).toEqual([true]);
    // The lock lifts after 15 minutes: the flag follows locked_until > now.
    clock.advance(16 * 60_000);
    const later = (await list(adminCookie, '?search=priya')).body;
    expect(later.items.map((user) => user.locked)).toEqual([false]);
  });

  it('V-03: markup in names and emails comes back as the same literal strings', async () => {
    const body = (await list(adminCookie, '?search=evil')).body;
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      email: 'x<script>@evil.example',
      first_name: '<img src=x onerror=alert(1)>',
      last_name: '<script>alert(1)</script>',
    });
  });

  it('D13 / §2: a manager reads the directory, but cannot change a role', async () => {
    const { status, body } = await list(managerCookie, '?role=analyst');
    expect(status).toBe(200);
    expect(emails(body)).toEqual([analyst.email, inactive.email]);
    const change = await hub.app.inject({
      method: 'PATCH',
      url: `/api/identity/admin/users/${String(analyst.id)}/role`,
      headers: { cookie: managerCookie },
      payload: { role: 'viewer' },
    });
    expect(change.statusCode).toBe(403);
    const row = await hub.database.db
      .selectFrom('identity.users')
      .select('role')
      .where('id', '=', analyst.id)
      .executeTakeFirstOrThrow();
    expect(row.role).toBe('analyst');
  });

  it('bad input: an unknown status, role or page size is a 400 problem', async () => {
    for (const query of ['?status=archived', '?role=owner', '?page=0', '?page_size=201']) {
      const response = await hub.app.inject({
        url: `/api/identity/admin/users${query}`,
        headers: { cookie: adminCookie },
      });
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
  });
});
