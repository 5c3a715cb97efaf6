import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthsBefore, purgeExpiredAuditRows } from '../../src/modules/identity/retention.js';
import { retentionRepository } from '../../src/modules/identity/retention-repository.js';
import type { AuditEventsTable, LoginAttemptsTable } from '../../src/modules/identity/tables.js';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, signIn, signInRequest } from '../helpers/identity.js';

const ADMIN = { email: 'ada.admin@example.com', password: 'granite meadow lantern 41' };
const LEAVER = { email: 'lee.leaver@example.com', password: 'walnut canyon ember 36' };
const NOW = new Date('2026-11-21T09:00:00.000Z');

/**
 * Rows at known times around the §3.9 windows, seen from NOW: login attempts are kept 12 months
 * (cut-off 2025-11-21T09:00:00.000Z), audit events 24 months (cut-off 2024-11-21T09:00:00.000Z).
 * `expired` says whether the purge must delete the row: strictly older than its cut-off.
 */
const ATTEMPTS = [
  { attempted_at: '2024-06-01T12:00:00.000Z', expired: true },
  { attempted_at: '2025-11-21T08:59:59.999Z', expired: true },
  { attempted_at: '2025-11-21T09:00:00.000Z', expired: false },
  { attempted_at: '2026-01-15T10:30:00.000Z', expired: false },
];
const EVENTS = [
  { at: '2023-03-10T00:00:00.000Z', expired: true },
  { at: '2024-11-21T08:59:59.999Z', expired: true },
  { at: '2024-11-21T09:00:00.000Z', expired: false },
  // Older than 12 months but inside 24: the audit window is its own.
  { at: '2025-06-01T00:00:00.000Z', expired: false },
];

