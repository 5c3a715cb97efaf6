import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser } from '../helpers/identity.js';

// Scenario: someone guesses passwords for a real account, for an address that has no account,
// and from one IP against many (specs/identity.md §3.6, A-10).
describe('lockout and throttling', () => {
  const clock = manualClock();
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub({ clock });
    await createUser(hub, { email: 'target@example.com', password: 'the real passphrase 1' });
  });
  afterAll(() => hub.close());

  const attempt = (email: string, password: string, ip: string) =>
    hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions',
      payload: { email, password },
      remoteAddress: ip,
    });

  it('A-10: 5 failures lock a real account and a non-existent address alike, for 15 minutes', async () => {
    for (let index = 0; index < 5; index += 1) {
      await attempt(
        'target@example.com',
        `wrong guess ${String(index)}`,
        `198.51.100.${String(index + 1)}`,
      );
      await attempt(
        'ghost@example.com',
        `wrong guess ${String(index)}`,
        `198.51.100.${String(index + 1)}`,
      );
    }
    const real = await attempt('target@example.com', 'the real passphrase 1', '198.51.100.50');
    const ghost = await attempt('ghost@example.com', 'the real passphrase 1', '198.51.100.50');
    expect(real.statusCode).toBe(401);
    expect(ghost.body).toBe(real.body);
    const reasons = await hub.database.db
      .selectFrom('identity.login_attempts')
      .select(['email', 'failure_reason'])
      .where('ip_address', '=', '198.51.100.50')
      .execute();
    expect(reasons).toEqual([
      { email: 'target@example.com', failure_reason: 'locked_out' },
      { email: 'ghost@example.com', failure_reason: 'locked_out' },
    ]);
    clock.advance(15 * 60_000 + 1000);
    expect(
      (await attempt('target@example.com', 'the real passphrase 1', '198.51.100.50')).statusCode,
    ).toBe(200);
  });

  it('A-10: 20 failures from one IP in 10 minutes answer 429 with Retry-After', async () => {
    for (let index = 0; index < 20; index += 1) {
      await attempt(`user${String(index)}@example.com`, 'nope nope nope', '203.0.113.9');
    }
    const blocked = await attempt('target@example.com', 'the real passphrase 1', '203.0.113.9');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(600);
    // Another address is not affected.
    expect(
      (await attempt('target@example.com', 'the real passphrase 1', '203.0.113.10')).statusCode,
    ).toBe(200);
    clock.advance(10 * 60_000 + 1000);
    expect(
      (await attempt('target@example.com', 'the real passphrase 1', '203.0.113.9')).statusCode,
    ).toBe(200);
  });

  it('§3.6: X-Forwarded-For from a client is not trusted (TRUST_PROXY unset)', async () => {
    const response = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions',
      payload: { email: 'target@example.com', password: 'wrong wrong wrong' },
      remoteAddress: '192.0.2.77',
      headers: { 'x-forwarded-for': '10.9.8.7' },
    });
    expect(response.statusCode).toBe(401);
    const row = await hub.database.db
      .selectFrom('identity.login_attempts')
      .select('ip_address')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.ip_address).toBe('192.0.2.77');
  });
});
