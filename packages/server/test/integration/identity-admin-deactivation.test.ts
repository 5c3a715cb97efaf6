import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/modules/identity/crypto.js';
import { userDataStores } from '../../src/modules/identity/user-data.js';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, signIn, signInRequest, type TestUser } from '../helpers/identity.js';

// Scenario: a manager leaves the partner firm. The admin deactivates the account: the open
// session dies, the invitations the manager sent but nobody used stop working, the saved work
// stays; months later the admin reactivates it (specs/identity.md US-ADM-3, D17, S-07, C-07,
// US-INV-4).
describe('admin deactivation and reactivation', () => {
  const clock = manualClock(new Date('2026-11-21T09:00:00.000Z'));
  let hub: TestHub;
  let admin: TestUser;
  let mo: TestUser;
  let otherManager: TestUser;
  let adminCookie = '';
  let moCookie = '';
  let unregister: () => void = () => undefined;
  let storeDeletes = 0;
  const inviteIds: Record<string, number> = {};

  beforeAll(async () => {
    hub = await createTestHub({ clock, env: { MFA_REQUIRED_ROLES: 'none' } });
    admin = await createUser(hub, { email: 'ada.admin@umbrella-hub.example', role: 'admin' });
    mo = await createUser(hub, { email: 'mo.manager@northbridge.example', role: 'manager' });
    otherManager = await createUser(hub, {
      email: 'noor.manager@northbridge.example',
      role: 'manager',
    });
    // A later module's saved work, one saved backtest for Mo.
    unregister = userDataStores.register({
      name: 'saved_backtests',
      describe: (userId) =>
        Promise.resolve(
          userId === mo.id
            ? { count: 1, bytes: 2048, items: ['Q3 momentum'] }
            : { count: 0, bytes: 0, items: [] },
        ),
      export: () => Promise.resolve([]),
      delete: () => {
        storeDeletes += 1;
        return Promise.resolve(0);
      },
    });
    const now = hub.app.hub.clock();
    const invite = async (name: string, createdBy: number, used: boolean) => {
      const row = await hub.database.db
        .insertInto('identity.invites')
        .values({
          token_hash: sha256Hex(`invite-token-${name}`),
          email: `${name}@client.example`,
          invite_type: 'viewer',
          custom_message: '',
          created_by_id: createdBy,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
          used_at: used ? now.toISOString() : null,
          email_sent_at: now.toISOString(),
          email_bounced: false,
          bounce_reason: '',
          revoked_at: null,
          revoked_by_id: null,
          resend_count: 0,
          accepted_user_id: null,
          template_id: null,
          message_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      inviteIds[name] = row.id;
    };
    await invite('pending-from-mo', mo.id, false);
    await invite('used-from-mo', mo.id, true);
    await invite('pending-from-noor', otherManager.id, false);
    adminCookie = await signIn(hub, admin.email, admin.password);
    moCookie = await signIn(hub, mo.email, mo.password);
  });
  afterAll(async () => {
    unregister();
    await hub.close();
  });

  const post = (action: string, id: number, cookie = adminCookie) =>
    hub.app.inject({
      method: 'POST',
      url: `/api/identity/admin/users/${String(id)}/${action}`,
      headers: { cookie },
    });
  const me = (cookie: string) => hub.app.inject({ url: '/api/identity/me', headers: { cookie } });
  const invites = () =>
    hub.database.db
      .selectFrom('identity.invites')
      .select(['id', 'revoked_at', 'revoked_by_id', 'used_at'])
      .orderBy('id', 'asc')
      .execute();
  const auditRows = (action: string) =>
    hub.database.db
      .selectFrom('identity.audit_events')
      .selectAll()
      .where('action', '=', action)
      .execute();

  it('US-ADM-3 / S-07: deactivation blocks the user and ends the open session on its next request', async () => {
    expect((await me(moCookie)).statusCode).toBe(200);
    const response = await post('deactivate', mo.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: mo.id, status: 'inactive', role: 'manager' });
    expect((await me(moCookie)).statusCode).toBe(401);

    const row = await hub.database.db
      .selectFrom('identity.users')
      .select(['is_active', 'deactivated_at', 'deactivated_by_id'])
      .where('id', '=', mo.id)
      .executeTakeFirstOrThrow();
    expect({ ...row, is_active: Boolean(row.is_active) }).toEqual({
      is_active: false,
      deactivated_at: '2026-11-21T09:00:00.000Z',
      deactivated_by_id: admin.id,
    });

    const signInAgain = await signInRequest(hub, mo.email, mo.password);
    expect(signInAgain.statusCode).toBe(403);
    expect(signInAgain.json()).toMatchObject({ code: 'inactive' });
  });

  it('US-ADM-3 / US-INV-4: only the pending invitations the user created are revoked', async () => {
    const rows = await invites();
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(inviteIds['pending-from-mo'] ?? 0)).toMatchObject({
      revoked_at: '2026-11-21T09:00:00.000Z',
      revoked_by_id: admin.id,
    });
    expect(byId.get(inviteIds['used-from-mo'] ?? 0)).toMatchObject({
      revoked_at: null,
      revoked_by_id: null,
    });
    expect(byId.get(inviteIds['pending-from-noor'] ?? 0)).toMatchObject({
      revoked_at: null,
      revoked_by_id: null,
    });
    const audit = await auditRows('user.deactivate');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: admin.id, target_id: String(mo.id) });
    expect(JSON.parse(audit[0]?.details ?? '')).toEqual({
      sessions_revoked: 1,
      invites_revoked: 1,
    });
  });

  it('D17: deactivation keeps the saved work (metadata still listed, no store deletion ran)', async () => {
    const response = await hub.app.inject({
      url: `/api/identity/admin/users/${String(mo.id)}/saved-work`,
      headers: { cookie: adminCookie },
    });
    expect(response.json()).toEqual({
      stores: [
        { name: 'margin_calculations', count: 0, bytes: 0, items: [] },
        { name: 'saved_backtests', count: 1, bytes: 2048, items: ['Q3 momentum'] },
      ],
    });
    expect(storeDeletes).toBe(0);
  });

  it('US-ADM-3: deactivating an inactive user changes nothing and is not audited twice', async () => {
    const response = await post('deactivate', mo.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'inactive' });
    expect(await auditRows('user.deactivate')).toHaveLength(1);
  });

  it('C-07: an admin cannot deactivate themselves (409), and stays active', async () => {
    const response = await post('deactivate', admin.id);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ title: 'You cannot deactivate yourself' });
    expect((await me(adminCookie)).statusCode).toBe(200);
  });

  it('US-ADM-3: reactivation restores login but not the revoked sessions', async () => {
    const response = await post('reactivate', mo.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: mo.id, status: 'approved' });
    expect((await me(moCookie)).statusCode).toBe(401);
    const fresh = await signIn(hub, mo.email, mo.password);
    expect((await me(fresh)).statusCode).toBe(200);
    const row = await hub.database.db
      .selectFrom('identity.users')
      .select(['deactivated_at', 'deactivated_by_id'])
      .where('id', '=', mo.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ deactivated_at: null, deactivated_by_id: null });
    const audit = await auditRows('user.reactivate');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: admin.id, target_id: String(mo.id) });
    // The revoked invitation stays revoked.
    const revoked = (await invites()).find((invite) => invite.id === inviteIds['pending-from-mo']);
    expect(revoked?.revoked_at).toBe('2026-11-21T09:00:00.000Z');
  });

  it('bad input: an unknown user is a 404 problem and nothing is audited', async () => {
    const before = await hub.database.db.selectFrom('identity.audit_events').selectAll().execute();
    for (const action of ['deactivate', 'reactivate']) {
      const response = await post(action, 424242);
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
    expect(await hub.database.db.selectFrom('identity.audit_events').selectAll().execute()).toEqual(
      before,
    );
  });
});
