import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, signIn, signInRequest } from '../helpers/identity.js';
import { routeTable, type RouteEntry } from '../helpers/routes.js';
import { describeSchema } from '../helpers/schema.js';

const BASE = 'https://hub.example.com';
const ADMIN = { email: 'ada.admin@example.com', password: 'granite meadow lantern 41' };
const VIEWER = { email: 'vic.viewer@example.com', password: 'pebble harbor violet 17' };
const ANALYST = { email: 'ana.analyst@example.com', password: 'saffron kite ledger 93' };

/**
 * GET routes the identity module registers today (docs/identity-api.md); also what keeps a broken
 * route-table parser from making the sweeps vacuous.
 */
const KNOWN_GET_ROUTES = [
  '/api/identity/status',
  '/api/identity/me',
  '/api/identity/me/sessions',
  '/api/identity/me/login-attempts',
  '/api/identity/admin/users',
  '/api/identity/admin/users/:id/saved-work',
  '/api/identity/admin/access-requests',
  '/api/identity/admin/invitations',
  '/api/identity/admin/templates',
  '/api/identity/admin/sessions',
  '/api/identity/admin/login-attempts',
  '/api/identity/admin/login-attempts.csv',
  '/api/identity/admin/suspicious',
  '/api/identity/admin/audit-events',
  '/api/identity/admin/outbox',
];

type Rows = Record<string, unknown>[];
type AnyTables = Record<string, Record<string, unknown>>;

/**
 * Every row of every identity table (found by introspection, so a new table is included),
 * except what a read may legitimately write: a session's last_activity (§3.7, written at most
 * once a minute) and append-only authz.denied audit rows (L-02).
 */
