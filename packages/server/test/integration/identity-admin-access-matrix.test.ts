import type { Role } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { createUser, signIn } from '../helpers/identity.js';
import { routeTable, type RouteEntry } from '../helpers/routes.js';

/**
 * The routes managers may call (docs/identity-api.md "who" column; D13, §2). Every other admin
 * route is admin-only.
 */
const MANAGER_ROUTES = new Set([
  'GET /api/identity/admin/users',
  'GET /api/identity/admin/access-requests',
  'POST /api/identity/admin/users/:id/approve',
  'POST /api/identity/admin/users/:id/reject',
  'GET /api/identity/admin/invitations',
  'POST /api/identity/admin/invitations',
  'POST /api/identity/admin/invitations/:id/resend',
  'POST /api/identity/admin/invitations/:id/revoke',
  'GET /api/identity/admin/templates',
]);

/** What the identity-admin helper's routes at least include (so a broken parser cannot pass). */
const OWN_ADMIN_ROUTES = [
  'GET /api/identity/admin/users',
  'PATCH /api/identity/admin/users/:id/role',
  'POST /api/identity/admin/users/:id/deactivate',
  'POST /api/identity/admin/users/:id/reactivate',
  'POST /api/identity/admin/users/:id/unlock',
  'POST /api/identity/admin/users/:id/mfa-reset',
  'POST /api/identity/admin/users/:id/reset-link',
  'POST /api/identity/admin/users/:id/revoke-sessions',
  'POST /api/identity/admin/users/:id/export',
  'GET /api/identity/admin/users/:id/saved-work',
  'DELETE /api/identity/admin/users/:id',
  'GET /api/identity/admin/sessions',
  'DELETE /api/identity/admin/sessions/:id',
  'GET /api/identity/admin/login-attempts',
  'GET /api/identity/admin/login-attempts.csv',
  'GET /api/identity/admin/suspicious',
  'GET /api/identity/admin/audit-events',
  'GET /api/identity/admin/outbox',
];

type Caller = 'anonymous' | Role;

// Scenario: a generated matrix of every admin route of the running app × anonymous, viewer,
// analyst, manager and admin (specs/identity.md C-02, C-06, C-11 "non-admins → 403", L-02).
describe('admin route access matrix', () => {
  let hub: TestHub;
  let adminRoutes: RouteEntry[] = [];
  const cookies = new Map<Caller, string>();
  const userIds = new Map<Caller, number>();

  beforeAll(async () => {
    hub = await createTestHub({ env: { MFA_REQUIRED_ROLES: 'none' } });
    adminRoutes = routeTable(hub.app).filter(
      (route) => route.method !== 'HEAD' && route.url.startsWith('/api/identity/admin'),
    );
    for (const role of ['viewer', 'analyst', 'manager', 'admin'] satisfies Role[]) {
      const user = await createUser(hub, {
        email: `${role}.matrix@umbrella-hub.example`,
        password: `matrix ${role} password 2026`,
        role,
      });
      userIds.set(role, user.id);
      cookies.set(role, await signIn(hub, user.email, `matrix ${role} password 2026`));
    }
  });
  afterAll(() => hub.close());

  /** Path parameters get an id nobody has; bodies are empty, so no allowed call changes data. */
  function call(route: RouteEntry, caller: Caller) {
    const cookie = cookies.get(caller);
    return hub.app.inject({
      method: route.method as 'GET',
      url: route.url.replace(/:id/g, '999999'),
      headers: cookie === undefined ? {} : { cookie },
      ...(route.method === 'GET' ? {} : { payload: {} }),
    });
  }

  const deniedRows = (actorId: number, route: RouteEntry) =>
    hub.database.db
      .selectFrom('identity.audit_events')
      .selectAll()
      .where('action', '=', 'authz.denied')
      .where('actor_id', '=', actorId)
      .where('target_id', '=', `${route.method} ${route.url}`.slice(0, 64))
      .execute();

  it('C-02: the route table holds every admin route of the API contract', () => {
    const keys = adminRoutes.map((route) => `${route.method} ${route.url}`);
    expect(keys).toEqual(expect.arrayContaining(OWN_ADMIN_ROUTES));
    expect(adminRoutes.length).toBeGreaterThanOrEqual(OWN_ADMIN_ROUTES.length);
  });

  it('C-02: anonymous callers get 401 on every admin route, and nothing is logged as denied', async () => {
    for (const route of adminRoutes) {
      const response = await call(route, 'anonymous');
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(response.json(), `${route.method} ${route.url}`).toMatchObject({
        status: 401,
        code: 'unauthenticated',
      });
    }
    const denied = await hub.database.db
      .selectFrom('identity.audit_events')
      .select('id')
      .where('action', '=', 'authz.denied')
      .where('actor_id', 'is', null)
      .execute();
    expect(denied).toHaveLength(0);
  });

  it('C-02 / L-02: viewers and analysts get 403 on every admin route, each logged as authz.denied', async () => {
    for (const caller of ['viewer', 'analyst'] as const) {
      for (const route of adminRoutes) {
        const response = await call(route, caller);
        const label = `${caller} ${route.method} ${route.url}`;
        expect(response.statusCode, label).toBe(403);
        expect(response.json(), label).toMatchObject({ status: 403, code: 'forbidden' });
        const rows = await deniedRows(userIds.get(caller) ?? 0, route);
        expect(rows, label).toHaveLength(1);
        expect(JSON.parse(rows[0]?.details ?? '{}'), label).toMatchObject({ role: caller });
      }
    }
  });

  it('C-02 / C-06 / C-11 / L-02: managers get 403 on admin-only routes (hard deletion included) and pass the guard on manager-scoped ones', async () => {
    const managerId = userIds.get('manager') ?? 0;
    for (const route of adminRoutes) {
      const key = `${route.method} ${route.url}`;
      const response = await call(route, 'manager');
      const rows = await deniedRows(managerId, route);
      if (MANAGER_ROUTES.has(key)) {
        expect(response.statusCode, key).not.toBe(401);
        expect(response.statusCode, key).toBeLessThan(500);
        // The guard let the manager through: no authz.denied row for the route.
        expect(rows, key).toHaveLength(0);
      } else {
        expect(response.statusCode, key).toBe(403);
        expect(response.json(), key).toMatchObject({ code: 'forbidden' });
        expect(rows, key).toHaveLength(1);
        expect(JSON.parse(rows[0]?.details ?? '{}'), key).toEqual({
          role: 'manager',
          required: 'admin',
        });
      }
    }
  });

  it('C-02: admins pass the guard on every admin route (an unknown id is a 4xx of the route, never 401/403)', async () => {
    for (const route of adminRoutes) {
      const key = `${route.method} ${route.url}`;
      const response = await call(route, 'admin');
      expect([401, 403], key).not.toContain(response.statusCode);
      expect(response.statusCode, key).toBeLessThan(500);
    }
    const denied = await hub.database.db
      .selectFrom('identity.audit_events')
      .select('id')
      .where('action', '=', 'authz.denied')
      .where('actor_id', '=', userIds.get('admin') ?? 0)
      .execute();
    expect(denied).toHaveLength(0);
  });
});
