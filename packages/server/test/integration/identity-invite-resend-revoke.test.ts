import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, outbox, signIn, tokenFromMail } from '../helpers/identity.js';

const BASE = 'https://hub.example.com';
const INVITES = '/api/identity/admin/invitations';
const ADMIN = { email: 'ada.admin@example.com', password: 'granite meadow lantern 41' };

// Scenario: an invitee lost the first email, so the admin resends it (a few times too many),
// then revokes another invitation (specs/identity.md US-INV-2, US-INV-3, D14, I-04, §3.6).
describe('resending and revoking invitations', () => {
  const clock = manualClock(new Date('2026-11-21T09:00:00.000Z'));
  let hub: TestHub;
  let admin: string;
  let adminId: number;
  let inviteId: number;

  beforeAll(async () => {
    hub = await createTestHub({ clock, env: { APP_BASE_URL: BASE, MFA_REQUIRED_ROLES: 'none' } });
    adminId = (await createUser(hub, { ...ADMIN, role: 'admin' })).id;
    admin = await signIn(hub, ADMIN.email, ADMIN.password);
  });
  afterAll(() => hub.close());

  /** Moves the clock and signs in again (sessions idle out after 30 minutes, D7). */
  async function later(ms: number): Promise<void> {
    clock.advance(ms);
    admin = await signIn(hub, ADMIN.email, ADMIN.password);
  }
  const post = (url: string, payload?: object) =>
    hub.app.inject({
      method: 'POST',
      url,
      headers: { cookie: admin },
      ...(payload === undefined ? {} : { payload }),
    });
  const preview = (token: string) =>
    hub.app.inject({
      method: 'POST',
      url: '/api/identity/invitations/preview',
      payload: { token },
    });
  const resend = (id: number) => post(`${INVITES}/${String(id)}/resend`, {});
  const row = (id: number) =>
    hub.database.db
      .selectFrom('identity.invites')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const auditActions = async () =>
    (
      await hub.database.db
        .selectFrom('identity.audit_events')
        .select(['action', 'target_id'])
        .where('action', 'like', 'invite.%')
        .orderBy('id', 'asc')
        .execute()
    ).map((event) => `${event.action} ${event.target_id ?? ''}`);

  it('I-04: a resend rotates the token: the old link dies, the new one works; expiry moves on', async () => {
    const created = await post(INVITES, { email: 'lost.mail@example.com', invite_type: 'viewer' });
    expect(created.statusCode).toBe(201);
    inviteId = created.json<{ id: number }>().id;
    const oldToken = await tokenFromMail(hub, 'lost.mail@example.com', `${BASE}/invite/`);
    const oldHash = (await row(inviteId)).token_hash;

    await later(2 * 3_600_000);
    const response = await resend(inviteId);
    expect(response.statusCode).toBe(200);
    // US-INV-2: resend_count + 1; expires_at = now + 7 days.
    expect(response.json()).toMatchObject({
      id: inviteId,
      status: 'pending',
      resend_count: 1,
      expires_at: '2026-11-28T11:00:00.000Z',
    });
    const newToken = await tokenFromMail(hub, 'lost.mail@example.com', `${BASE}/invite/`);
    expect(newToken).not.toBe(oldToken);
    expect(newToken).toHaveLength(64);
    const stored = await row(inviteId);
    expect(stored.token_hash).not.toBe(oldHash);
    // US-INV-2: email_sent_at is updated by the new delivery.
    expect(stored.email_sent_at).toBe('2026-11-21T11:00:00.000Z');
    const mails = (await outbox(hub)).filter((mail) => mail.to_address === 'lost.mail@example.com');
    expect(mails).toHaveLength(2);
    expect(stored.message_id).toBe(mails[1]?.message_id);

    expect((await preview(oldToken)).statusCode).toBe(410);
    const fresh = await preview(newToken);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json()).toMatchObject({ email: 'lost.mail@example.com' });
    expect(await auditActions()).toEqual([
      `invite.create ${String(inviteId)}`,
      `invite.resend ${String(inviteId)}`,
    ]);
  });

  it('§3.6: resends must be 5 minutes apart and at most 3 per invite per 24 h (429)', async () => {
    await later(4 * 60_000);
    const tooSoon = await resend(inviteId);
    expect(tooSoon.statusCode).toBe(429);
    // One minute of the five is left.
    expect(tooSoon.headers['retry-after']).toBe('60');
    expect((await row(inviteId)).resend_count).toBe(1);

    await later(60_000);
    expect((await resend(inviteId)).statusCode).toBe(200);
    await later(5 * 60_000);
    expect((await resend(inviteId)).statusCode).toBe(200);
    await later(5 * 60_000);
    const fourth = await resend(inviteId);
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json()).toMatchObject({
      status: 429,
      detail: 'An invitation can be resent at most 3 times a day.',
    });
    expect((await row(inviteId)).resend_count).toBe(3);

    // A day after the first resend the allowance is back (sign in again: sessions last 12 h).
    await later(24 * 3_600_000);
    expect((await resend(inviteId)).statusCode).toBe(200);
    expect((await row(inviteId)).resend_count).toBe(4);
  });

  it('US-INV-3: revoking sets revoked_at and revoked_by; the link then gets the generic 410', async () => {
    const token = await tokenFromMail(hub, 'lost.mail@example.com', `${BASE}/invite/`);
    await later(60_000);
    const response = await post(`${INVITES}/${String(inviteId)}/revoke`);
    expect(response.statusCode).toBe(200);
    const at = clock().toISOString();
    expect(response.json()).toMatchObject({ id: inviteId, status: 'revoked', revoked_at: at });
    expect(await row(inviteId)).toMatchObject({ revoked_at: at, revoked_by_id: adminId });
    const unknown = await preview('B'.repeat(64));
    const revoked = await preview(token);
    expect(revoked.statusCode).toBe(410);
    expect(revoked.json<{ detail: string }>().detail).toBe(
      unknown.json<{ detail: string }>().detail,
    );

    // Revoking again changes nothing more; a revoked invite cannot be resent.
    await later(60_000);
    const again = await post(`${INVITES}/${String(inviteId)}/revoke`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ revoked_at: at });
    const resent = await resend(inviteId);
    expect(resent.statusCode).toBe(409);
    const actions = await auditActions();
    expect(actions.filter((action) => action.startsWith('invite.revoke'))).toEqual([
      `invite.revoke ${String(inviteId)}`,
    ]);
  });

  it('US-INV-3: a used invite can be neither revoked nor resent (409)', async () => {
    const created = await post(INVITES, { email: 'joined@example.com', invite_type: 'analyst' });
    const id = created.json<{ id: number }>().id;
    const token = await tokenFromMail(hub, 'joined@example.com', `${BASE}/invite/`);
    const accepted = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/invitations/accept',
      payload: { token, first_name: 'Jo', last_name: 'Ined', password: 'lantern orchid 62 sable' },
    });
    expect(accepted.statusCode).toBe(201);
    const before = await row(id);
    expect((await post(`${INVITES}/${String(id)}/revoke`)).statusCode).toBe(409);
    expect((await resend(id)).statusCode).toBe(409);
    expect(await row(id)).toEqual(before);
  });

  it('V-05: an unknown or malformed id → 404 / 400', async () => {
    expect((await post(`${INVITES}/999999/revoke`)).statusCode).toBe(404);
    expect((await post(`${INVITES}/01/revoke`)).statusCode).toBe(400);
    expect((await post(`${INVITES}/1e0/resend`, {})).statusCode).toBe(400);
  });
});