async function identitySnapshot(hub: TestHub): Promise<Record<string, Rows>> {
  const db = hub.database.db as unknown as Kysely<AnyTables>;
  const tables = (await describeSchema(hub.database.db))
    .map((table) => table.name)
    .filter((name) => name.startsWith('identity.'));
  const snapshot: Record<string, Rows> = {};
  for (const table of tables) {
    const rows = await db.selectFrom(table).selectAll().execute();
    snapshot[table] = rows
      .filter((row) => !(table === 'identity.audit_events' && row.action === 'authz.denied'))
      .map((row) =>
        table === 'identity.sessions'
          ? Object.fromEntries(Object.entries(row).filter(([column]) => column !== 'last_activity'))
          : row,
      )
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return snapshot;
}

/** A concrete path for a route: ids become a real user's id, wildcards a plain segment. */
function concrete(url: string, userId: number): string {
  return url.replace(/:[a-z_]+/gi, String(userId)).replace(/\*/g, 'w02');
}

/** Calls every GET and HEAD route, and OPTIONS (a CORS preflight) on every path, as one caller. */
async function sweep(hub: TestHub, routes: RouteEntry[], userId: number, cookie?: string) {
  const statuses: string[] = [];
  const headers = cookie === undefined ? {} : { cookie };
  for (const route of routes.filter((entry) => entry.method === 'GET' || entry.method === 'HEAD')) {
    const response = await hub.app.inject({
      method: route.method as 'GET' | 'HEAD',
      url: concrete(route.url, userId),
      headers,
    });
    statuses.push(`${String(response.statusCode)} ${route.method} ${route.url}`);
  }
  for (const url of new Set(routes.map((route) => route.url))) {
    const response = await hub.app.inject({
      method: 'OPTIONS',
      url: concrete(url, userId),
      headers: { ...headers, origin: BASE, 'access-control-request-method': 'POST' },
    });
    statuses.push(`${String(response.statusCode)} OPTIONS ${url}`);
  }
  return statuses;
}

// Scenario: a hub with data in every identity table; an admin, a viewer and an anonymous
// visitor (or a link scanner) call every GET, HEAD and OPTIONS route there is
// (specs/identity.md W-02, ASVS 5.0 3.5.3; I-07 is the invitation-link case).
describe('no state change over GET, HEAD or OPTIONS', () => {
  const clock = manualClock();
  let hub: TestHub;
  let routes: RouteEntry[] = [];
  let analystId = 0;
  let admin = '';
  let viewer = '';

  beforeAll(async () => {
    hub = await createTestHub({ clock, env: { APP_BASE_URL: BASE, MFA_REQUIRED_ROLES: 'none' } });
    routes = routeTable(hub.app);
    await createUser(hub, { ...ADMIN, role: 'admin' });
    await createUser(hub, { ...VIEWER, role: 'viewer' });
    analystId = (await createUser(hub, { ...ANALYST, role: 'analyst' })).id;
    admin = await signIn(hub, ADMIN.email, ADMIN.password);
    viewer = await signIn(hub, VIEWER.email, VIEWER.password);
    // Rows in the other tables: a failed sign-in (attempts, throttles), an invitation (invites,
    // mail, audit), a template, a pending access request (one-time token).
    await signInRequest(hub, ANALYST.email, 'not the password at all');
    const post = (url: string, payload: object) =>
      hub.app.inject({ method: 'POST', url, headers: { cookie: admin }, payload });
    expect(
      (
        await post('/api/identity/admin/invitations', {
          email: 'new@example.com',
          invite_type: 'analyst',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await post('/api/identity/admin/templates', {
          name: 'Welcome',
          invite_type: 'viewer',
          subject: 'Join us',
          message_template: 'Hello {{ invitee_email }}: {{ invite_link }}',
        })
      ).statusCode,
    ).toBe(201);
    const request = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/access-requests',
      payload: { email: 'curious@example.com', first_name: 'Cu', last_name: 'Rious' },
    });
    expect(request.statusCode).toBe(202);
    await hub.app.hub.identity.background.idle();
  });
  afterAll(() => hub.close());

  it('W-02: the inventory lists every GET and HEAD route, and each GET also answers HEAD', () => {
    const gets = routes.filter((route) => route.method === 'GET').map((route) => route.url);
    const heads = routes.filter((route) => route.method === 'HEAD').map((route) => route.url);
    // Identity's own read routes, exactly: a new one is reviewed here; the sweeps below call
    // every GET route of every module without a list.
    expect(gets.filter((url) => url.startsWith('/api/identity/')).sort()).toEqual(
      [...KNOWN_GET_ROUTES].sort(),
    );
    expect([...heads].sort()).toEqual([...gets].sort());
  });

  it('W-02: as an admin, every GET, HEAD and OPTIONS call leaves every identity table as it was', async () => {
    const before = await identitySnapshot(hub);
    clock.advance(2 * 60_000); // so that a read may write last_activity (excluded above)
    const statuses = await sweep(hub, routes, analystId, admin);
    expect(statuses.filter((status) => status.startsWith('5'))).toEqual([]);
    // The admin really reached the handlers (not just the guard).
    for (const url of KNOWN_GET_ROUTES) {
      expect(statuses, url).toContain(`200 GET ${url}`);
    }
    expect(await identitySnapshot(hub)).toEqual(before);
  });

  it('W-02: as a viewer (denied on admin routes) and anonymously, nothing changes either', async () => {
    const before = await identitySnapshot(hub);
    clock.advance(2 * 60_000);
    const asViewer = await sweep(hub, routes, analystId, viewer);
    expect(asViewer).toContain('403 GET /api/identity/admin/users');
    const anonymous = await sweep(hub, routes, analystId);
    expect(anonymous).toContain('401 GET /api/identity/me');
    expect([...asViewer, ...anonymous].filter((status) => status.startsWith('5'))).toEqual([]);
    expect(await identitySnapshot(hub)).toEqual(before);
  });

  it('W-02: a GET route added later is swept too, and a write in it is caught', async () => {
    const probe = await createTestHub({
      env: { APP_BASE_URL: BASE, MFA_REQUIRED_ROLES: 'none' },
      beforeReady: (app) => {
        app.get('/api/probe/w02-unsafe', { config: { access: { role: 'viewer' } } }, async () => {
          await app.hub.database.db
            .updateTable('identity.users')
            .set((eb) => ({ login_count: eb('login_count', '+', 1) }))
            .execute();
          return { ok: true };
        });
      },
    });
    try {
      const id = (await createUser(probe, { ...VIEWER, role: 'viewer' })).id;
      const cookie = await signIn(probe, VIEWER.email, VIEWER.password);
      const probeRoutes = routeTable(probe.app);
      expect(probeRoutes).toContainEqual({ method: 'GET', url: '/api/probe/w02-unsafe' });
      const before = await identitySnapshot(probe);
      await sweep(probe, probeRoutes, id, cookie);
      expect(await identitySnapshot(probe)).not.toEqual(before);
    } finally {
      await probe.close();
    }
  });
});
