import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/modules/identity/mfa.js';
import { createTestHub, manualClock, TEST_SECRET_KEY, type TestHub } from '../helpers/app.js';
import { createUser, sessionCookieOf, tokenFromMail } from '../helpers/identity.js';

const BASE = 'https://hub.example.com';
const ADMIN = { email: 'ada.admin@example.com', password: 'granite meadow lantern 41' };
const WRONG_PASSWORD = 'granite meadow lantern 14';
const INVITEE = 'ines.invited@example.com';
const INVITEE_PASSWORD = 'cobalt heron pasture 52';
const RESET_PASSWORD = 'juniper atlas sonnet 80';

// Scenario: with logging at trace, an admin enrols TOTP, mistypes a password, signs in with a
// code and a recovery code, invites an analyst who accepts, and the analyst resets a forgotten
// password; then the log is searched for every secret that passed through
// (specs/identity.md L-03, §3.9 "Logging", ASVS 5.0 16.2.5; I-01 and S-04 check one kind each).
describe('no secrets in the logs', () => {
  const clock = manualClock();
  let hub: TestHub;
  /** Every secret of the flow, by what it is. */
  const secrets = new Map<string, string>([
    ['admin password', ADMIN.password],
    ['wrong password', WRONG_PASSWORD],
    ['invitee password', INVITEE_PASSWORD],
    ['new password after reset', RESET_PASSWORD],
    ['SECRET_KEY', TEST_SECRET_KEY],
  ]);
  const remember = (what: string, response: LightMyRequestResponse) => {
    const cookie = sessionCookieOf(response);
    if (cookie !== undefined) secrets.set(`cookie from ${what}`, cookie.split('=')[1] ?? '');
    return cookie ?? '';
  };
  const post = (url: string, payload: object, cookie?: string) =>
    hub.app.inject({
      method: 'POST',
      url,
      headers: cookie === undefined ? {} : { cookie },
      payload,
    });

  beforeAll(async () => {
    hub = await createTestHub({
      clock,
      captureLogs: true,
      env: { APP_BASE_URL: BASE, LOG_LEVEL: 'trace' },
    });
    await createUser(hub, { ...ADMIN, role: 'admin' });

    // MFA enrolment (admins must enrol, D8): the TOTP secret and the recovery codes.
    let admin = remember('first sign-in', await post('/api/identity/sessions', ADMIN));
    const setup = await post('/api/identity/me/mfa/setup', {}, admin);
    const totpSecret = setup.json<{ secret: string }>().secret;
    secrets.set('TOTP secret', totpSecret);
    const enable = await post(
      '/api/identity/me/mfa/enable',
      { code: totpCode(totpSecret, clock()) },
      admin,
    );
    const recoveryCodes = enable.json<{ recovery_codes: string[] }>().recovery_codes;
    recoveryCodes.forEach((code, index) => secrets.set(`recovery code ${String(index)}`, code));
    remember('MFA enrolment', enable);

    // A failed sign-in, then sign-ins with a TOTP code and with a recovery code.
    expect(
      (await post('/api/identity/sessions', { ...ADMIN, password: WRONG_PASSWORD })).statusCode,
    ).toBe(401);
    clock.advance(60_000);
    const challenge = remember('sign-in step 1', await post('/api/identity/sessions', ADMIN));
    admin = remember(
      'TOTP step',
      await post('/api/identity/sessions/mfa', { code: totpCode(totpSecret, clock()) }, challenge),
    );
    const second = remember('second device step 1', await post('/api/identity/sessions', ADMIN));
    const recovered = await post(
      '/api/identity/sessions/mfa',
      { code: recoveryCodes[0] ?? '' },
      second,
    );
    expect(recovered.statusCode).toBe(200);
    remember('recovery code step', recovered);

    // An invitation, previewed and accepted.
    const invite = await post(
      '/api/identity/admin/invitations',
      { email: INVITEE, invite_type: 'analyst' },
      admin,
    );
    expect(invite.statusCode).toBe(201);
    const inviteToken = await tokenFromMail(hub, INVITEE, `${BASE}/invite/`);
    secrets.set('invite token', inviteToken);
    expect(
      (await post('/api/identity/invitations/preview', { token: inviteToken })).statusCode,
    ).toBe(200);
    const accept = await post('/api/identity/invitations/accept', {
      token: inviteToken,
      first_name: 'Ines',
      last_name: 'Invited',
      password: INVITEE_PASSWORD,
    });
    expect(accept.statusCode).toBe(201);
    remember('invite acceptance', accept);

    // A password reset.
    expect((await post('/api/identity/password/forgot', { email: INVITEE })).statusCode).toBe(202);
    const resetToken = await tokenFromMail(hub, INVITEE, `${BASE}/reset-password#`);
    secrets.set('reset token', resetToken);
    const reset = await post('/api/identity/password/reset', {
      token: resetToken,
      new_password: RESET_PASSWORD,
    });
    expect(reset.statusCode).toBe(200);
    remember(
      'sign-in after reset',
      await post('/api/identity/sessions', { email: INVITEE, password: RESET_PASSWORD }),
    );
    await hub.app.hub.identity.background.idle();
  });
  afterAll(() => hub.close());

  it('L-03: the flow produced request logs at trace level and every secret was captured', () => {
    expect(
      hub.logs.filter((line) => line.includes('"msg":"incoming request"')).length,
    ).toBeGreaterThan(10);
    for (const [what, secret] of secrets) expect(secret.length, what).toBeGreaterThanOrEqual(8);
    expect([...secrets.keys()].filter((what) => what.startsWith('cookie from'))).toHaveLength(8);
  });

  it('L-03: no log line holds a password, an invite or reset token, the TOTP secret, a recovery code, a cookie or SECRET_KEY', () => {
    const leaks: string[] = [];
    for (const line of hub.logs) {
      for (const [what, secret] of secrets) {
        if (line.includes(secret) || line.includes(encodeURIComponent(secret))) {
          leaks.push(`${what}: ${line}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });
});
