import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, outbox, signIn, tokenFromMail } from '../helpers/identity.js';

const BASE = 'https://hub.example.com';
const INVITES = '/api/identity/admin/invitations';
const BOUNCES = '/api/identity/mail/bounces';
const SECRET = 'bounce-test-secret-abcdefghijklmnop';
const ADMIN = { email: 'ada.admin@example.com', password: 'granite meadow lantern 41' };

const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

// Scenario: the mail provider reports that an invitation bounced; forged reports are refused;
// the admin corrects the address (specs/identity.md US-INV-5, I-10).
describe('bounce reports', () => {
  const clock = manualClock(new Date('2026-11-21T09:00:00.000Z'));
  let hub: TestHub;
  let admin: string;
  let inviteId: number;
  let messageId: string;

  beforeAll(async () => {
    hub = await createTestHub({
      clock,
      env: { APP_BASE_URL: BASE, MFA_REQUIRED_ROLES: 'none', BOUNCE_WEBHOOK_SECRET: SECRET },
    });
    await createUser(hub, { ...ADMIN, role: 'admin' });
    admin = await signIn(hub, ADMIN.email, ADMIN.password);
    const response = await hub.app.inject({
      method: 'POST',
      url: INVITES,
      headers: { cookie: admin },
      payload: { email: 'typo@exmaple.com', invite_type: 'analyst', custom_message: 'Hi!' },
    });
    expect(response.statusCode).toBe(201);
    inviteId = response.json<{ id: number }>().id;
    const [mail] = await outbox(hub);
    messageId = mail?.message_id ?? '';
  });
  afterAll(() => hub.close());

  const report = (body: string, headers: Record<string, string> = {}) =>
    hub.app.inject({
      method: 'POST',
      url: BOUNCES,
      headers: { 'content-type': 'application/json', ...headers },
      payload: body,
    });
  const invite = () =>
    hub.database.db
      .selectFrom('identity.invites')
      .selectAll()
      .where('id', '=', inviteId)
      .executeTakeFirstOrThrow();
  const bounceAudits = () =>
    hub.database.db
      .selectFrom('identity.audit_events')
      .selectAll()
      .where('action', '=', 'invite.bounce')
      .execute();

  it('I-10: unsigned, wrongly signed or tampered reports → 401 and email_bounced unchanged', async () => {
    const before = await invite();
    expect(before.message_id).toBe(messageId);
    expect(Boolean(before.email_bounced)).toBe(false);
    const body = JSON.stringify({ message_id: messageId, reason: '550 5.1.1 no such user' });
    const attempts = [
      await report(body),
      await report(body, { 'x-umbrella-signature': sign(body, 'another-secret-0123456789') }),
      await report(body, { 'x-umbrella-signature': sign(body).slice('sha256='.length) }),
      await report(body, { 'x-umbrella-signature': 'sha256=zz' }),
      // Signed for one body, sent with another.
      await report(body.replace('no such user', 'mailbox full'), {
        'x-umbrella-signature': sign(body),
      }),
      // W-01 does not apply (csrf: false), but the signature still does.
      await report(body, { origin: 'https://evil.example' }),
    ];
    for (const attempt of attempts) {
      expect(attempt.statusCode).toBe(401);
      expect(attempt.json()).toMatchObject({ status: 401, code: 'invalid_signature' });
    }
    expect(await invite()).toEqual(before);
    expect(await bounceAudits()).toEqual([]);
  });

  it('I-10: a report for an unknown message id → 204 and nothing changes', async () => {
    const before = await hub.database.db.selectFrom('identity.invites').selectAll().execute();
    const body = JSON.stringify({ message_id: '<unknown@hub.example.com>', reason: '550' });
    const response = await report(body, { 'x-umbrella-signature': sign(body) });
    expect(response.statusCode).toBe(204);
    expect(await hub.database.db.selectFrom('identity.invites').selectAll().execute()).toEqual(
      before,
    );
    expect(await bounceAudits()).toEqual([]);
  });

  it('US-INV-5: a signed report marks the invite bounced, keeping 1000 characters of reason', async () => {
    const reason = `550 5.1.1 <typo@exmaple.com>: Recipient address rejected ${'x'.repeat(1500)}`;
    const body = JSON.stringify({ message_id: messageId, reason });
    const response = await report(body, { 'x-umbrella-signature': sign(body) });
    expect(response.statusCode).toBe(204);
    const row = await invite();
    expect(Boolean(row.email_bounced)).toBe(true);
    expect(row.bounce_reason).toBe(reason.slice(0, 1000));
    expect(row.bounce_reason).toHaveLength(1000);
    const list = await hub.app.inject({
      url: `${INVITES}?status=bounced`,
      headers: { cookie: admin },
    });
    expect(list.json()).toMatchObject({
      total: 1,
      items: [{ id: inviteId, status: 'bounced', email_bounced: true }],
    });
    expect(await bounceAudits()).toMatchObject([{ actor_id: null, target_id: String(inviteId) }]);
  });

  it('US-INV-5: a malformed but signed body → 400', async () => {
    const body = JSON.stringify({ id: 'x' });
    const response = await report(body, { 'x-umbrella-signature': sign(body) });
    expect(response.statusCode).toBe(400);
  });

  it('US-INV-2/5: a plain resend keeps the bounce flag; a corrected address is a new invite', async () => {
    const resent = await hub.app.inject({
      method: 'POST',
      url: `${INVITES}/${String(inviteId)}/resend`,
      headers: { cookie: admin },
      payload: {},
    });
    expect(resent.statusCode).toBe(200);
    expect(resent.json()).toMatchObject({ id: inviteId, email_bounced: true, resend_count: 1 });

    clock.advance(60_000);
    const corrected = await hub.app.inject({
      method: 'POST',
      url: `${INVITES}/${String(inviteId)}/resend`,
      headers: { cookie: admin },
      payload: { email: 'typo@example.com' },
    });
    expect(corrected.statusCode).toBe(200);
    const replacement = corrected.json<{ id: number }>();
    expect(replacement.id).not.toBe(inviteId);
    // The new invite: the corrected address, same role and message, no bounce.
    expect(corrected.json()).toMatchObject({
      email: 'typo@example.com',
      invite_type: 'analyst',
      custom_message: 'Hi!',
      status: 'pending',
      email_bounced: false,
      bounce_reason: '',
      resend_count: 0,
    });
    // The old one is revoked; its link is dead and the new one works.
    const old = await invite();
    expect(old.revoked_at).toBe('2026-11-21T09:01:00.000Z');
    const token = await tokenFromMail(hub, 'typo@example.com', `${BASE}/invite/`);
    const preview = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/invitations/preview',
      payload: { token },
    });
    expect(preview.json()).toMatchObject({ email: 'typo@example.com', role: 'analyst' });
  });

  it('I-10: without BOUNCE_WEBHOOK_SECRET every report is refused', async () => {
    const bare = await createTestHub({ env: { MFA_REQUIRED_ROLES: 'none' } });
    try {
      const body = JSON.stringify({ message_id: messageId, reason: '550' });
      const response = await bare.app.inject({
        method: 'POST',
        url: BOUNCES,
        headers: { 'content-type': 'application/json', 'x-umbrella-signature': sign(body) },
        payload: body,
      });
      expect(response.statusCode).toBe(401);
    } finally {
      await bare.close();
    }
  });
});
