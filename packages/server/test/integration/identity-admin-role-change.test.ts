import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { createUser, signIn, type TestUser } from '../helpers/identity.js';

// Scenario: the hub's first admin changes roles: promotes an analyst to manager (MFA becomes
// mandatory for managers here), shares the admin role, and tries to demote themselves
// (specs/identity.md US-ADM-2, §3.10 guards, S-07, C-05, C-07, C-09, D8).
describe('admin role changes', () => {
  let hub: TestHub;
  let ada: TestUser;
  let ben: TestUser;
  let carla: TestUser;
  let adaCookie = '';
  /** While set, requests wait after the guard until this many have passed it (a race on cue). */
  let barrier: { size: number; waiting: (() => void)[] } | null = null;
  let heldAtBarrier = 0;

  beforeAll(async () => {
    // Managers must use MFA in this deployment; admins are left out so the test admin can act.
    hub = await createTestHub({
      env: { MFA_REQUIRED_ROLES: 'manager' },
      beforeReady: (app) => {
        app.addHook('preHandler', async () => {
          const gate = barrier;
          if (gate === null) return;
          heldAtBarrier += 1;
          await new Promise<void>((resolve) => {
            gate.waiting.push(resolve);
            if (gate.waiting.length === gate.size) for (const release of gate.waiting) release();
          });
        });
      },
    });
    ada = await createUser(hub, { email: 'ada.admin@umbrella-hub.example', role: 'admin' });
    ben = await createUser(hub, { email: 'ben.second@umbrella-hub.example', role: 'admin' });
    carla = await createUser(hub, { email: 'carla.analyst@northbridge.example', role: 'analyst' });
    adaCookie = await signIn(hub, ada.email, ada.password);
  });
  afterAll(() => hub.close());

  const setRole = (cookie: string, id: number, payload: unknown) =>
    hub.app.inject({
      method: 'PATCH',
      url: `/api/identity/admin/users/${String(id)}/role`,
      headers: { cookie },
      payload: payload as Record<string, unknown>,
    });
  const userRow = (id: number) =>
    hub.database.db
      .selectFrom('identity.users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const me = (cookie: string) => hub.app.inject({ url: '/api/identity/me', headers: { cookie } });
  const auditRows = (action: string) =>
    hub.database.db
      .selectFrom('identity.audit_events')
      .selectAll()
      .where('action', '=', action)
      .orderBy('id', 'asc')
      .execute();

  it('US-ADM-2 / S-07: a role change is audited with before and after and ends the user’s sessions', async () => {
    const carlaCookie = await signIn(hub, carla.email, carla.password);
    expect((await me(carlaCookie)).statusCode).toBe(200);

    const response = await setRole(adaCookie, carla.id, { role: 'manager' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: carla.id, role: 'manager', status: 'approved' });
    expect((await userRow(carla.id)).role).toBe('manager');
    // S-07: the open session is dead on its next request.
    expect((await me(carlaCookie)).statusCode).toBe(401);

    const rows = await auditRows('user.role_change');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_id: ada.id,
      target_type: 'user',
      target_id: String(carla.id),
    });
    expect(JSON.parse(rows[0]?.details ?? '')).toEqual({
      before: 'analyst',
      after: 'manager',
      sessions_revoked: 1,
      mfa_enrolment_required: true,
    });
  });

  it('US-ADM-2 / D8: promotion to a role in MFA_REQUIRED_ROLES forces MFA enrolment', async () => {
    const cookie = await signIn(hub, carla.email, carla.password);
    expect((await me(cookie)).json()).toMatchObject({
      state: 'signed_in',
      user: { role: 'manager', mfa_enrolment_required: true },
    });
    const directory = await hub.app.inject({
      url: '/api/identity/admin/users',
      headers: { cookie },
    });
    expect(directory.statusCode).toBe(403);
    expect(directory.json()).toMatchObject({ code: 'mfa_enrolment_required' });
  });

  it('C-09: authorisation reads the role from the database on every request', async () => {
    await setRole(adaCookie, carla.id, { role: 'analyst' });
    const cookie = await signIn(hub, carla.email, carla.password);
    const asAnalyst = await hub.app.inject({
      url: '/api/identity/admin/users',
      headers: { cookie },
    });
    expect(asAnalyst.statusCode).toBe(403);
    expect(asAnalyst.json()).toMatchObject({ code: 'forbidden' });
    // A change made behind the API (no session revoked) shows on the very next request.
    await hub.database.db
      .updateTable('identity.users')
      .set({ role: 'viewer' })
      .where('id', '=', carla.id)
      .execute();
    expect((await me(cookie)).json()).toMatchObject({ user: { role: 'viewer' } });
  });

  it('C-05: the role endpoint accepts only {role}; is_superuser and other flags are refused, nothing changes', async () => {
    const before = await userRow(carla.id);
    for (const payload of [
      { role: 'admin', is_superuser: true },
      { role: 'analyst', is_approved: true, is_staff: true },
      { is_superuser: true },
      { role: 'superuser' },
      { role: 'admin', email: 'attacker@evil.example' },
    ]) {
      const response = await setRole(adaCookie, carla.id, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
    expect(await userRow(carla.id)).toEqual(before);
    expect((await userRow(carla.id)).is_superuser).toBeFalsy();
  });

  it('C-07: an admin cannot demote themselves, not even when another admin exists (409)', async () => {
    const response = await setRole(adaCookie, ada.id, { role: 'manager' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ status: 409, title: 'You cannot demote yourself' });
    expect((await userRow(ada.id)).role).toBe('admin');
  });

  it('C-07: two admins demoting each other at once leave exactly one admin', async () => {
    const benCookie = await signIn(hub, ben.email, ben.password);
    // Both requests pass the guard as admins before either change runs.
    barrier = { size: 2, waiting: [] };
    const [adaDemotesBen, benDemotesAda] = await Promise.all([
      setRole(adaCookie, ben.id, { role: 'analyst' }),
      setRole(benCookie, ada.id, { role: 'analyst' }),
    ]).finally(() => {
      barrier = null;
    });
    expect(heldAtBarrier).toBe(2);
    expect([adaDemotesBen.statusCode, benDemotesAda.statusCode].sort()).toEqual([200, 409]);
    const admins = await hub.database.db
      .selectFrom('identity.users')
      .select('email')
      .where('role', '=', 'admin')
      .execute();
    expect(admins).toHaveLength(1);
    const loser = adaDemotesBen.statusCode === 409 ? adaDemotesBen : benDemotesAda;
    expect(loser.json()).toMatchObject({ title: 'The last admin must stay' });
  });

  it('C-07: the only admin cannot be demoted (409) and stays admin', async () => {
    const [onlyAdmin] = await hub.database.db
      .selectFrom('identity.users')
      .select(['id', 'email'])
      .where('role', '=', 'admin')
      .execute();
    expect(onlyAdmin).toBeDefined();
    const id = onlyAdmin?.id ?? 0;
    const cookie = id === ada.id ? adaCookie : await signIn(hub, ben.email, ben.password);
    const response = await setRole(cookie, id, { role: 'viewer' });
    expect(response.statusCode).toBe(409);
    expect((await userRow(id)).role).toBe('admin');
  });
});
