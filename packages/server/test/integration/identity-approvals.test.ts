import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, outbox, signIn, signInRequest } from '../helpers/identity.js';

const USERS = '/api/identity/admin/users';
const ADMIN = { email: 'ada.admin@example.com', password: 'granite meadow lantern 41' };

// Scenario: an admin works through the queue of pending requests: approves one, declines two
// (sharing the reason once), changes their mind about one, and two admins click at once
// (specs/identity.md §3.4, US-APR-1, US-APR-2, D4).
describe('approving and rejecting access requests', () => {
  const clock = manualClock(new Date('2026-11-21T09:00:00.000Z'));
  let hub: TestHub;
  let admin: string;
  let adminId: number;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    hub = await createTestHub({ clock, env: { MFA_REQUIRED_ROLES: 'none' } });
    adminId = (await createUser(hub, { ...ADMIN, role: 'admin' })).id;
    for (const [name, extra] of [
      ['paula', {}],
      ['rita', {}],
      ['sam', {}],
      ['race', {}],
      ['declined', { rejectionReason: 'not a client' }],
      ['gone', { active: false }],
    ] as const) {
      clock.advance(60_000);
      ids[name] = (
        await createUser(hub, {
          email: `${name}@example.com`,
          password: 'pending person 2026 ok',
          approved: false,
          firstName: name,
          ...extra,
        })
      ).id;
    }
    clock.advance(60_000);
    admin = await signIn(hub, ADMIN.email, ADMIN.password);
  });
  afterAll(() => hub.close());

  const decide = (id: number | undefined, action: 'approve' | 'reject', payload: object) =>
    hub.app.inject({
      method: 'POST',
      url: `${USERS}/${String(id)}/${action}`,
      headers: { cookie: admin },
      payload,
    });
  const userRow = (id: number | undefined) =>
    hub.database.db
      .selectFrom('identity.users')
      .selectAll()
      .where('id', '=', id ?? 0)
      .executeTakeFirstOrThrow();
  const queue = async () => {
    const response = await hub.app.inject({
      url: '/api/identity/admin/access-requests',
      headers: { cookie: admin },
    });
    expect(response.statusCode).toBe(200);
    return response.json<{ items: { email: string; status: string }[]; total: number }>();
  };

  it('US-APR-1: the queue lists pending users only, oldest first', async () => {
    const answer = await queue();
    expect(answer).toMatchObject({ total: 4, page: 1, page_size: 50 });
    expect(answer.items.map((item) => [item.email, item.status])).toEqual([
      ['paula@example.com', 'pending'],
      ['rita@example.com', 'pending'],
      ['sam@example.com', 'pending'],
      ['race@example.com', 'pending'],
    ]);
  });

  it('US-APR-1: approving sets the role, approver and date; the user is told and can sign in', async () => {
    const response = await decide(ids.paula, 'approve', { role: 'analyst' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: ids.paula,
      email: 'paula@example.com',
      role: 'analyst',
      status: 'approved',
      approved_by: ADMIN.email,
      approval_date: '2026-11-21T09:07:00.000Z',
      rejection_reason: '',
    });
    expect(await userRow(ids.paula)).toMatchObject({
      role: 'analyst',
      approved_by_id: adminId,
      approval_date: '2026-11-21T09:07:00.000Z',
      rejected_by_id: null,
      rejected_at: null,
    });
    const mails = (await outbox(hub)).filter((mail) => mail.to_address === 'paula@example.com');
    expect(mails.map((mail) => [mail.purpose, mail.subject])).toEqual([
      ['access_approved', 'Your Umbrella Hub account is approved'],
    ]);
    expect(mails[0]?.text_body).toContain('your role is analyst');
    const signedIn = await signInRequest(hub, 'paula@example.com', 'pending person 2026 ok');
    expect(signedIn.statusCode).toBe(200);
    // §3.4 "no double decisions": approving again is a conflict.
    const again = await decide(ids.paula, 'approve', { role: 'viewer' });
    expect(again.statusCode).toBe(409);
    expect((await userRow(ids.paula)).role).toBe('analyst');
  });

  it('US-APR-2: rejecting needs a reason of 1–1000 characters; the email shares it only if asked', async () => {
    for (const reason of ['', '   ', 'r'.repeat(1001)]) {
      const response = await decide(ids.rita, 'reject', { reason });
      expect(response.statusCode).toBe(400);
    }
    expect((await userRow(ids.rita)).rejection_reason).toBe('');

    const hidden = await decide(ids.rita, 'reject', { reason: 'Unknown company' });
    expect(hidden.statusCode).toBe(200);
    expect(hidden.json()).toMatchObject({
      status: 'rejected',
      rejection_reason: 'Unknown company',
    });
    expect(await userRow(ids.rita)).toMatchObject({
      rejection_reason: 'Unknown company',
      rejected_by_id: adminId,
      rejected_at: '2026-11-21T09:07:00.000Z',
    });
    const shared = await decide(ids.sam, 'reject', {
      reason: 'Please ask your manager for an invitation.',
      share_reason: true,
    });
    expect(shared.statusCode).toBe(200);
    const [ritaMail] = (await outbox(hub)).filter((mail) => mail.to_address === 'rita@example.com');
    const [samMail] = (await outbox(hub)).filter((mail) => mail.to_address === 'sam@example.com');
    expect(ritaMail?.purpose).toBe('access_rejected');
    expect(ritaMail?.text_body).toBe('Your request for access to Umbrella Hub was declined.');
    expect(samMail?.text_body).toBe(
      'Your request for access to Umbrella Hub was declined.\n\nReason: Please ask your manager for an invitation.',
    );
    // Rejected users see "request declined" after a correct password, and get no session.
    const blocked = await signInRequest(hub, 'rita@example.com', 'pending person 2026 ok');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ code: 'rejected' });
    // Rejecting twice is a conflict, and the first reason stays.
    const twice = await decide(ids.rita, 'reject', { reason: 'Another reason' });
    expect(twice.statusCode).toBe(409);
    expect((await userRow(ids.rita)).rejection_reason).toBe('Unknown company');
  });

  it('§3.4 re-approval: a rejected user may be approved later, which clears the rejection', async () => {
    clock.advance(60_000);
    const response = await decide(ids.rita, 'approve', { role: 'viewer' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'approved', rejection_reason: '' });
    expect(await userRow(ids.rita)).toMatchObject({
      role: 'viewer',
      rejection_reason: '',
      rejected_by_id: null,
      rejected_at: null,
      approval_date: '2026-11-21T09:08:00.000Z',
    });
    // Approved users lose access by deactivation, not by rejection.
    expect((await decide(ids.rita, 'reject', { reason: 'changed my mind' })).statusCode).toBe(409);
    // A deactivated account is not in the queue and cannot be approved here.
    expect((await decide(ids.gone, 'approve', { role: 'viewer' })).statusCode).toBe(409);
    expect((await decide(999_999, 'approve', { role: 'viewer' })).statusCode).toBe(404);
  });

  it('§3.4 concurrency: an approve and a reject at the same moment: exactly one decision wins', async () => {
    const [approve, reject] = await Promise.all([
      decide(ids.race, 'approve', { role: 'viewer' }),
      decide(ids.race, 'reject', { reason: 'duplicate' }),
    ]);
    expect([approve.statusCode, reject.statusCode].sort()).toEqual([200, 409]);
    const row = await userRow(ids.race);
    // The loser left no trace: approved with no reason, or rejected and not approved.
    expect(row.rejection_reason).toBe(row.is_approved ? '' : 'duplicate');
    const decisions = await hub.database.db
      .selectFrom('identity.audit_events')
      .select('action')
      .where('target_id', '=', String(ids.race))
      .where('action', 'in', ['user.approve', 'user.reject'])
      .execute();
    expect(decisions).toHaveLength(1);
  });

  it('US-APR-1/2: every decision is audited with its actor', async () => {
    const events = await hub.database.db
      .selectFrom('identity.audit_events')
      .select(['action', 'actor_id', 'target_id'])
      .where('action', 'in', ['user.approve', 'user.reject'])
      .where('target_id', '!=', String(ids.race))
      .orderBy('id', 'asc')
      .execute();
    expect(events).toEqual([
      { action: 'user.approve', actor_id: adminId, target_id: String(ids.paula) },
      { action: 'user.reject', actor_id: adminId, target_id: String(ids.rita) },
      { action: 'user.reject', actor_id: adminId, target_id: String(ids.sam) },
      { action: 'user.approve', actor_id: adminId, target_id: String(ids.rita) },
    ]);
    expect((await queue()).total).toBe(0);
  });
});
