import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/modules/identity/crypto.js';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, outbox, signInRequest, tokenFromMail } from '../helpers/identity.js';

const BASE = 'https://hub.example.com';
const ACCEPTED = {
  message: 'If the address can be used, you will receive an email with the next step.',
};

// Scenario: a prospective user asks for access, confirms the address and chooses a password; the
// account waits for approval. Someone who already has an account asks too (specs/identity.md
// §3.3, US-REQ-1, D1).
describe('requesting access', () => {
  const clock = manualClock(new Date('2026-11-21T09:00:00.000Z'));
  let hub: TestHub;

  beforeAll(async () => {
    hub = await createTestHub({ clock, env: { APP_BASE_URL: BASE, MFA_REQUIRED_ROLES: 'none' } });
    await createUser(hub, { email: 'ada.admin@example.com', role: 'admin' });
    await createUser(hub, { email: 'mo.manager@example.com', role: 'manager' });
    await createUser(hub, { email: 'ana.analyst@example.com', role: 'analyst' });
    await createUser(hub, { email: 'old.admin@example.com', role: 'admin', active: false });
  });
  afterAll(() => hub.close());

  const request = (payload: object, remoteAddress = '203.0.113.10') =>
    hub.app.inject({
      method: 'POST',
      url: '/api/identity/access-requests',
      remoteAddress,
      payload,
    });
  const post = (path: string, payload: object) =>
    hub.app.inject({ method: 'POST', url: `/api/identity/access-requests/${path}`, payload });
  const mailsTo = async (email: string) =>
    (await outbox(hub)).filter((mail) => mail.to_address === email);

  it('US-REQ-1: a new and a known address get the same 202; each gets the right email', async () => {
    const fresh = await request({
      email: 'Lena.Fischer@Example.com',
      first_name: 'Lena',
      last_name: 'Fischer',
    });
    const known = await request({
      email: 'ANA.ANALYST@example.com',
      first_name: 'A',
      last_name: 'B',
    });
    expect(fresh.statusCode).toBe(202);
    expect(fresh.json()).toEqual(ACCEPTED);
    expect(known.statusCode).toBe(202);
    // §3.3 "Identical response": status and body do not depend on the address.
    expect(known.body).toBe(fresh.body);

    const [verify] = await mailsTo('Lena.Fischer@example.com');
    expect(verify?.purpose).toBe('signup_verify');
    const token = await tokenFromMail(
      hub,
      'Lena.Fischer@example.com',
      `${BASE}/request-access/verify#`,
    );
    // 32 random bytes, base64url.
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await hub.database.db
      .selectFrom('identity.one_time_tokens')
      .selectAll()
      .where('purpose', '=', 'signup_verify')
      .execute();
    // Stored hashed, valid 24 h, carrying the names.
    expect(stored).toMatchObject([
      {
        token_hash: sha256Hex(token),
        user_id: null,
        email: 'Lena.Fischer@example.com',
        created_at: '2026-11-21T09:00:00.000Z',
        expires_at: '2026-11-22T09:00:00.000Z',
        used_at: null,
      },
    ]);
    expect(JSON.parse(stored[0]?.payload ?? '')).toEqual({
      first_name: 'Lena',
      last_name: 'Fischer',
    });

    const [exists] = await mailsTo('ana.analyst@example.com');
    expect(exists?.purpose).toBe('access_request_exists');
    expect(exists?.subject).toBe('You already have an Umbrella Hub account');
    expect(exists?.text_body).toContain('You already have an account.');
    expect(exists?.text_body).toContain(`${BASE}/reset-password#`);
  });

  it('US-REQ-1: the link previews the names; a weak password is refused and the link still works', async () => {
    const token = await tokenFromMail(
      hub,
      'Lena.Fischer@example.com',
      `${BASE}/request-access/verify#`,
    );
    const preview = await post('preview', { token });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toEqual({
      email: 'Lena.Fischer@example.com',
      first_name: 'Lena',
      last_name: 'Fischer',
    });
    const weak = await post('complete', { token, password: '123456789012' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ code: 'password_policy' });
    expect((await post('preview', { token })).statusCode).toBe(200);
  });

  it('US-REQ-1: completing creates a pending account; staff are told; the link is then dead', async () => {
    const token = await tokenFromMail(
      hub,
      'Lena.Fischer@example.com',
      `${BASE}/request-access/verify#`,
    );
    clock.advance(5 * 60_000);
    const done = await post('complete', { token, password: 'harbor quill 58 mosaic' });
    expect(done.statusCode).toBe(201);
    expect(done.json()).toEqual({
      message:
        'Your account was created and now waits for approval. You will get an email once an administrator has decided.',
    });
    expect(done.cookies).toEqual([]);
    const user = await hub.database.db
      .selectFrom('identity.users')
      .selectAll()
      .where('email', '=', 'Lena.Fischer@example.com')
      .executeTakeFirstOrThrow();
    // §3.3: is_approved = false, status pending; the NOT NULL role column holds the 'viewer'
    // placeholder, which grants nothing while the account is pending.
    expect(user).toMatchObject({
      first_name: 'Lena',
      last_name: 'Fischer',
      role: 'viewer',
      rejection_reason: '',
      approved_by_id: null,
      approval_date: null,
      date_joined: '2026-11-21T09:05:00.000Z',
    });
    expect(Boolean(user.is_approved)).toBe(false);
    expect(Boolean(user.is_active)).toBe(true);

    // §3.3 "Notification": active admins and managers, nobody else.
    const notices = (await outbox(hub)).filter((mail) => mail.purpose === 'access_request');
    expect(notices.map((mail) => mail.to_address).sort()).toEqual([
      'ada.admin@example.com',
      'mo.manager@example.com',
    ]);
    expect(notices[0]?.text_body).toContain('Lena Fischer <Lena.Fischer@example.com>');

    // §3.3 "Login while pending": the right password, "pending approval", no session.
    const signIn = await signInRequest(hub, 'lena.fischer@example.com', 'harbor quill 58 mosaic');
    expect(signIn.statusCode).toBe(403);
    expect(signIn.json()).toMatchObject({ code: 'pending_approval' });
    expect(signIn.cookies).toEqual([]);

    const again = await post('complete', { token, password: 'harbor quill 58 mosaic' });
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({ code: 'invalid_token' });
    expect((await post('preview', { token })).statusCode).toBe(410);
    const audit = await hub.database.db
      .selectFrom('identity.audit_events')
      .selectAll()
      .where('action', '=', 'access_request.create')
      .execute();
    expect(audit).toMatchObject([{ actor_id: user.id, target_id: String(user.id) }]);
  });

  it('§3.3: an expired link gets the generic 410', async () => {
    await request(
      { email: 'slow@example.com', first_name: 'Slow', last_name: 'Poke' },
      '203.0.113.20',
    );
    const token = await tokenFromMail(hub, 'slow@example.com', `${BASE}/request-access/verify#`);
    clock.advance(24 * 3_600_000 + 1);
    const response = await post('complete', { token, password: 'harbor quill 58 mosaic' });
    expect(response.statusCode).toBe(410);
    expect(
      await hub.database.db
        .selectFrom('identity.users')
        .select('id')
        .where('email', '=', 'slow@example.com')
        .execute(),
    ).toEqual([]);
  });

  it('§3.3 rate limits: past 3 per address per day or 5 per IP per hour: the same 202, no email', async () => {
    const perEmail = [];
    for (let index = 0; index < 4; index += 1) {
      perEmail.push(
        await request(
          { email: 'eager@example.com', first_name: 'E', last_name: 'Ager' },
          `192.0.2.${String(index + 1)}`,
        ),
      );
      await hub.app.hub.identity.background.idle();
    }
    const perIp = [];
    for (let index = 0; index < 6; index += 1) {
      perIp.push(
        await request(
          { email: `crowd${String(index)}@example.com`, first_name: 'C', last_name: 'Rowd' },
          '198.51.100.77',
        ),
      );
      // One at a time, so that the sixth is the one past the limit.
      await hub.app.hub.identity.background.idle();
    }
    for (const response of [...perEmail, ...perIp]) {
      expect(response.statusCode).toBe(202);
      expect(response.json()).toEqual(ACCEPTED);
    }
    expect(await mailsTo('eager@example.com')).toHaveLength(3);
    const crowd = (await outbox(hub)).filter((mail) => mail.to_address.startsWith('crowd'));
    expect(crowd.map((mail) => mail.to_address)).toEqual([
      'crowd0@example.com',
      'crowd1@example.com',
      'crowd2@example.com',
      'crowd3@example.com',
      'crowd4@example.com',
    ]);
  });

  it('V-01: a malformed address is refused with 400 and nothing is sent', async () => {
    const before = (await outbox(hub)).length;
    const response = await request(
      { email: 'no-at-sign', first_name: 'N', last_name: 'O' },
      '192.0.2.99',
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ errors: [{ path: 'body.email' }] });
    expect(await outbox(hub)).toHaveLength(before);
  });
});
