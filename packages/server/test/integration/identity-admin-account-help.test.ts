import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/modules/identity/crypto.js';
import { newTotpSecret } from '../../src/modules/identity/mfa.js';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import {
  createUser,
  outbox,
  signIn,
  signInRequest,
  tokenFromMail,
  type TestUser,
} from '../helpers/identity.js';

// Scenario: the help desk: an analyst locked themselves out, a viewer forgot their password and
// a manager lost the phone with their authenticator. The admin unlocks, sends a reset link and
// resets MFA; each action is audited and the admin never sees a secret (specs/identity.md
// US-ADM-4, §3.8 "Admin-initiated resets", ASVS 6.4.6, D8).
describe('admin account help: unlock, reset link, MFA reset', () => {
  const clock = manualClock();
  let hub: TestHub;
  let admin: TestUser;
  let locked: TestUser;
  let forgetful: TestUser;
  let phoneless: TestUser;
  let adminCookie = '';

  beforeAll(async () => {
    hub = await createTestHub({
      clock,
      env: { MFA_REQUIRED_ROLES: 'manager', APP_BASE_URL: 'https://hub.example.com' },
    });
    admin = await createUser(hub, { email: 'ada.admin@umbrella-hub.example', role: 'admin' });
    locked = await createUser(hub, { email: 'Lena.Locked@northbridge.example', role: 'analyst' });
    forgetful = await createUser(hub, { email: 'fred.forgot@partner.example' });
    phoneless = await createUser(hub, { email: 'pia.phoneless@partner.example', role: 'manager' });
    const now = clock().toISOString();
    await hub.database.db
      .updateTable('identity.users')
      .set({
        mfa_enabled_at: now,
        totp_secret_enc: hub.app.hub.identity.box.seal(newTotpSecret().base32),
        totp_last_step: 1,
      })
      .where('id', '=', phoneless.id)
      .execute();
    await hub.database.db
      .insertInto('identity.mfa_recovery_codes')
      .values(
        ['abcde-fghjk', 'mnpqr-stuvw'].map((code) => ({
          user_id: phoneless.id,
          code_hash: sha256Hex(code),
          created_at: now,
          used_at: null,
        })),
      )
      .execute();
    adminCookie = await signIn(hub, admin.email, admin.password);
  });
  afterAll(() => hub.close());

  const post = (action: string, id: number) =>
    hub.app.inject({
      method: 'POST',
      url: `/api/identity/admin/users/${String(id)}/${action}`,
      headers: { cookie: adminCookie },
    });
  const auditDetails = async (action: string, targetId: number) => {
    const rows = await hub.database.db
      .selectFrom('identity.audit_events')
      .selectAll()
      .where('action', '=', action)
      .where('target_id', '=', String(targetId))
      .execute();
    return rows.map((row) => ({
      actor_id: row.actor_id,
      details: JSON.parse(row.details) as unknown,
    }));
  };

  it('US-ADM-4: an admin unlocks a locked-out account; the user signs in at once', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await signInRequest(hub, locked.email, 'not my password');
    }
    // Locked: even the right password is refused for the next 15 minutes (§3.6).
    expect((await signInRequest(hub, locked.email, locked.password)).statusCode).toBe(401);

    const response = await post('unlock', locked.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: locked.id, locked: false, status: 'approved' });
    const throttle = await hub.database.db
      .selectFrom('identity.throttles')
      .select('key')
      .where('key', '=', 'login:email:lena.locked@northbridge.example')
      .executeTakeFirst();
    expect(throttle).toBeUndefined();
    expect((await signInRequest(hub, locked.email, locked.password)).statusCode).toBe(200);
    expect(await auditDetails('user.unlock', locked.id)).toEqual([
      { actor_id: admin.id, details: { was_locked: true } },
    ]);
  });

  it('US-ADM-4 / ASVS 6.4.6: the reset link goes to the user only (202 without the link), and works', async () => {
    const response = await post('reset-link', forgetful.id);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      message: 'A link to choose a new password was emailed to the user.',
    });
    const mails = (await outbox(hub)).filter((mail) => mail.purpose === 'admin_reset');
    expect(mails.map((mail) => [mail.to_address, mail.subject])).toEqual([
      [forgetful.email, 'Set your Umbrella Hub password'],
    ]);
    const token = await tokenFromMail(
      hub,
      forgetful.email,
      'https://hub.example.com/reset-password#',
    );
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(response.body).not.toContain(token);
    expect(JSON.stringify(await auditDetails('user.reset_link_sent', forgetful.id))).not.toContain(
      token,
    );
    expect(await auditDetails('user.reset_link_sent', forgetful.id)).toEqual([
      { actor_id: admin.id, details: {} },
    ]);

    const reset = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/password/reset',
      payload: { token, new_password: 'tangerine quartz meadow 51' },
    });
    expect(reset.statusCode).toBe(200);
    expect(
      (await signInRequest(hub, forgetful.email, 'tangerine quartz meadow 51')).statusCode,
    ).toBe(200);
  });

  it('US-ADM-4 / D8: an MFA reset clears TOTP and recovery codes; a role that requires MFA must enrol again', async () => {
    const before = await signInRequest(hub, phoneless.email, phoneless.password);
    expect(before.json()).toEqual({ state: 'mfa_required' });

    const response = await post('mfa-reset', phoneless.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: phoneless.id, mfa_enabled: false });
    const row = await hub.database.db
      .selectFrom('identity.users')
      .select(['mfa_enabled_at', 'totp_secret_enc', 'totp_last_step'])
      .where('id', '=', phoneless.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ mfa_enabled_at: null, totp_secret_enc: null, totp_last_step: null });
    const codes = await hub.database.db
      .selectFrom('identity.mfa_recovery_codes')
      .select('id')
      .where('user_id', '=', phoneless.id)
      .execute();
    expect(codes).toEqual([]);

    const after = await signInRequest(hub, phoneless.email, phoneless.password);
    expect(after.json()).toMatchObject({
      state: 'signed_in',
      user: { role: 'manager', mfa_enabled: false, mfa_enrolment_required: true },
    });
    expect(await auditDetails('mfa.reset', phoneless.id)).toEqual([
      { actor_id: admin.id, details: { by: 'admin', was_enabled: true } },
    ]);
  });

  it('bad input: unknown users are 404 problems, and no mail or audit row appears', async () => {
    const mailsBefore = (await outbox(hub)).length;
    const auditBefore = await hub.database.db
      .selectFrom('identity.audit_events')
      .selectAll()
      .execute();
    for (const action of ['unlock', 'reset-link', 'mfa-reset']) {
      const response = await post(action, 999_999);
      expect(response.statusCode, action).toBe(404);
      expect(response.json(), action).toMatchObject({ status: 404, title: 'User not found' });
    }
    expect((await outbox(hub)).length).toBe(mailsBefore);
    expect(await hub.database.db.selectFrom('identity.audit_events').selectAll().execute()).toEqual(
      auditBefore,
    );
  });
});