// Scenario: the application (or a bug in it) tries to rewrite or erase the security logs; an
// admin deletes a user; later the retention purge runs (specs/identity.md L-04, §3.9
// "Retention", US-ADM-5; ASVS 5.0 16.4.2).
describe('append-only audit tables and their retention purge', () => {
  const clock = manualClock(NOW);
  let hub: TestHub;
  let leaverId = 0;
  const expiredAttemptIds: number[] = [];
  const expiredEventIds: number[] = [];

  const attempts = () =>
    hub.database.db.selectFrom('identity.login_attempts').selectAll().orderBy('id').execute();
  const events = () =>
    hub.database.db.selectFrom('identity.audit_events').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    hub = await createTestHub({ clock, env: { MFA_REQUIRED_ROLES: 'none' } });
    await createUser(hub, { ...ADMIN, role: 'admin' });
    leaverId = (await createUser(hub, { ...LEAVER, role: 'analyst' })).id;
    // Real rows: a success and a failure for the leaver, one success for the admin.
    await signIn(hub, LEAVER.email, LEAVER.password);
    await signInRequest(hub, LEAVER.email, 'not the right password');
    for (const row of ATTEMPTS) {
      const values: Insertable<LoginAttemptsTable> = {
        email: LEAVER.email,
        ip_address: '198.51.100.7',
        user_agent: 'seeded',
        success: false,
        failure_reason: 'invalid_password',
        attempted_at: row.attempted_at,
        user_id: leaverId,
      };
      const { id } = await hub.database.db
        .insertInto('identity.login_attempts')
        .values(values)
        .returning('id')
        .executeTakeFirstOrThrow();
      if (row.expired) expiredAttemptIds.push(id);
    }
    for (const row of EVENTS) {
      const values: Insertable<AuditEventsTable> = {
        at: row.at,
        actor_id: null,
        action: 'user.approve',
        target_type: 'user',
        target_id: String(leaverId),
        ip: null,
        details: '{}',
      };
      const { id } = await hub.database.db
        .insertInto('identity.audit_events')
        .values(values)
        .returning('id')
        .executeTakeFirstOrThrow();
      if (row.expired) expiredEventIds.push(id);
    }
  });
  afterAll(() => hub.close());

  it('L-04: a raw UPDATE of a login attempt is refused and the row stays as it was', async () => {
    const before = await attempts();
    const first = before[0]?.id ?? 0;
    await expect(
      hub.database.db
        .updateTable('identity.login_attempts')
        .set({ success: true, failure_reason: '' })
        .where('id', '=', first)
        .execute(),
    ).rejects.toThrow(/append-only/);
    // Moving an attempt to another user is an update too, not the NULLing deletion does.
    await expect(
      hub.database.db.updateTable('identity.login_attempts').set({ user_id: 1 }).execute(),
    ).rejects.toThrow(/append-only/);
    // NULLing user_id together with another column is refused as well.
    await expect(
      hub.database.db
        .updateTable('identity.login_attempts')
        .set({ user_id: null, email: 'someone.else@example.com' })
        .where('id', '=', first)
        .execute(),
    ).rejects.toThrow(/append-only/);
    expect(await attempts()).toEqual(before);
  });

  it('L-04: a raw UPDATE of an audit event is refused and the row stays as it was', async () => {
    const before = await events();
    await expect(
      hub.database.db
        .updateTable('identity.audit_events')
        .set({ action: 'nothing.happened', details: '{}' })
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(
      hub.database.db.updateTable('identity.audit_events').set({ actor_id: null }).execute(),
    ).rejects.toThrow(/append-only/);
    expect(await events()).toEqual(before);
  });

  it('L-04: a raw DELETE (one row or all) is refused on both tables; on PostgreSQL so is TRUNCATE', async () => {
    const attemptsBefore = await attempts();
    const eventsBefore = await events();
    for (const table of ['identity.login_attempts', 'identity.audit_events'] as const) {
      await expect(
        hub.database.db
          .deleteFrom(table)
          .where('id', '=', expiredEventIds[0] ?? 0)
          .execute(),
      ).rejects.toThrow(/append-only/);
      await expect(hub.database.db.deleteFrom(table).execute()).rejects.toThrow(/append-only/);
      if (hub.database.kind === 'postgres') {
        await expect(
          sql`truncate table ${sql.table(table)}`.execute(hub.database.db),
        ).rejects.toThrow(/append-only/);
      }
    }
    expect(await attempts()).toEqual(attemptsBefore);
    expect(await events()).toEqual(eventsBefore);
  });

  it('L-04 / US-ADM-5: deleting a user still works; their login attempts stay with user_id NULL, audit rows stay', async () => {
    const attemptsBefore = await attempts();
    const eventsBefore = await events();
    const own = attemptsBefore.filter((row) => row.user_id === leaverId);
    // 1 success + 1 failure signed in above + 4 seeded.
    expect(own).toHaveLength(6);
    const admin = await signIn(hub, ADMIN.email, ADMIN.password);
    const deletion = await hub.app.inject({
      method: 'DELETE',
      url: `/api/identity/admin/users/${String(leaverId)}`,
      headers: { cookie: admin },
      payload: { confirm_email: LEAVER.email },
    });
    expect(deletion.statusCode).toBe(204);
    const after = await attempts();
    // Every attempt is still there (plus the admin's sign-in), with the leaver detached.
    expect(after.map((row) => row.id)).toEqual(
      expect.arrayContaining(attemptsBefore.map((row) => row.id)),
    );
    expect(after.filter((row) => row.user_id === leaverId)).toEqual([]);
    expect(after.filter((row) => own.some((mine) => mine.id === row.id))).toEqual(
      own.map((row) => ({ ...row, user_id: null })),
    );
    const eventsAfter = await events();
    expect(eventsAfter.slice(0, eventsBefore.length)).toEqual(eventsBefore);
    expect(eventsAfter.map((row) => row.action)).toContain('user.delete');
  });

  it('L-04: the foreign key’s ON DELETE SET NULL (a user row deleted directly) is allowed too', async () => {
    const { id } = await createUser(hub, { email: 'fk.only@example.com', role: 'viewer' });
    await hub.database.db
      .insertInto('identity.login_attempts')
      .values({
        email: 'fk.only@example.com',
        ip_address: null,
        user_agent: '',
        success: true,
        failure_reason: '',
        attempted_at: NOW.toISOString(),
        user_id: id,
      })
      .execute();
    await hub.database.db.deleteFrom('identity.users').where('id', '=', id).execute();
    const rows = (await attempts()).filter((row) => row.email === 'fk.only@example.com');
    expect(rows.map((row) => row.user_id)).toEqual([null]);
  });

  it('§3.9 / L-04: the purge deletes exactly the login attempts older than 12 months and audit events older than 24', async () => {
    const attemptsBefore = await attempts();
    const eventsBefore = await events();
    const result = await purgeExpiredAuditRows(retentionRepository(hub.database.db), clock);
    expect(result).toEqual({
      loginAttemptsBefore: '2025-11-21T09:00:00.000Z',
      auditEventsBefore: '2024-11-21T09:00:00.000Z',
      deleted: { login_attempts: 2, audit_events: 2 },
    });
    expect(await attempts()).toEqual(
      attemptsBefore.filter((row) => !expiredAttemptIds.includes(row.id)),
    );
    expect(await events()).toEqual(eventsBefore.filter((row) => !expiredEventIds.includes(row.id)));
  });

  it('L-04: after the purge its grant is gone: a raw DELETE is refused again; a second purge deletes nothing', async () => {
    expect(
      await hub.database.db.selectFrom('identity.audit_purge_grants').selectAll().execute(),
    ).toEqual([]);
    await expect(hub.database.db.deleteFrom('identity.audit_events').execute()).rejects.toThrow(
      /append-only/,
    );
    const again = await purgeExpiredAuditRows(retentionRepository(hub.database.db), clock);
    expect(again.deleted).toEqual({ login_attempts: 0, audit_events: 0 });
  });

  it('§3.9: the windows are calendar months (29 February 2028 keeps attempts from 28 February 2027)', () => {
    const leapDay = new Date('2028-02-29T23:30:00.000Z');
    expect(monthsBefore(leapDay, 12).toISOString()).toBe('2027-02-28T23:30:00.000Z');
    expect(monthsBefore(leapDay, 24).toISOString()).toBe('2026-02-28T23:30:00.000Z');
    expect(monthsBefore(new Date('2026-03-31T00:00:00.000Z'), 1).toISOString()).toBe(
      '2026-02-28T00:00:00.000Z',
    );
  });
});
