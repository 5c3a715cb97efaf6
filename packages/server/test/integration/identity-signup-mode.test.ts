import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/modules/identity/crypto.js';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { createUser, outbox, signIn, tokenFromMail } from '../helpers/identity.js';

const BASE = 'https://hub.example.com';
const CLOSED = {
  type: 'about:blank',
  title: 'Sign-up is closed',
  status: 403,
  detail: 'Accounts are created by invitation only. Ask an administrator to invite you.',
  code: 'signup_closed',
};

// Scenario: the hub runs with SIGNUP_MODE=invite_only; someone calls the request-access API
// directly, while an invited person still gets in (specs/identity.md D1, A-13).
describe('invite-only sign-up', () => {
  let hub: TestHub;
  let admin: string;

  beforeAll(async () => {
    hub = await createTestHub({
      env: { APP_BASE_URL: BASE, MFA_REQUIRED_ROLES: 'none', SIGNUP_MODE: 'invite_only' },
    });
    await createUser(hub, {
      email: 'ada.admin@example.com',
      password: 'granite meadow lantern 41',
      role: 'admin',
    });
    admin = await signIn(hub, 'ada.admin@example.com', 'granite meadow lantern 41');
  });
  afterAll(() => hub.close());

  it('A-13: every request-access route answers 403 and nothing is stored or sent', async () => {
    const status = await hub.app.inject({ url: '/api/identity/status' });
    expect(status.json()).toMatchObject({ signup_mode: 'invite_only' });
    const calls = [
      [
        '/api/identity/access-requests',
        { email: 'walk.in@example.com', first_name: 'W', last_name: 'I' },
      ],
      ['/api/identity/access-requests/preview', { token: 'A'.repeat(43) }],
      [
        '/api/identity/access-requests/complete',
        { token: 'A'.repeat(43), password: 'harbor quill 58 mosaic' },
      ],
    ] as const;
    for (const [url, payload] of calls) {
      const response = await hub.app.inject({ method: 'POST', url, payload });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({ ...CLOSED, instance: url });
    }
    expect(await outbox(hub)).toEqual([]);
    const tokens = await hub.database.db
      .selectFrom('identity.one_time_tokens')
      .selectAll()
      .execute();
    expect(tokens).toEqual([]);
    const users = await hub.database.db.selectFrom('identity.users').select('email').execute();
    expect(users.map((user) => user.email)).toEqual(['ada.admin@example.com']);
  });

  it('A-13: a token minted before the switch cannot complete a request either', async () => {
    // A verification link from when sign-up was open (stored as the open mode stores it).
    const token = 'B'.repeat(43);
    await hub.database.db
      .insertInto('identity.one_time_tokens')
      .values({
        purpose: 'signup_verify',
        token_hash: sha256Hex(token),
        user_id: null,
        email: 'before.switch@example.com',
        payload: JSON.stringify({ first_name: 'Be', last_name: 'Fore' }),
        created_at: new Date().toISOString(),
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        used_at: null,
      })
      .execute();
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/access-requests/complete',
      payload: { token, password: 'harbor quill 58 mosaic' },
    });
    expect(response.statusCode).toBe(403);
    const users = await hub.database.db
      .selectFrom('identity.users')
      .select('email')
      .where('email', '=', 'before.switch@example.com')
      .execute();
    expect(users).toEqual([]);
  });

  it('D1: invitations still work in invite-only mode', async () => {
    const created = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/admin/invitations',
      headers: { cookie: admin },
      payload: { email: 'invited@example.com', invite_type: 'viewer' },
    });
    expect(created.statusCode).toBe(201);
    const token = await tokenFromMail(hub, 'invited@example.com', `${BASE}/invite/`);
    const accepted = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/invitations/accept',
      payload: { token, first_name: 'In', last_name: 'Vited', password: 'harbor quill 58 mosaic' },
    });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({ state: 'signed_in', user: { role: 'viewer' } });
  });
});
