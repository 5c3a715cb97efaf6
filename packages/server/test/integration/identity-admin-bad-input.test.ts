import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { createUser, signIn, type TestUser } from '../helpers/identity.js';

/** Every admin route of this module that takes a user id, with a body it would accept. */
const USER_ROUTES = [
  ['PATCH', 'role', { role: 'viewer' }],
  ['POST', 'deactivate', undefined],
  ['POST', 'reactivate', undefined],
  ['POST', 'unlock', undefined],
  ['POST', 'mfa-reset', undefined],
  ['POST', 'reset-link', undefined],
  ['POST', 'revoke-sessions', undefined],
  ['POST', 'export', undefined],
  ['GET', 'saved-work', undefined],
] as const;

// Scenario: a script (or a careless integrator) sends the admin API malformed ids, bodies and
// requests from another site; every one is a 4xx problem and the database is exactly as before
// (specs/identity.md V-05, C-05, W-01, V-06, "bad input → 4xx problem and nothing changes").
describe('admin API bad input', () => {
  let hub: TestHub;
  let admin: TestUser;
  let target: TestUser;
  let cookie = '';

  beforeAll(async () => {
    hub = await createTestHub({ env: { MFA_REQUIRED_ROLES: 'none' } });
    admin = await createUser(hub, { email: 'ada.admin@umbrella-hub.example', role: 'admin' });
    target = await createUser(hub, { email: 'tim.target@northbridge.example', role: 'analyst' });
    await signIn(hub, target.email, target.password);
    cookie = await signIn(hub, admin.email, admin.password);
  });
  afterAll(() => hub.close());

  /** Everything an admin action could change. */
  const snapshot = async () => {
    const db = hub.database.db;
    return {
      users: await db.selectFrom('identity.users').selectAll().orderBy('id').execute(),
      sessions: await db.selectFrom('identity.sessions').selectAll().orderBy('id').execute(),
      audit: await db.selectFrom('identity.audit_events').selectAll().orderBy('id').execute(),
      tokens: await db.selectFrom('identity.one_time_tokens').selectAll().orderBy('id').execute(),
      exports: await db.selectFrom('identity.user_exports').selectAll().orderBy('id').execute(),
      mail: await db.selectFrom('identity.mail_messages').selectAll().orderBy('id').execute(),
      throttles: await db.selectFrom('identity.throttles').selectAll().orderBy('key').execute(),
    };
  };

  it('V-05: ids 1e0, 01, "1 ", abc, -1 and 0 are 400 on every user route; nothing changes', async () => {
    const before = await snapshot();
    for (const id of ['1e0', '01', '1%20', 'abc', '-1', '0', '99999999999']) {
      for (const [method, action, payload] of USER_ROUTES) {
        const response = await hub.app.inject({
          method,
          url: `/api/identity/admin/users/${id}/${action}`,
          headers: { cookie },
          ...(payload === undefined ? {} : { payload }),
        });
        const label = `${method} ${id}/${action}`;
        expect(response.statusCode, label).toBe(400);
        expect(response.headers['content-type'], label).toBe(
          'application/problem+json; charset=utf-8',
        );
        expect(response.json(), label).toMatchObject({
          status: 400,
          errors: [{ path: 'params.id' }],
        });
      }
      const remove = await hub.app.inject({
        method: 'DELETE',
        url: `/api/identity/admin/users/${id}`,
        headers: { cookie },
        payload: { confirm_email: target.email },
      });
      expect(remove.statusCode, `DELETE ${id}`).toBe(400);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('V-05: a well-formed id is accepted (the positive control)', async () => {
    const response = await hub.app.inject({
      url: `/api/identity/admin/users/${String(target.id)}/saved-work`,
      headers: { cookie },
    });
    expect(response.statusCode).toBe(200);
    // The margin history is registered by its module; this user has none.
    expect(response.json()).toEqual({
      stores: [{ name: 'margin_calculations', count: 0, bytes: 0, items: [] }],
    });
  });

  it('C-05 / bad input: malformed JSON, a wrong media type or a wrong role type is a 4xx problem; nothing changes', async () => {
    const before = await snapshot();
    const url = `/api/identity/admin/users/${String(target.id)}/role`;
    const cases = [
      { payload: '{"role":', type: 'application/json', status: 400 },
      { payload: 'role=admin', type: 'application/x-www-form-urlencoded', status: 415 },
      { payload: JSON.stringify({ role: ['admin'] }), type: 'application/json', status: 400 },
      { payload: JSON.stringify({ role: 'ADMIN' }), type: 'application/json', status: 400 },
      { payload: JSON.stringify([{ role: 'admin' }]), type: 'application/json', status: 400 },
      {
        payload: '{"role":"admin","__proto__":{"is_superuser":true}}',
        type: 'application/json',
        status: 400,
      },
    ];
    for (const { payload, type, status } of cases) {
      const response = await hub.app.inject({
        method: 'PATCH',
        url,
        headers: { cookie, 'content-type': type },
        payload,
      });
      expect(response.statusCode, payload).toBe(status);
      expect(response.headers['content-type'], payload).toBe(
        'application/problem+json; charset=utf-8',
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  it('W-01: a state-changing admin request from another site is refused (403) and changes nothing', async () => {
    const before = await snapshot();
    const response = await hub.app.inject({
      method: 'POST',
      url: `/api/identity/admin/users/${String(target.id)}/deactivate`,
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'csrf' });
    expect(await snapshot()).toEqual(before);
  });

  it('V-06: an oversized export-download body is refused (413) before anything runs', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/exports/download',
      payload: { token: 'a'.repeat(200_000) },
    });
    expect(response.statusCode).toBe(413);
  });
});
