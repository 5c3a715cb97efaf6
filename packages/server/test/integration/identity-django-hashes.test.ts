import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { fixtureUserRows, fixtureUsersFromReadme } from '../helpers/django-fixture.js';
import { createUser, signInRequest } from '../helpers/identity.js';

// Scenario: the legacy Django users (../shared/fixtures/django/umbrella_db.sqlite3, read in
// place) sign in to the new hub with their old passwords, as listed in the fixture's README.
// Expected outcomes are the README's "expected login" column, §6.3.
describe('legacy Django password hashes', () => {
  let hub: TestHub;
  const readmeUsers = fixtureUsersFromReadme();
  const rows = fixtureUserRows();

  beforeAll(async () => {
    hub = await createTestHub({ env: { MFA_REQUIRED_ROLES: 'none' } });
    for (const row of rows) {
      await createUser(hub, {
        email: row.email,
        passwordHash: row.password,
        role: 'viewer',
        active: row.is_active === 1,
        approved: row.is_approved === 1,
        rejectionReason: row.rejection_reason ?? '',
        firstName: row.first_name,
        lastName: row.last_name,
      });
    }
  });
  afterAll(() => hub.close());

  const storedHash = async (email: string) =>
    (
      await hub.database.db
        .selectFrom('identity.users')
        .select('password')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
    ).password;

  it('reads nine users from the README and the database, every hash pbkdf2_sha256', () => {
    expect(readmeUsers).toHaveLength(9);
    expect(rows.map((row) => row.email)).toEqual(readmeUsers.map((user) => user.email));
    for (const row of rows) expect(row.password).toMatch(/^pbkdf2_sha256\$260000\$/);
  });

  it('A-08: a wrong password leaves the legacy hash unchanged', async () => {
    const user = readmeUsers[0];
    if (user === undefined) throw new Error('no fixture user');
    const before = await storedHash(user.email);
    const response = await signInRequest(hub, user.email, `${user.password} `);
    expect(response.statusCode).toBe(401);
    expect(await storedHash(user.email)).toBe(before);
  });

  it('A-04: the exact password with internal spaces verifies; trimmed or altered forms do not', async () => {
    const priya = readmeUsers.find((user) => user.password.includes(' '));
    if (priya === undefined) throw new Error('no fixture user with spaces');
    expect(priya.password).toBe('saffron kite 9 ledger');
    for (const variant of [
      'saffronkite9ledger',
      ' saffron kite 9 ledger',
      'saffron  kite 9 ledger',
    ]) {
      expect((await signInRequest(hub, priya.email, variant)).statusCode).toBe(401);
    }
  });

  it('A-08: each user gets the README outcome, and a success upgrades the hash to argon2id', async () => {
    const statusByOutcome: Record<string, number> = {
      success: 200,
      inactive: 403,
      pending_approval: 403,
      rejected: 403,
    };
    for (const user of readmeUsers) {
      const before = await storedHash(user.email);
      const response = await signInRequest(hub, user.email, user.password);
      expect([user.email, response.statusCode]).toEqual([
        user.email,
        statusByOutcome[user.expectedLogin],
      ]);
      const after = await storedHash(user.email);
      if (user.expectedLogin === 'success') {
        expect(after).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
        // The upgraded hash verifies the same password on the next sign-in.
        expect((await signInRequest(hub, user.email, user.password)).statusCode).toBe(200);
      } else {
        expect(response.json()).toMatchObject({ code: user.expectedLogin });
        expect(after).toBe(before);
      }
    }
    const upgrades = await hub.database.db
      .selectFrom('identity.audit_events')
      .select('action')
      .where('action', '=', 'password_upgraded')
      .execute();
    expect(upgrades).toHaveLength(
      readmeUsers.filter((user) => user.expectedLogin === 'success').length,
    );
  });
});
