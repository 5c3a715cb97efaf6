import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/modules/identity/crypto.js';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, outbox, signIn, tokenFromMail } from '../helpers/identity.js';

const BASE = 'https://hub.example.com';
const INVITES = '/api/identity/admin/invitations';

// Scenario: an admin invites a new analyst with a message, invites the same person again, and
// makes the usual mistakes (specs/identity.md US-INV-1, D14, I-01, I-08, V-06, §3.6).
describe('creating invitations', () => {
  const clock = manualClock(new Date('2026-11-21T09:00:00.000Z'));
  let hub: TestHub;
  let admin: string;
  let adminId: number;
  let manager: string;

  beforeAll(async () => {
    hub = await createTestHub({
      clock,
      env: { APP_BASE_URL: BASE, MFA_REQUIRED_ROLES: 'none' },
    });
    const ada = await createUser(hub, {
      email: 'ada.admin@example.com',
      password: 'granite meadow lantern 41',
      role: 'admin',
      firstName: 'Ada',
      lastName: 'Admin',
    });
    adminId = ada.id;
    await createUser(hub, {
      email: 'mo.manager@example.com',
      password: 'copper willow signal 58',
      role: 'manager',
    });
    await createUser(hub, { email: 'existing@example.com', role: 'viewer' });
    admin = await signIn(hub, ada.email, ada.password);
    manager = await signIn(hub, 'mo.manager@example.com', 'copper willow signal 58');
  });
  afterAll(() => hub.close());

  const invite = (cookie: string, payload: object, headers: Record<string, string> = {}) =>
    hub.app.inject({ method: 'POST', url: INVITES, headers: { cookie, ...headers }, payload });
  const inviteRows = () =>
    hub.database.db.selectFrom('identity.invites').selectAll().orderBy('id', 'asc').execute();

  it('US-INV-1: an admin invites an analyst; the answer has no token, expiry is 7 days', async () => {
    const response = await invite(admin, {
      email: '  New.Person@Example.COM ',
      invite_type: 'analyst',
      custom_message: 'Welcome to the credit desk.',
    });
    expect(response.statusCode).toBe(201);
    const body = response.json<Record<string, unknown>>();
    // §3.1: expires_at = now + 7 days by default; the address is trimmed, its domain lower-cased (D5).
    expect(body).toMatchObject({
      email: 'New.Person@example.com',
      invite_type: 'analyst',
      status: 'pending',
      custom_message: 'Welcome to the credit desk.',
      created_by: 'ada.admin@example.com',
      created_at: '2026-11-21T09:00:00.000Z',
      expires_at: '2026-11-28T09:00:00.000Z',
      used_at: null,
      email_bounced: false,
      bounce_reason: '',
      revoked_at: null,
      resend_count: 0,
      template_id: null,
    });
    // I-01: the API answer carries no token field and no token value.
    expect(Object.keys(body).sort()).toEqual(
      [
        'bounce_reason',
        'created_at',
        'created_by',
        'custom_message',
        'email',
        'email_bounced',
        'email_sent_at',
        'expires_at',
        'id',
        'invite_type',
        'resend_count',
        'revoked_at',
        'status',
        'template_id',
        'used_at',
      ].sort(),
    );
    const token = await tokenFromMail(hub, 'New.Person@example.com', `${BASE}/invite/`);
    // §3.1 "Token": 48 CSPRNG bytes, base64url: 64 characters.
    expect(token).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(response.body).not.toContain(token);
    const [row] = await inviteRows();
    // Only SHA-256 of the token is stored.
    expect(row?.token_hash).toBe(sha256Hex(token));
    expect(row?.created_by_id).toBe(adminId);
    const list = await hub.app.inject({ url: INVITES, headers: { cookie: admin } });
    expect(list.body).not.toContain(token);
    // US-INV-1 "Sending": the outbox accepted it, so email_sent_at is set.
    expect(list.json()).toMatchObject({
      total: 1,
      page: 1,
      page_size: 50,
      items: [{ email: 'New.Person@example.com', email_sent_at: '2026-11-21T09:00:00.000Z' }],
    });
    const [mail] = await outbox(hub);
    expect(mail).toMatchObject({ purpose: 'invite', invite_id: row?.id });
    expect(mail?.message_id).toBe(row?.message_id);
    expect(mail?.subject).toBe('Ada Admin invited you to Umbrella Hub');
    expect(mail?.text_body).toContain('Welcome to the credit desk.');
    const audit = await hub.database.db
      .selectFrom('identity.audit_events')
      .selectAll()
      .where('action', '=', 'invite.create')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: adminId, target_id: String(row?.id) });
  });

  it('I-08: the link uses APP_BASE_URL even when Host and X-Forwarded-Host say otherwise', async () => {
    const response = await invite(
      admin,
      { email: 'host.check@example.com', invite_type: 'viewer' },
      { host: 'evil.example', 'x-forwarded-host': 'evil.example' },
    );
    expect(response.statusCode).toBe(201);
    const mails = (await outbox(hub)).filter(
      (mail) => mail.to_address === 'host.check@example.com',
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text_body).toContain(`${BASE}/invite/`);
    expect(mails[0]?.text_body).not.toContain('evil.example');
    expect(mails[0]?.html_body).not.toContain('evil.example');
  });

  it('D14: a new invite for the same address (any case) revokes the pending one', async () => {
    const oldToken = await tokenFromMail(hub, 'New.Person@example.com', `${BASE}/invite/`);
    const response = await invite(admin, {
      email: 'new.person@EXAMPLE.com',
      invite_type: 'viewer',
    });
    expect(response.statusCode).toBe(201);
    const rows = (await inviteRows()).filter(
      (row) => row.email.toLowerCase() === 'new.person@example.com',
    );
    expect(rows.map((row) => [row.invite_type, row.revoked_at, row.revoked_by_id])).toEqual([
      ['analyst', '2026-11-21T09:00:00.000Z', adminId],
      ['viewer', null, null],
    ]);
    const preview = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/invitations/preview',
      payload: { token: oldToken },
    });
    // US-INV-3: a revoked link gets the generic "invalid or expired invitation".
    expect(preview.statusCode).toBe(410);
    expect(preview.json()).toMatchObject({ code: 'invalid_token' });
  });

  it('US-INV-1: an address that already has an account is refused with 409, nothing added', async () => {
    const before = (await inviteRows()).length;
    const mailsBefore = (await outbox(hub)).length;
    const response = await invite(admin, { email: 'EXISTING@example.com', invite_type: 'viewer' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ status: 409, code: 'account_exists' });
    expect(await inviteRows()).toHaveLength(before);
    expect(await outbox(hub)).toHaveLength(mailsBefore);
  });

  it('V-01/V-06: a malformed email, a 1001-character message or 31 days → 400, nothing changes', async () => {
    const before = await inviteRows();
    const mailsBefore = (await outbox(hub)).length;
    const malformed = await invite(admin, { email: 'not-an-email', invite_type: 'viewer' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');
    expect(malformed.json()).toMatchObject({
      errors: [{ path: 'body.email', message: 'email must be one address like name@example.com' }],
    });
    const control = await invite(admin, { email: 'a\r\nb@example.com', invite_type: 'viewer' });
    expect(control.statusCode).toBe(400);
    const long = await invite(admin, {
      email: 'long.message@example.com',
      invite_type: 'viewer',
      custom_message: 'x'.repeat(1001),
    });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({
      errors: [
        { path: 'body.custom_message', message: 'custom_message must be at most 1000 characters' },
      ],
    });
    // §3.1 "Expiry": 1–30 days.
    for (const days of [0, 31]) {
      const response = await invite(admin, {
        email: 'expiry@example.com',
        invite_type: 'viewer',
        expires_in_days: days,
      });
      expect(response.statusCode).toBe(400);
    }
    const role = await invite(admin, { email: 'role@example.com', invite_type: 'superuser' });
    expect(role.statusCode).toBe(400);
    expect(await inviteRows()).toEqual(before);
    expect(await outbox(hub)).toHaveLength(mailsBefore);
  });

  it('US-INV-1: a 1000-character message and a 30-day expiry are accepted', async () => {
    const response = await invite(admin, {
      email: 'limits@example.com',
      invite_type: 'viewer',
      custom_message: 'y'.repeat(1000),
      expires_in_days: 30,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      custom_message: 'y'.repeat(1000),
      expires_at: '2026-12-21T09:00:00.000Z',
    });
  });

  it('US-INV-1: a template of another invite type or an unknown one is refused with 400', async () => {
    const template = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/admin/templates',
      headers: { cookie: admin },
      payload: {
        name: 'Analysts',
        invite_type: 'analyst',
        subject: 'Join {{ app_name }}',
        message_template: 'Open {{ invite_link }}',
      },
    });
    expect(template.statusCode).toBe(201);
    const templateId = template.json<{ id: number }>().id;
    const before = (await inviteRows()).length;
    for (const id of [templateId, templateId + 1000]) {
      const response = await invite(admin, {
        email: 'templated@example.com',
        invite_type: 'viewer',
        template_id: id,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ errors: [{ path: 'body.template_id' }] });
    }
    expect(await inviteRows()).toHaveLength(before);
  });

  it('§3.6: the 51st invitation of an inviter within a day is refused with 429', async () => {
    for (let index = 1; index <= 50; index += 1) {
      const response = await invite(manager, {
        email: `bulk${index}@example.com`,
        invite_type: 'viewer',
      });
      expect(response.statusCode).toBe(201);
    }
    const refused = await invite(manager, { email: 'bulk51@example.com', invite_type: 'viewer' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('86400');
    const created = (await inviteRows()).filter((row) => row.email.startsWith('bulk'));
    expect(created).toHaveLength(50);
    // The admin's own allowance is separate.
    const other = await invite(admin, { email: 'bulk51@example.com', invite_type: 'viewer' });
    expect(other.statusCode).toBe(201);
    // A day later the manager may invite again.
    clock.advance(24 * 3_600_000 + 1);
    manager = await signIn(hub, 'mo.manager@example.com', 'copper willow signal 58');
    const later = await invite(manager, { email: 'bulk52@example.com', invite_type: 'viewer' });
    expect(later.statusCode).toBe(201);
  });
});
