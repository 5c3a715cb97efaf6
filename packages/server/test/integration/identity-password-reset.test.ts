import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, outbox, signInRequest, tokenFromMail } from '../helpers/identity.js';

// Scenario: a user forgets a password and resets it by email (specs/identity.md §3.8, A-12).
describe('password reset', () => {
  const clock = manualClock();
  let hub: TestHub;
  const email = 'hannah.schultz@northbridge.example';
  beforeAll(async () => {
    hub = await createTestHub({ clock });
    await createUser(hub, { email, password: 'violet meadow compass', role: 'viewer' });
    await createUser(hub, {
      email: 'no.login@example.com',
      passwordHash: '!unusablepasswordvalue0123456789abcdefghij',
    });
  });
  afterAll(() => hub.close());

  const forgot = (address: string) =>
    hub.app.inject({
      method: 'POST',
      url: '/api/identity/password/forgot',
      payload: { email: address },
    });
  const reset = (token: string, newPassword: string) =>
    hub.app.inject({
      method: 'POST',
      url: '/api/identity/password/reset',
      payload: { token, new_password: newPassword },
    });

  it('A-12: known, unknown and unusable addresses get the same 202; only the known one gets mail', async () => {
    const known = await forgot(email);
    const unknown = await forgot('nobody@example.com');
    const unusable = await forgot('no.login@example.com');
    expect(known.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(unusable.body).toBe(known.body);
    const mails = await outbox(hub);
    expect(mails.map((mail) => [mail.to_address, mail.purpose])).toEqual([
      [email, 'password_reset'],
    ]);
    expect(mails[0]?.text_body).toContain('http://127.0.0.1:8000/reset-password#');
  });

  it('A-12: the link works once; the old password stops working; sessions end', async () => {
    const token = await tokenFromMail(hub, email, '/reset-password#');
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const tokens = await hub.database.db
      .selectFrom('identity.one_time_tokens')
      .select('token_hash')
      .execute();
    expect(tokens.map((row) => row.token_hash)).not.toContain(token);
    const weak = await reset(token, 'short');
    expect(weak.statusCode).toBe(400);
    const done = await reset(token, 'lantern meadow 42 compass');
    expect(done.statusCode).toBe(200);
    expect(done.headers['referrer-policy']).toBe('no-referrer');
    const again = await reset(token, 'another meadow 43 compass');
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({ code: 'invalid_token' });
    expect((await signInRequest(hub, email, 'violet meadow compass')).statusCode).toBe(401);
    expect((await signInRequest(hub, email, 'lantern meadow 42 compass')).statusCode).toBe(200);
  });

  it('A-12: a link older than 30 minutes, or issued before a newer one, fails', async () => {
    await forgot(email);
    const first = await tokenFromMail(hub, email, '/reset-password#');
    clock.advance(60_000);
    await forgot(email);
    const second = await tokenFromMail(hub, email, '/reset-password#');
    expect((await reset(first, 'superseded link 1 pass')).statusCode).toBe(410);
    clock.advance(31 * 60_000);
    expect((await reset(second, 'expired link 2 passes')).statusCode).toBe(410);
  });

  it('A-12: a sign-in invalidates an outstanding link', async () => {
    clock.advance(2 * 3_600_000);
    await forgot(email);
    const token = await tokenFromMail(hub, email, '/reset-password#');
    expect((await signInRequest(hub, email, 'lantern meadow 42 compass')).statusCode).toBe(200);
    expect((await reset(token, 'after login reset pass')).statusCode).toBe(410);
  });
});
