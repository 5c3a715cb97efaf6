import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/modules/identity/mfa.js';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, sessionCookieOf, signInRequest } from '../helpers/identity.js';

// Scenario: an admin signs in for the first time, is made to enrol TOTP, then signs in with codes
// and a recovery code (specs/identity.md D8, US-PRO-3, A-11, S-02).
describe('two-factor authentication', () => {
  const clock = manualClock();
  let hub: TestHub;
  const email = 'grace.liu@umbrella-hub.example';
  const password = 'granite orchid vector 88';
  beforeAll(async () => {
    hub = await createTestHub({ clock });
    await createUser(hub, { email, password, role: 'admin' });
  });
  afterAll(() => hub.close());

  let secret = '';
  let recoveryCodes: string[] = [];

  it('A-11: an admin without MFA can use nothing but enrolment', async () => {
    const signIn = await signInRequest(hub, email, password);
    expect(signIn.json()).toMatchObject({
      state: 'signed_in',
      user: { mfa_enrolment_required: true },
    });
    const cookie = sessionCookieOf(signIn) ?? '';
    const profile = await hub.app.inject({
      url: '/api/identity/me/login-attempts',
      headers: { cookie },
    });
    expect(profile.statusCode).toBe(403);
    expect(profile.json()).toMatchObject({ code: 'mfa_enrolment_required' });

    const setup = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/me/mfa/setup',
      headers: { cookie },
    });
    expect(setup.statusCode).toBe(200);
    secret = setup.json<{ secret: string }>().secret;
    expect(setup.json<{ otpauth_url: string }>().otpauth_url).toMatch(
      /^otpauth:\/\/totp\/Umbrella%20Hub:grace\.liu/,
    );
    const stored = await hub.database.db
      .selectFrom('identity.users')
      .select('totp_secret_enc')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    // The secret is stored encrypted, never as the base32 text.
    expect(stored.totp_secret_enc).not.toContain(secret);

    const wrong = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/me/mfa/enable',
      headers: { cookie },
      payload: { code: '000000' },
    });
    expect(wrong.statusCode).toBe(400);
    const enable = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/me/mfa/enable',
      headers: { cookie },
      payload: { code: totpCode(secret, clock()) },
    });
    expect(enable.statusCode).toBe(200);
    recoveryCodes = enable.json<{ recovery_codes: string[] }>().recovery_codes;
    expect(recoveryCodes).toHaveLength(10);
    const after = sessionCookieOf(enable) ?? '';
    expect(
      (await hub.app.inject({ url: '/api/identity/me/login-attempts', headers: { cookie: after } }))
        .statusCode,
    ).toBe(200);
  });

  it('A-11: sign-in asks for a code; the same code twice fails the second time', async () => {
    clock.advance(60_000);
    const first = await signInRequest(hub, email, password);
    expect(first.json()).toEqual({ state: 'mfa_required' });
    const pending = sessionCookieOf(first) ?? '';
    // The half-signed-in session opens nothing yet.
    expect(
      (await hub.app.inject({ url: '/api/identity/me/sessions', headers: { cookie: pending } }))
        .statusCode,
    ).toBe(401);
    const code = totpCode(secret, clock());
    const verify = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions/mfa',
      headers: { cookie: pending },
      payload: { code },
    });
    expect(verify.statusCode).toBe(200);
    const signedIn = sessionCookieOf(verify) ?? '';
    // S-02: MFA completion rotates the token.
    expect(signedIn).not.toBe(pending);
    expect(
      (await hub.app.inject({ url: '/api/identity/me', headers: { cookie: pending } })).statusCode,
    ).toBe(401);

    const second = await signInRequest(hub, email, password);
    const replay = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions/mfa',
      headers: { cookie: sessionCookieOf(second) ?? '' },
      payload: { code },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ code: 'mfa_failed' });
  });

  it('A-11: a recovery code works once', async () => {
    const code = recoveryCodes[0] ?? '';
    const one = await signInRequest(hub, email, password);
    const ok = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions/mfa',
      headers: { cookie: sessionCookieOf(one) ?? '' },
      payload: { code },
    });
    expect(ok.statusCode).toBe(200);
    const two = await signInRequest(hub, email, password);
    const again = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions/mfa',
      headers: { cookie: sessionCookieOf(two) ?? '' },
      payload: { code },
    });
    expect(again.statusCode).toBe(401);
    const stored = await hub.database.db
      .selectFrom('identity.mfa_recovery_codes')
      .select('code_hash')
      .execute();
    for (const row of stored) expect(recoveryCodes).not.toContain(row.code_hash);
  });

  it('A-11: five wrong codes end the challenge; sign-in starts again', async () => {
    const start = await signInRequest(hub, email, password);
    const cookie = sessionCookieOf(start) ?? '';
    const codes = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await hub.app.inject({
        method: 'POST',
        url: '/api/identity/sessions/mfa',
        headers: { cookie },
        payload: { code: '123456' },
      });
      codes.push(response.json<{ code: string }>().code);
    }
    expect(codes).toEqual(['mfa_failed', 'mfa_failed', 'mfa_failed', 'mfa_failed', 'mfa_restart']);
    const late = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions/mfa',
      headers: { cookie },
      payload: { code: totpCode(secret, clock()) },
    });
    expect(late.statusCode).toBe(401);
    const failures = await hub.database.db
      .selectFrom('identity.login_attempts')
      .select('failure_reason')
      .where('failure_reason', '=', 'mfa_failed')
      .execute();
    expect(failures.length).toBeGreaterThanOrEqual(6);
  });

  it('US-PRO-3: an admin may not switch MFA off (the role requires it)', async () => {
    clock.advance(60_000);
    const start = await signInRequest(hub, email, password);
    const verify = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions/mfa',
      headers: { cookie: sessionCookieOf(start) ?? '' },
      payload: { code: totpCode(secret, clock()) },
    });
    const cookie = sessionCookieOf(verify) ?? '';
    const disable = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/me/mfa/disable',
      headers: { cookie },
    });
    expect(disable.statusCode).toBe(409);
  });
});
