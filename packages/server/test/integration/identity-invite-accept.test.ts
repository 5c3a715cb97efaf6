import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, sessionCookieOf, signIn, tokenFromMail } from '../helpers/identity.js';

const BASE = 'https://hub.example.com';
const PASSWORD = 'orchid tandem 93 velvet';

// Scenario: invitees open their links, some more than once, some too late, and one tries to
// choose their own role (specs/identity.md US-INV-4, D2, I-02, I-03, I-05, I-07, I-09).
describe('accepting an invitation', () => {
  const clock = manualClock(new Date('2026-11-21T09:00:00.000Z'));
  let hub: TestHub;
  let admin: string;
  let adminId: number;

  beforeAll(async () => {
    hub = await createTestHub({ clock, env: { APP_BASE_URL: BASE, MFA_REQUIRED_ROLES: 'none' } });
    const ada = await createUser(hub, {
      email: 'ada.admin@example.com',
      password: 'granite meadow lantern 41',
      role: 'admin',
      firstName: 'Ada',
      lastName: 'Admin',
    });
    adminId = ada.id;
    admin = await signIn(hub, ada.email, ada.password);
  });
  afterAll(() => hub.close());

  // Each request comes from its own address so that the 60-a-minute auth limit stays out of the way.
  let address = 0;
  const from = () => `198.51.100.${String((address += 1) % 250)}`;
  async function inviteToken(email: string, inviteType: string, days = 7): Promise<string> {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/admin/invitations',
      headers: { cookie: admin },
      payload: {
        email,
        invite_type: inviteType,
        custom_message: 'See you Monday.',
        expires_in_days: days,
      },
    });
    expect(response.statusCode).toBe(201);
    return tokenFromMail(hub, email, `${BASE}/invite/`);
  }
  const preview = (token: string) =>
    hub.app.inject({
      method: 'POST',
      url: '/api/identity/invitations/preview',
      remoteAddress: from(),
      payload: { token },
    });
  const accept = (payload: Record<string, unknown>) =>
    hub.app.inject({
      method: 'POST',
      url: '/api/identity/invitations/accept',
      remoteAddress: from(),
      payload: { first_name: 'Nia', last_name: 'Okafor', password: PASSWORD, ...payload },
    });
  const usersNamed = (email: string) =>
    hub.database.db
      .selectFrom('identity.users')
      .selectAll()
      .where(sql<string>`lower(email)`, '=', email.toLowerCase())
      .execute();
  const inviteFor = (email: string) =>
    hub.database.db
      .selectFrom('identity.invites')
      .selectAll()
      .where('email', '=', email)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();

  it('I-07: previewing twice changes nothing; then accepting creates an approved analyst (D2)', async () => {
    const token = await inviteToken('nia.okafor@example.com', 'analyst');
    const before = await inviteFor('nia.okafor@example.com');
    const first = await preview(token);
    const second = await preview(token);
    expect(first.statusCode).toBe(200);
    // US-INV-4: the invitee sees the inviter's name, the role and the expiry.
    expect(first.json()).toEqual({
      email: 'nia.okafor@example.com',
      role: 'analyst',
      inviter_name: 'Ada Admin',
      expires_at: '2026-11-28T09:00:00.000Z',
      custom_message: 'See you Monday.',
    });
    expect(second.body).toBe(first.body);
    expect(await inviteFor('nia.okafor@example.com')).toEqual(before);
    expect(await usersNamed('nia.okafor@example.com')).toEqual([]);

    clock.advance(60_000);
    const response = await accept({ token });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      state: 'signed_in',
      user: {
        email: 'nia.okafor@example.com',
        first_name: 'Nia',
        last_name: 'Okafor',
        role: 'analyst',
        mfa_enrolment_required: false,
      },
    });
    const cookie = sessionCookieOf(response);
    expect(cookie).toBeDefined();
    const me = await hub.app.inject({ url: '/api/identity/me', headers: { cookie: cookie ?? '' } });
    expect(me.json()).toMatchObject({ state: 'signed_in', user: { role: 'analyst' } });

    const [user] = await usersNamed('nia.okafor@example.com');
    // D2: approved by the inviter, now, with the invite's role; not staff.
    expect(user).toMatchObject({
      role: 'analyst',
      approved_by_id: adminId,
      approval_date: '2026-11-21T09:01:00.000Z',
      password_changed_at: '2026-11-21T09:01:00.000Z',
      rejection_reason: '',
    });
    expect(Boolean(user?.is_approved)).toBe(true);
    expect(Boolean(user?.is_staff)).toBe(false);
    expect(Boolean(user?.is_active)).toBe(true);
    expect(user?.password).toMatch(/^\$argon2id\$/);
    const invite = await inviteFor('nia.okafor@example.com');
    expect(invite).toMatchObject({
      used_at: '2026-11-21T09:01:00.000Z',
      accepted_user_id: user?.id,
    });
    const audit = await hub.database.db
      .selectFrom('identity.audit_events')
      .selectAll()
      .where('action', '=', 'invite.accept')
      .execute();
    expect(audit).toMatchObject([{ actor_id: user?.id, target_id: String(invite.id) }]);
  });

  it('US-INV-4: a used, unknown, expired or revoked token gets one generic 410 and changes nothing', async () => {
    const used = await inviteToken('used.twice@example.com', 'viewer');
    expect((await accept({ token: used })).statusCode).toBe(201);
    const expired = await inviteToken('too.late@example.com', 'viewer', 1);
    const revoked = await inviteToken('revoked@example.com', 'viewer');
    const revokedId = (await inviteFor('revoked@example.com')).id;
    const revoke = await hub.app.inject({
      method: 'POST',
      url: `/api/identity/admin/invitations/${String(revokedId)}/revoke`,
      headers: { cookie: admin },
    });
    expect(revoke.statusCode).toBe(200);
    // I-03: one day and one millisecond later the 1-day invite is expired (server-side check).
    clock.advance(24 * 3_600_000 + 1);
    admin = await signIn(hub, 'ada.admin@example.com', 'granite meadow lantern 41');
    const unknown = 'A'.repeat(64);
    const usersBefore = await hub.database.db.selectFrom('identity.users').selectAll().execute();
    const invitesBefore = await hub.database.db
      .selectFrom('identity.invites')
      .selectAll()
      .execute();
    const answers = [];
    for (const token of [used, unknown, expired, revoked]) {
      answers.push(await accept({ token }), await preview(token));
    }
    for (const answer of answers) {
      expect(answer.statusCode).toBe(410);
      expect(answer.json()).toEqual({
        type: 'about:blank',
        title: 'Invalid or expired invitation',
        status: 410,
        detail: 'This invitation is invalid or has expired.',
        code: 'invalid_token',
        instance: answer.json<{ instance: string }>().instance,
      });
      expect(sessionCookieOf(answer)).toBeUndefined();
    }
    const acceptBodies = new Set(answers.filter((_, index) => index % 2 === 0).map((a) => a.body));
    expect(acceptBodies.size).toBe(1);
    expect(await hub.database.db.selectFrom('identity.users').selectAll().execute()).toEqual(
      usersBefore,
    );
    expect(await hub.database.db.selectFrom('identity.invites').selectAll().execute()).toEqual(
      invitesBefore,
    );
    // A malformed token is refused by validation (400) before any lookup.
    const malformed = await accept({ token: 'short' });
    expect(malformed.statusCode).toBe(400);
  });

  it('I-02: 10 parallel accepts with one token create exactly one user', async () => {
    const token = await inviteToken('race@example.com', 'viewer');
    const answers = await Promise.all(Array.from({ length: 10 }, () => accept({ token })));
    const codes = answers.map((answer) => answer.statusCode).sort();
    expect(codes).toEqual([201, 410, 410, 410, 410, 410, 410, 410, 410, 410]);
    expect(await usersNamed('race@example.com')).toHaveLength(1);
    const losers = answers.filter((answer) => answer.statusCode === 410);
    expect(new Set(losers.map((answer) => answer.json<{ code: string }>().code))).toEqual(
      new Set(['invalid_token']),
    );
  });

  it('I-05: email, role, is_approved and is_staff in the body are ignored', async () => {
    const token = await inviteToken('plain.viewer@example.com', 'viewer');
    const response = await accept({
      token,
      email: 'someone.else@example.com',
      role: 'admin',
      is_approved: false,
      is_staff: true,
      is_superuser: true,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      user: { email: 'plain.viewer@example.com', role: 'viewer', is_superuser: false },
    });
    expect(await usersNamed('someone.else@example.com')).toEqual([]);
    const [user] = await usersNamed('plain.viewer@example.com');
    expect(user?.role).toBe('viewer');
    expect(Boolean(user?.is_staff)).toBe(false);
    expect(Boolean(user?.is_superuser)).toBe(false);
    expect(Boolean(user?.is_approved)).toBe(true);
  });

  it('D9: a weak password is refused with 400 and the invite stays usable', async () => {
    const token = await inviteToken('weak.password@example.com', 'viewer');
    const weak = await accept({ token, password: 'password123456' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({
      code: 'password_policy',
      // D9: a common password, and one too close to the address.
      errors: [
        { path: 'body.password', message: 'password is too common' },
        { path: 'body.password', message: 'password is too similar to your email or name' },
      ],
    });
    expect((await inviteFor('weak.password@example.com')).used_at).toBeNull();
    expect((await accept({ token })).statusCode).toBe(201);
  });

  it('I-09: an account that appeared meanwhile (other case) blocks the invite without using it', async () => {
    const token = await inviteToken('Case.Person@example.com', 'analyst');
    await createUser(hub, { email: 'case.person@EXAMPLE.com', role: 'viewer' });
    const response = await accept({ token });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: 'account_exists',
      detail: 'An account already exists for this email address: sign in instead.',
    });
    expect(sessionCookieOf(response)).toBeUndefined();
    expect(await usersNamed('case.person@example.com')).toHaveLength(1);
    expect((await inviteFor('Case.Person@example.com')).used_at).toBeNull();
  });
});
