import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { createUser, signIn } from '../helpers/identity.js';

const ADMIN = { email: 'ada.admin@example.com', password: 'granite meadow lantern 41' };
const MANAGER = { email: 'mo.manager@example.com', password: 'copper willow signal 58' };
const ANALYST = { email: 'ana.analyst@example.com', password: 'saffron kite ledger 93' };
const VIEWER = { email: 'vic.viewer@example.com', password: 'pebble harbor violet 17' };

// Scenario: a manager and an analyst try to act as the admin or as another user by putting an id
// in the body, the query or identity headers a proxy might have set (specs/identity.md C-04, §2
// "Inter-module identity", ASVS 5.0 8.3.1, 15.3.4). Saved work of later modules follows the same
// rule through the same guard; here the identity rows carry the evidence.
describe('the caller is the session user, whatever the request says', () => {
  let hub: TestHub;
  const ids = { admin: 0, manager: 0, analyst: 0, viewer: 0, pending: 0 };
  let manager = '';
  let analyst = '';
  /** Headers a client could send to claim another identity. */
  let claims: Record<string, string> = {};

  beforeAll(async () => {
    hub = await createTestHub({ env: { MFA_REQUIRED_ROLES: 'none' } });
    ids.admin = (await createUser(hub, { ...ADMIN, role: 'admin' })).id;
    ids.manager = (await createUser(hub, { ...MANAGER, role: 'manager' })).id;
    ids.analyst = (await createUser(hub, { ...ANALYST, role: 'analyst' })).id;
    ids.viewer = (await createUser(hub, { ...VIEWER, role: 'viewer', firstName: 'Vic' })).id;
    ids.pending = (
      await createUser(hub, { email: 'pat.pending@example.com', role: 'viewer', approved: false })
    ).id;
    await signIn(hub, ADMIN.email, ADMIN.password);
    manager = await signIn(hub, MANAGER.email, MANAGER.password);
    analyst = await signIn(hub, ANALYST.email, ANALYST.password);
    claims = {
      'x-user-id': String(ids.admin),
      'x-umbrella-user-id': String(ids.admin),
      'x-forwarded-user': ADMIN.email,
      'x-remote-user': ADMIN.email,
    };
  });
  afterAll(() => hub.close());

  const userRow = (id: number) =>
    hub.database.db
      .selectFrom('identity.users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('C-04: an invitation created with user_id, created_by_id and X-User-Id of the admin records the manager', async () => {
    const admin = ids.admin;
    const response = await hub.app.inject({
      method: 'POST',
      url: `/api/identity/admin/invitations?user_id=${String(admin)}&created_by_id=${String(admin)}`,
      headers: { cookie: manager, ...claims },
      payload: {
        email: 'new.viewer@example.com',
        invite_type: 'viewer',
        user_id: admin,
        created_by_id: admin,
        invited_by_id: admin,
        created_by: ADMIN.email,
      },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ created_by: MANAGER.email });
    const row = await hub.database.db
      .selectFrom('identity.invites')
      .select(['created_by_id'])
      .where('email', '=', 'new.viewer@example.com')
      .executeTakeFirstOrThrow();
    expect(row.created_by_id).toBe(ids.manager);
    const audit = await hub.database.db
      .selectFrom('identity.audit_events')
      .select(['actor_id'])
      .where('action', '=', 'invite.create')
      .execute();
    expect(audit).toEqual([{ actor_id: ids.manager }]);
  });

  it('C-04: an approval sent with approved_by_id and X-User-Id of the admin records the manager as approver', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: `/api/identity/admin/users/${String(ids.pending)}/approve`,
      headers: { cookie: manager, ...claims },
      payload: { role: 'viewer', approved_by_id: ids.admin, user_id: ids.admin },
    });
    expect(response.statusCode).toBe(200);
    expect((await userRow(ids.pending)).approved_by_id).toBe(ids.manager);
  });

  it('C-04: a profile update with X-User-Id and ?user_id of another user changes only the caller', async () => {
    const viewerBefore = await userRow(ids.viewer);
    const response = await hub.app.inject({
      method: 'PATCH',
      url: `/api/identity/me?user_id=${String(ids.viewer)}`,
      headers: { cookie: analyst, ...claims, 'x-user-id': String(ids.viewer) },
      payload: { first_name: 'Anabel', last_name: 'Analyst' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ email: ANALYST.email, first_name: 'Anabel' });
    expect((await userRow(ids.analyst)).first_name).toBe('Anabel');
    expect(await userRow(ids.viewer)).toEqual(viewerBefore);
  });

  it('C-04: user_id in the profile body is refused (400) and nobody changes', async () => {
    const analystBefore = await userRow(ids.analyst);
    const viewerBefore = await userRow(ids.viewer);
    const response = await hub.app.inject({
      method: 'PATCH',
      url: '/api/identity/me',
      headers: { cookie: analyst },
      payload: { first_name: 'Mallory', last_name: 'M', user_id: ids.viewer },
    });
    expect(response.statusCode).toBe(400);
    expect(await userRow(ids.analyst)).toEqual(analystBefore);
    expect(await userRow(ids.viewer)).toEqual(viewerBefore);
  });

  it('C-04: identity headers neither sign anyone in nor switch the signed-in user', async () => {
    const anonymous = await hub.app.inject({ url: '/api/identity/me', headers: claims });
    expect(anonymous.statusCode).toBe(401);
    const me = await hub.app.inject({
      url: `/api/identity/me?user_id=${String(ids.admin)}`,
      headers: { cookie: analyst, ...claims },
    });
    expect(me.json()).toMatchObject({ state: 'signed_in', user: { email: ANALYST.email } });
    // The analyst's session list stays the analyst's own.
    const sessions = await hub.app.inject({
      url: `/api/identity/me/sessions?user_id=${String(ids.admin)}`,
      headers: { cookie: analyst, ...claims },
    });
    const listed = sessions.json<{ id: number }[]>().map((session) => session.id);
    const own = await hub.database.db
      .selectFrom('identity.sessions')
      .select('id')
      .where('user_id', '=', ids.analyst)
      .where('is_active', '=', true)
      .execute();
    expect(listed.sort()).toEqual(own.map((row) => row.id).sort());
    expect(listed.length).toBe(1);
  });
});
