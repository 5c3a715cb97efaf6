import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, signIn, tokenFromMail } from '../helpers/identity.js';

const BASE = 'https://hub.example.com';
const INVITES = '/api/identity/admin/invitations';
const SECRET = 'list-test-bounce-secret-0123456789';
const ADMIN = { email: 'ada.admin@example.com', password: 'granite meadow lantern 41' };
const MANAGER = { email: 'mo.manager@example.com', password: 'copper willow signal 58' };

interface ListAnswer {
  items: { email: string; status: string }[];
  total: number;
  page: number;
  page_size: number;
}

// Scenario: an admin and a manager look through invitations in every state, by status and page
// (specs/identity.md US-INV-6, D13 "managers see their own").
describe('listing invitations', () => {
  const clock = manualClock(new Date('2026-11-21T09:00:00.000Z'));
  let hub: TestHub;
  let admin: string;
  let manager: string;

  beforeAll(async () => {
    hub = await createTestHub({
      clock,
      env: { APP_BASE_URL: BASE, MFA_REQUIRED_ROLES: 'none', BOUNCE_WEBHOOK_SECRET: SECRET },
    });
    await createUser(hub, { ...ADMIN, role: 'admin' });
    await createUser(hub, { ...MANAGER, role: 'manager' });
    admin = await signIn(hub, ADMIN.email, ADMIN.password);
    manager = await signIn(hub, MANAGER.email, MANAGER.password);

    const create = async (cookie: string, email: string, days = 7) => {
      const response = await hub.app.inject({
        method: 'POST',
        url: INVITES,
        headers: { cookie },
        payload: { email, invite_type: 'viewer', expires_in_days: days },
      });
      expect(response.statusCode).toBe(201);
      return response.json<{ id: number }>().id;
    };
    const bounce = async (id: number) => {
      const row = await hub.database.db
        .selectFrom('identity.invites')
        .select('message_id')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const body = JSON.stringify({ message_id: row.message_id, reason: '550 mailbox unknown' });
      const signature = createHmac('sha256', SECRET).update(body).digest('hex');
      const response = await hub.app.inject({
        method: 'POST',
        url: '/api/identity/mail/bounces',
        headers: {
          'content-type': 'application/json',
          'x-umbrella-signature': `sha256=${signature}`,
        },
        payload: body,
      });
      expect(response.statusCode).toBe(204);
    };
    const revoke = async (id: number) => {
      const response = await hub.app.inject({
        method: 'POST',
        url: `${INVITES}/${String(id)}/revoke`,
        headers: { cookie: admin },
      });
      expect(response.statusCode).toBe(200);
    };

    // expired: a 1-day invite, then a day passes (one that also bounced counts as bounced).
    await create(admin, 'expired@example.com', 1);
    await bounce(await create(admin, 'expired.bounced@example.com', 1));
    clock.advance(24 * 3_600_000 + 60_000);
    admin = await signIn(hub, ADMIN.email, ADMIN.password);
    manager = await signIn(hub, MANAGER.email, MANAGER.password);
    await create(admin, 'pending@example.com');
    await bounce(await create(admin, 'bounced@example.com'));
    const revokedBounced = await create(admin, 'revoked.bounced@example.com');
    await bounce(revokedBounced);
    await revoke(revokedBounced);
    await revoke(await create(admin, 'revoked@example.com'));
    await create(admin, 'used@example.com');
    const token = await tokenFromMail(hub, 'used@example.com', `${BASE}/invite/`);
    const accepted = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/invitations/accept',
      payload: { token, first_name: 'Used', last_name: 'Up', password: 'saffron kite 9 ledger' },
    });
    expect(accepted.statusCode).toBe(201);
    await create(manager, 'managers.own@example.com');
    await create(manager, 'managers.second@example.com');
  });
  afterAll(() => hub.close());

  const list = async (cookie: string, query = '') => {
    const response = await hub.app.inject({ url: `${INVITES}${query}`, headers: { cookie } });
    expect(response.statusCode).toBe(200);
    return response.json<ListAnswer>();
  };
  const statuses = (answer: ListAnswer) =>
    Object.fromEntries(answer.items.map((item) => [item.email, item.status]));

  it('US-INV-6: the status is derived in the order used > revoked > bounced > expired > pending', async () => {
    const answer = await list(admin);
    expect(answer.total).toBe(9);
    expect(statuses(answer)).toEqual({
      'expired@example.com': 'expired',
      'expired.bounced@example.com': 'bounced',
      'pending@example.com': 'pending',
      'bounced@example.com': 'bounced',
      'revoked.bounced@example.com': 'revoked',
      'revoked@example.com': 'revoked',
      'used@example.com': 'used',
      'managers.own@example.com': 'pending',
      'managers.second@example.com': 'pending',
    });
    // Newest first.
    expect(answer.items[0]?.email).toBe('managers.second@example.com');
  });

  it('US-INV-6: filtering by each status returns exactly the invites with that status', async () => {
    const expected: Record<string, string[]> = {
      used: ['used@example.com'],
      revoked: ['revoked@example.com', 'revoked.bounced@example.com'],
      bounced: ['bounced@example.com', 'expired.bounced@example.com'],
      expired: ['expired@example.com'],
      pending: ['managers.second@example.com', 'managers.own@example.com', 'pending@example.com'],
    };
    for (const [status, emails] of Object.entries(expected)) {
      const answer = await list(admin, `?status=${status}`);
      expect(answer.items.map((item) => item.email)).toEqual(emails);
      expect(answer.total).toBe(emails.length);
    }
    const bad = await hub.app.inject({ url: `${INVITES}?status=gone`, headers: { cookie: admin } });
    expect(bad.statusCode).toBe(400);
  });

  it('pages: page 2 of size 4 holds the 5th to 8th newest, the total counts all', async () => {
    const all = await list(admin);
    const second = await list(admin, '?page=2&page_size=4');
    expect(second).toMatchObject({ total: 9, page: 2, page_size: 4 });
    expect(second.items.map((item) => item.email)).toEqual(
      all.items.slice(4, 8).map((item) => item.email),
    );
  });

  it('D13: a manager sees only the invitations they created', async () => {
    const answer = await list(manager);
    expect(answer.total).toBe(2);
    expect(answer.items.map((item) => item.email)).toEqual([
      'managers.second@example.com',
      'managers.own@example.com',
    ]);
    const pending = await list(manager, '?status=pending');
    expect(pending.total).toBe(2);
  });
});
