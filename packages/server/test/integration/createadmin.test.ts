import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminCommand, type CliIo } from '../../src/cli/commands.js';
import { openDatabase, type HubDatabase } from '../../src/db/database.js';
import { verifyArgon2Password } from '../../src/modules/identity/passwords.js';
import { identityRepository } from '../../src/modules/identity/repository.js';
import { IdentityError } from '../../src/modules/identity/service.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

function io(stdinText: string): CliIo & { output: () => string } {
  let written = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString();
      done();
    },
  });
  return { stdin: Readable.from([stdinText]), stdout: sink, stderr: sink, output: () => written };
}

// Scenario: the operator of a new install creates the first admin from the command line, with
// the password piped on standard input, then makes two mistakes.
describe('umbrella createadmin', () => {
  let testDatabase: TestDatabase;
  let database: HubDatabase;
  const environment = () => ({ DATABASE_URL: testDatabase.url, LOG_LEVEL: 'silent' });
  const now = () => new Date('2026-11-21T09:30:00.000Z');
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = await openDatabase(testDatabase.config);
  });
  afterAll(async () => {
    await database.close();
    await testDatabase.drop();
  });

  it('creates an approved admin with an argon2id hash of exactly the typed password', async () => {
    const cli = io('  correct horse battery  \n');
    await createAdminCommand(environment(), cli, { email: 'Ops.Lead@Example.COM' }, now);
    // Django's normalize_email lower-cases only the domain (specs/identity.md D5).
    expect(cli.output()).toMatch(/^Created admin Ops\.Lead@example\.com \(user id \d+\)\.\n$/);

    const user = await identityRepository(database.db).findUserByEmail('ops.lead@example.com');
    expect(user).toMatchObject({
      email: 'Ops.Lead@example.com',
      role: 'admin',
      created_at: '2026-11-21T09:30:00.000Z',
      approval_date: '2026-11-21T09:30:00.000Z',
    });
    expect(Boolean(user?.is_approved)).toBe(true);
    expect(Boolean(user?.is_staff)).toBe(true);
    expect(Boolean(user?.is_active)).toBe(true);
    // D6: argon2id, m = 19456 KiB, t = 2, p = 1.
    expect(user?.password).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    // D10: spaces are part of the password; only the line ending is not.
    expect(await verifyArgon2Password(user?.password ?? '', '  correct horse battery  ')).toBe(
      true,
    );
    expect(await verifyArgon2Password(user?.password ?? '', 'correct horse battery')).toBe(false);
  });

  it('refuses a second account for the same email in another case, and adds nothing', async () => {
    const attempt = createAdminCommand(
      environment(),
      io('another long password\n'),
      { email: 'OPS.LEAD@example.com' },
      now,
    );
    await expect(attempt).rejects.toThrow(
      new IdentityError('email', 'a user with email OPS.LEAD@example.com already exists'),
    );
    expect(await identityRepository(database.db).countActiveAdmins()).toBe(1);
  });

  it('refuses a short password and a malformed email, naming the field', async () => {
    await expect(
      createAdminCommand(environment(), io('short\n'), { email: 'new@example.com' }, now),
    ).rejects.toThrow('password must be at least 12 characters (got 5)');
    await expect(
      createAdminCommand(
        environment(),
        io('long enough password\n'),
        { email: 'not-an-email' },
        now,
      ),
    ).rejects.toThrow('email "not-an-email" is not a valid email address');
    expect(await identityRepository(database.db).countActiveAdmins()).toBe(1);
  });
});
