import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/modules/identity/mfa.js';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, outbox, sessionCookieOf, signIn } from '../helpers/identity.js';

const EMAIL = 'nora.quist@northbridge.example';
const PASSWORD = 'quiet harbour lantern 27';
const NEW_PASSWORD = 'amber orchard compass 64';
/** §3.7: a sensitive action needs a password check from the last 15 minutes. */
const STALE_MS = 16 * 60_000;

// Scenario: an analyst leaves a signed-in tab open for 16 minutes, then (or someone at the desk)
// tries to change the email address, the password and the two-factor settings
// (specs/identity.md S-11, ASVS 5.0 7.5.1, US-PRO-3, §3.8 "Change email").
describe('sensitive account changes need a recent re-authentication', () => {
  const clock = manualClock();
  let hub: TestHub;
  let userId = 0;
  let cookie = '';

  beforeAll(async () => {
    hub = await createTestHub({ clock, env: { APP_BASE_URL: 'https://hub.example.com' } });
    userId = (await createUser(hub, { email: EMAIL, password: PASSWORD, role: 'analyst' })).id;
    cookie = await signIn(hub, EMAIL, PASSWORD);
  });
  afterAll(() => hub.close());

  const post = (url: string, payload?: object) =>
    hub.app.inject({
      method: 'POST',
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload }),
    });
  const userRow = () =>
    hub.database.db
      .selectFrom('identity.users')
      .selectAll()
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
  const recoveryCodeHashes = async () =>
    (
      await hub.database.db
        .selectFrom('identity.mfa_recovery_codes')
        .select('code_hash')
        .where('user_id', '=', userId)
        .orderBy('code_hash')
        .execute()
    ).map((row) => row.code_hash);
  const reauth = async (code?: string) => {
    const response = await post('/api/identity/me/reauth', {
      password: PASSWORD,
      ...(code === undefined ? {} : { code }),
    });
    expect(response.statusCode).toBe(204);
    cookie = sessionCookieOf(response) ?? '';
  };
  const expectReauthRequired = (response: { statusCode: number; json: () => unknown }) => {
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'reauth_required' });
  };

  it('S-11: a stale session cannot change the email address (403 reauth_required, no link sent)', async () => {
    clock.advance(STALE_MS);
    expectReauthRequired(
      await post('/api/identity/me/email', { new_email: 'nora@elsewhere.example' }),
    );
    expect(
      await hub.database.db.selectFrom('identity.one_time_tokens').selectAll().execute(),
    ).toEqual([]);
    expect((await outbox(hub)).map((mail) => mail.to_address)).not.toContain(
      'nora@elsewhere.example',
    );
  });

  it('S-11: a stale session cannot change the password, even with the right current one', async () => {
    const before = await userRow();
    expectReauthRequired(
      await post('/api/identity/me/password', {
        current_password: PASSWORD,
        new_password: NEW_PASSWORD,
      }),
    );
    expect((await userRow()).password).toBe(before.password);
    expect((await outbox(hub)).map((mail) => mail.purpose)).not.toContain('password_changed');
  });

  it('S-11: a stale session cannot start two-factor enrolment; no secret is stored', async () => {
    expectReauthRequired(await post('/api/identity/me/mfa/setup'));
    expect((await userRow()).totp_secret_enc).toBeNull();
  });

  it('S-11: after re-authenticating, enrolment works; once stale again, disabling and new recovery codes are refused', async () => {
    await reauth();
    const setup = await post('/api/identity/me/mfa/setup');
    expect(setup.statusCode).toBe(200);
    const secret = setup.json<{ secret: string }>().secret;
    const enable = await post('/api/identity/me/mfa/enable', { code: totpCode(secret, clock()) });
    expect(enable.statusCode).toBe(200);
    cookie = sessionCookieOf(enable) ?? '';
    const enrolledAt = (await userRow()).mfa_enabled_at;
    expect(enrolledAt).not.toBeNull();
    const codes = await recoveryCodeHashes();
    expect(codes).toHaveLength(10);

    clock.advance(STALE_MS);
    expectReauthRequired(await post('/api/identity/me/mfa/disable'));
    expectReauthRequired(await post('/api/identity/me/mfa/recovery-codes'));
    expect((await userRow()).mfa_enabled_at).toBe(enrolledAt);
    expect(await recoveryCodeHashes()).toEqual(codes);

    // Positive control: the same requests pass once the password and a code are given again.
    clock.advance(30_000);
    await reauth(totpCode(secret, clock()));
    expect((await post('/api/identity/me/mfa/disable')).statusCode).toBe(204);
    expect((await userRow()).mfa_enabled_at).toBeNull();
  });

  it('S-11: after re-authenticating, the password and the email address can be changed', async () => {
    clock.advance(STALE_MS);
    await reauth();
    const change = await post('/api/identity/me/password', {
      current_password: PASSWORD,
      new_password: NEW_PASSWORD,
    });
    expect(change.statusCode).toBe(204);
    cookie = sessionCookieOf(change) ?? '';
    const email = await post('/api/identity/me/email', { new_email: 'nora@elsewhere.example' });
    expect(email.statusCode).toBe(202);
  });
});
