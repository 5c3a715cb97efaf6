import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { createUser, signIn, tokenFromMail } from '../helpers/identity.js';

const BASE = 'https://hub.example.com';
const INVITES = '/api/identity/admin/invitations';
const PASSWORD = 'copper willow signal 58';

// Scenario: a manager tries everything the admin area offers, within and beyond D13; viewers and
// analysts try too; an inviter loses their role before the invitee accepts (specs/identity.md §2,
// D13, C-02, C-06, I-06).
describe('manager limits on invitations and approvals', () => {
  let hub: TestHub;
  const cookies: Record<string, string> = {};
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    hub = await createTestHub({ env: { APP_BASE_URL: BASE, MFA_REQUIRED_ROLES: 'none' } });
    for (const [name, role] of [
      ['admin', 'admin'],
      ['manager', 'manager'],
      ['other', 'manager'],
      ['viewer', 'viewer'],
      ['analyst', 'analyst'],
    ] as const) {
      ids[name] = (
        await createUser(hub, { email: `${name}@example.com`, password: PASSWORD, role })
      ).id;
      cookies[name] = await signIn(hub, `${name}@example.com`, PASSWORD);
    }
    ids.pending = (await createUser(hub, { email: 'pending@example.com', approved: false })).id;
    ids.pending2 = (await createUser(hub, { email: 'pending2@example.com', approved: false })).id;
    // A legacy not-yet-approved account that already carries the manager role.
    ids.pendingManager = (
      await createUser(hub, {
        email: 'pending.manager@example.com',
        approved: false,
        role: 'manager',
      })
    ).id;
  });
  afterAll(() => hub.close());

  const as = (who: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    hub.app.inject({
      method,
      url,
      headers: cookies[who] === undefined ? {} : { cookie: cookies[who] },
      ...(payload === undefined ? {} : { payload }),
    });
  const invite = async (who: string, email: string, inviteType: string) => {
    const response = await as(who, 'POST', INVITES, { email, invite_type: inviteType });
    return response;
  };
  const inviteRows = () =>
    hub.database.db.selectFrom('identity.invites').selectAll().orderBy('id', 'asc').execute();

  it('C-06: a manager invites viewers and analysts; manager and admin invites are refused with 403', async () => {
    expect((await invite('manager', 'v@example.com', 'viewer')).statusCode).toBe(201);
    expect((await invite('manager', 'a@example.com', 'analyst')).statusCode).toBe(201);
    const before = await inviteRows();
    for (const role of ['manager', 'admin']) {
      const response = await invite('manager', `${role}.invite@example.com`, role);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ status: 403, code: 'forbidden' });
    }
    expect(await inviteRows()).toEqual(before);
    // D13: admins invite at every role.
    for (const role of ['viewer', 'analyst', 'manager', 'admin']) {
      expect((await invite('admin', `${role}.by.admin@example.com`, role)).statusCode).toBe(201);
    }
  });

  it('C-06: a manager resends and revokes only their own invitations', async () => {
    const rows = await inviteRows();
    const own = rows.find((row) => row.email === 'v@example.com');
    const admins = rows.find((row) => row.email === 'viewer.by.admin@example.com');
    expect((await invite('other', 'others@example.com', 'viewer')).statusCode).toBe(201);
    const others = (await inviteRows()).find((row) => row.email === 'others@example.com');
    const before = await inviteRows();
    for (const target of [admins, others]) {
      for (const action of ['resend', 'revoke']) {
        const response = await as(
          'manager',
          'POST',
          `${INVITES}/${String(target?.id)}/${action}`,
          {},
        );
        expect(response.statusCode).toBe(403);
      }
    }
    expect(await inviteRows()).toEqual(before);
    expect(
      (await as('manager', 'POST', `${INVITES}/${String(own?.id)}/resend`, {})).statusCode,
    ).toBe(200);
    expect(
      (await as('manager', 'POST', `${INVITES}/${String(own?.id)}/revoke`, {})).statusCode,
    ).toBe(200);
    // An admin may act on anyone's invitation.
    expect(
      (await as('admin', 'POST', `${INVITES}/${String(others?.id)}/revoke`, {})).statusCode,
    ).toBe(200);
  });

  it('C-06: a manager approves only as viewer or analyst and never acts on manager accounts', async () => {
    const userRow = (id: number | undefined) =>
      hub.database.db
        .selectFrom('identity.users')
        .selectAll()
        .where('id', '=', id ?? 0)
        .executeTakeFirstOrThrow();
    const pendingBefore = await userRow(ids.pending);
    for (const role of ['manager', 'admin']) {
      const response = await as(
        'manager',
        'POST',
        `/api/identity/admin/users/${String(ids.pending)}/approve`,
        { role },
      );
      expect(response.statusCode).toBe(403);
    }
    expect(await userRow(ids.pending)).toEqual(pendingBefore);
    const managerBefore = await userRow(ids.pendingManager);
    const onManager = [
      await as(
        'manager',
        'POST',
        `/api/identity/admin/users/${String(ids.pendingManager)}/approve`,
        { role: 'viewer' },
      ),
      await as(
        'manager',
        'POST',
        `/api/identity/admin/users/${String(ids.pendingManager)}/reject`,
        { reason: 'no' },
      ),
    ];
    for (const response of onManager) expect(response.statusCode).toBe(403);
    expect(await userRow(ids.pendingManager)).toEqual(managerBefore);

    const approved = await as(
      'manager',
      'POST',
      `/api/identity/admin/users/${String(ids.pending)}/approve`,
      { role: 'analyst' },
    );
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({
      role: 'analyst',
      status: 'approved',
      approved_by: 'manager@example.com',
    });
    const rejected = await as(
      'manager',
      'POST',
      `/api/identity/admin/users/${String(ids.pending2)}/reject`,
      { reason: 'unknown' },
    );
    expect(rejected.statusCode).toBe(200);
    // A manager may see the queue.
    const queue = await as('manager', 'GET', '/api/identity/admin/access-requests');
    expect(queue.json()).toMatchObject({
      total: 1,
      items: [{ email: 'pending.manager@example.com' }],
    });
  });

  it('C-02: viewers and analysts get 403 and anonymous callers 401 on every route here', async () => {
    const routes: [method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object][] = [
      ['GET', INVITES],
      ['POST', INVITES, { email: 'x@example.com', invite_type: 'viewer' }],
      ['POST', `${INVITES}/1/resend`, {}],
      ['POST', `${INVITES}/1/revoke`, {}],
      ['GET', '/api/identity/admin/templates'],
      [
        'POST',
        '/api/identity/admin/templates',
        { name: 'n', invite_type: 'viewer', subject: 's', message_template: 'm' },
      ],
      ['PATCH', '/api/identity/admin/templates/1', { name: 'n' }],
      ['GET', '/api/identity/admin/access-requests'],
      [
        'POST',
        `/api/identity/admin/users/${String(ids.pendingManager)}/approve`,
        { role: 'viewer' },
      ],
      ['POST', `/api/identity/admin/users/${String(ids.pendingManager)}/reject`, { reason: 'r' }],
    ];
    const invitesBefore = await inviteRows();
    for (const [method, url, payload] of routes) {
      for (const who of ['viewer', 'analyst']) {
        expect((await as(who, method, url, payload)).statusCode, `${who} ${method} ${url}`).toBe(
          403,
        );
      }
      expect(
        (await as('nobody', method, url, payload)).statusCode,
        `anonymous ${method} ${url}`,
      ).toBe(401);
    }
    // The manager-only template routes (create, edit) are admin-only (§2).
    expect(
      (await as('manager', 'PATCH', '/api/identity/admin/templates/1', { name: 'n' })).statusCode,
    ).toBe(403);
    expect(await inviteRows()).toEqual(invitesBefore);
  });

  it('I-06: an invite whose inviter was demoted or deactivated is invalid at accept time', async () => {
    const accept = (token: string) =>
      hub.app.inject({
        method: 'POST',
        url: '/api/identity/invitations/accept',
        payload: {
          token,
          first_name: 'In',
          last_name: 'Vitee',
          password: 'harbor quill 58 mosaic',
        },
      });
    const preview = (token: string) =>
      hub.app.inject({
        method: 'POST',
        url: '/api/identity/invitations/preview',
        payload: { token },
      });
    const setInviter = (
      name: string,
      change: { role?: 'viewer' | 'manager'; is_active?: boolean },
    ) =>
      hub.database.db
        .updateTable('identity.users')
        .set(change)
        .where('id', '=', ids[name] ?? 0)
        .execute();

    expect((await invite('other', 'demoted.inviter@example.com', 'analyst')).statusCode).toBe(201);
    const demotedToken = await tokenFromMail(hub, 'demoted.inviter@example.com', `${BASE}/invite/`);
    expect((await invite('manager', 'gone.inviter@example.com', 'viewer')).statusCode).toBe(201);
    const goneToken = await tokenFromMail(hub, 'gone.inviter@example.com', `${BASE}/invite/`);
    const adminsManagerToken = await tokenFromMail(
      hub,
      'manager.by.admin@example.com',
      `${BASE}/invite/`,
    );

    await setInviter('other', { role: 'viewer' });
    await setInviter('manager', { is_active: false });
    // An admin demoted to manager may no longer grant the manager role.
    await setInviter('admin', { role: 'manager' });
    for (const token of [demotedToken, goneToken, adminsManagerToken]) {
      expect((await preview(token)).statusCode).toBe(410);
      const response = await accept(token);
      expect(response.statusCode).toBe(410);
      expect(response.json()).toMatchObject({ code: 'invalid_token' });
    }
    const created = await hub.database.db
      .selectFrom('identity.users')
      .select('email')
      .where('email', 'in', [
        'demoted.inviter@example.com',
        'gone.inviter@example.com',
        'manager.by.admin@example.com',
      ])
      .execute();
    expect(created).toEqual([]);

    // Entitled again, the same (unused) links work.
    await setInviter('other', { role: 'manager' });
    expect((await accept(demotedToken)).statusCode).toBe(201);
  });
});
