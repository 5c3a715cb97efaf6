import type { LoginFailureReason, Role, UserStatus } from '@hub/core';
import {
  sql,
  type ExpressionBuilder,
  type Expression,
  type Insertable,
  type Kysely,
  type Selectable,
  type SqlBool,
} from 'kysely';
import { isPostgres } from '../../db/database.js';
import type { HubTables } from '../../db/tables.js';
import type { UserRow } from './repository.js';
import type { AuditEventsTable, LoginAttemptsTable, UserExportsTable } from './tables.js';

type Db = Kysely<HubTables>;

export type UserExportRow = Selectable<UserExportsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type LoginAttemptRow = Selectable<LoginAttemptsTable>;

export interface UserFilters {
  /** Part of the first name, last name, full name or email, any case. */
  readonly search?: string | undefined;
  readonly status?: UserStatus | undefined;
  readonly role?: Role | undefined;
}

export interface LoginAttemptFilters {
  /** Part of the submitted email, any case. */
  readonly email?: string | undefined;
  readonly ip?: string | undefined;
  readonly success?: boolean | undefined;
  readonly reason?: LoginFailureReason | undefined;
  /** attempted_at >= from (ISO-8601 UTC). */
  readonly from?: string | undefined;
  /** attempted_at < before (ISO-8601 UTC). */
  readonly before?: string | undefined;
}

export interface UserWithApprover {
  readonly user: UserRow;
  readonly approver: { first_name: string; last_name: string; email: string } | null;
}

/** What the identity tables lost when a user was deleted (counts only, for the audit row). */
export interface ErasureCounts {
  sessions: number;
  recovery_codes: number;
  one_time_tokens: number;
  invites_deleted: number;
  invites_revoked: number;
  login_attempts_detached: number;
}

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
}

/** A LIKE pattern matching `text` anywhere, with the wildcards in it taken literally. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
}

/** `lower(column) like pattern escape '\'`, the same on PostgreSQL and SQLite. */
function likeLower(column: Expression<string>, pattern: string) {
  return sql<SqlBool>`lower(${column}) like ${pattern} escape '\\'`;
}

/** D4 as SQL: the derived status of a user row, translated into conditions on its flags. */
function statusCondition(
  eb: ExpressionBuilder<HubTables & { u: HubTables['identity.users'] }, 'u'>,
  status: UserStatus,
) {
  switch (status) {
    case 'inactive':
      return eb('u.is_active', '=', false);
    case 'approved':
      return eb.and([eb('u.is_active', '=', true), eb('u.is_approved', '=', true)]);
    case 'rejected':
      return eb.and([
        eb('u.is_active', '=', true),
        eb('u.is_approved', '=', false),
        eb('u.rejection_reason', '!=', ''),
      ]);
    case 'pending':
      return eb.and([
        eb('u.is_active', '=', true),
        eb('u.is_approved', '=', false),
        eb('u.rejection_reason', '=', ''),
      ]);
  }
}

function countOf(row: { count: number | string | bigint }): number {
  return Number(row.count);
}

/**
 * The admin area's SQL (§3.9, §3.10): the user directory, sessions across users, the login
 * audit and its suspicious-activity aggregates, audit events, exports and hard deletion. Every
 * query is built with Kysely (parameterised, V-04) and runs on PostgreSQL and SQLite alike.
 */
export function adminRepository(db: Db) {
  /** US-ADM-3 / US-INV-4: the pending invitations a user created stop working. */
  async function revokePendingInvitesCreatedBy(
    userId: number,
    revokedById: number | null,
    now: string,
  ): Promise<number> {
    const result = await db
      .updateTable('identity.invites')
      .set({ revoked_at: now, revoked_by_id: revokedById })
      .where('created_by_id', '=', userId)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  return {
    // ------------------------------------------------------------ users

    async searchUsers(
      filters: UserFilters,
      offset: number,
      limit: number,
    ): Promise<Page<UserWithApprover>> {
      const base = db.selectFrom('identity.users as u').where((eb) => {
        const conditions: Expression<SqlBool>[] = [];
        if (filters.search !== undefined && filters.search.trim() !== '') {
          const pattern = containsPattern(filters.search.trim());
          conditions.push(
            eb.or([
              likeLower(eb.ref('u.email'), pattern),
              likeLower(eb.ref('u.first_name'), pattern),
              likeLower(eb.ref('u.last_name'), pattern),
              likeLower(
                sql<string>`${eb.ref('u.first_name')} || ' ' || ${eb.ref('u.last_name')}`,
                pattern,
              ),
            ]),
          );
        }
        if (filters.status !== undefined) conditions.push(statusCondition(eb, filters.status));
        if (filters.role !== undefined) conditions.push(eb('u.role', '=', filters.role));
        return eb.and(conditions);
      });
      const [rows, total] = await Promise.all([
        base
          .leftJoin('identity.users as approver', 'approver.id', 'u.approved_by_id')
          .selectAll('u')
          .select([
            'approver.first_name as approver_first_name',
            'approver.last_name as approver_last_name',
            'approver.email as approver_email',
          ])
          .orderBy('u.id', 'asc')
          .offset(offset)
          .limit(limit)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(splitApprover), total: countOf(total) };
    },

    async findUserWithApprover(id: number): Promise<UserWithApprover | undefined> {
      const row = await db
        .selectFrom('identity.users as u')
        .leftJoin('identity.users as approver', 'approver.id', 'u.approved_by_id')
        .selectAll('u')
        .select([
          'approver.first_name as approver_first_name',
          'approver.last_name as approver_last_name',
          'approver.email as approver_email',
        ])
        .where('u.id', '=', id)
        .executeTakeFirst();
      return row === undefined ? undefined : splitApprover(row);
    },

    /** Which of these throttle keys are locked at `now` (§3.6 lockout). */
    async lockedKeys(keys: readonly string[], now: string): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const rows = await db
        .selectFrom('identity.throttles')
        .select('key')
        .where('key', 'in', [...new Set(keys)])
        .where('locked_until', '>', now)
        .execute();
      return new Set(rows.map((row) => row.key));
    },

    /**
     * The ids of the active admins, locked until the transaction ends on PostgreSQL, so that two
     * concurrent demotions cannot both see "another admin remains" (§3.10 guards). SQLite runs
     * one transaction at a time, which gives the same guarantee.
     */
    async lockActiveAdminIds(): Promise<number[]> {
      let query = db
        .selectFrom('identity.users')
        .select('id')
        .where('role', '=', 'admin')
        .where('is_active', '=', true)
        .where('is_approved', '=', true);
      if (isPostgres(db)) query = query.forUpdate();
      const rows = await query.execute();
      return rows.map((row) => row.id);
    },

    revokePendingInvitesCreatedBy,

    // ------------------------------------------------------------ sessions (US-SES-4)

    async activeSessions(userId: number | undefined, now: string, offset: number, limit: number) {
      const base = db
        .selectFrom('identity.sessions as s')
        .innerJoin('identity.users as u', 'u.id', 's.user_id')
        .where('s.is_active', '=', true)
        .where('s.expires_at', '>', now)
        .$if(userId !== undefined, (query) => query.where('s.user_id', '=', userId ?? 0));
      const [items, total] = await Promise.all([
        base
          .selectAll('s')
          .select('u.email as user_email')
          .orderBy('s.last_activity', 'desc')
          .orderBy('s.id', 'desc')
          .offset(offset)
          .limit(limit)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: countOf(total) };
    },

    // ------------------------------------------------------------ login audit (§3.9)

    async loginAttempts(
      filters: LoginAttemptFilters,
      offset: number,
      limit: number,
    ): Promise<Page<LoginAttemptRow>> {
      const base = db.selectFrom('identity.login_attempts as a').where((eb) => {
        const conditions: Expression<SqlBool>[] = [];
        if (filters.email !== undefined && filters.email !== '') {
          conditions.push(likeLower(eb.ref('a.email'), containsPattern(filters.email)));
        }
        if (filters.ip !== undefined && filters.ip !== '') {
          conditions.push(eb('a.ip_address', '=', filters.ip));
        }
        if (filters.success !== undefined) conditions.push(eb('a.success', '=', filters.success));
        if (filters.reason !== undefined) {
          conditions.push(eb('a.failure_reason', '=', filters.reason));
        }
        if (filters.from !== undefined) conditions.push(eb('a.attempted_at', '>=', filters.from));
        if (filters.before !== undefined) {
          conditions.push(eb('a.attempted_at', '<', filters.before));
        }
        return eb.and(conditions);
      });
      const [items, total] = await Promise.all([
        base
          .selectAll('a')
          .orderBy('a.attempted_at', 'desc')
          .orderBy('a.id', 'desc')
          .offset(offset)
          .limit(limit)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: countOf(total) };
    },

    /** Addresses with failed sign-ins for at least `minEmails` distinct emails since `since`. */
    async suspiciousIps(since: string, minEmails: number) {
      const emails = sql<number | string>`count(distinct lower(email))`;
      const rows = await db
        .selectFrom('identity.login_attempts')
        .select((eb) => [
          'ip_address as ip',
          emails.as('emails'),
          eb.fn.countAll<number | string>().as('failures'),
        ])
        .where('success', '=', false)
        .where('attempted_at', '>=', since)
        .groupBy('ip_address')
        .having(emails, '>=', minEmails)
        .orderBy('emails', 'desc')
        .orderBy('failures', 'desc')
        .orderBy('ip', 'asc')
        .execute();
      return rows.map((row) => ({
        ip: row.ip,
        emails: Number(row.emails),
        failures: Number(row.failures),
      }));
    },

    /** Accounts (emails, any case) with at least `minFailures` failed sign-ins since `since`. */
    async suspiciousAccounts(since: string, minFailures: number) {
      const email = sql<string>`lower(email)`;
      const rows = await db
        .selectFrom('identity.login_attempts')
        .select((eb) => [email.as('email'), eb.fn.countAll<number | string>().as('failures')])
        .where('success', '=', false)
        .where('attempted_at', '>=', since)
        .groupBy(email)
        .having((eb) => eb.fn.countAll(), '>=', minFailures)
        .orderBy('failures', 'desc')
        .orderBy('email', 'asc')
        .execute();
      return rows.map((row) => ({ email: row.email, failures: Number(row.failures) }));
    },

    // ------------------------------------------------------------ audit events

    async auditEvents(
      action: string | undefined,
      offset: number,
      limit: number,
    ): Promise<Page<AuditEventRow>> {
      const base = db
        .selectFrom('identity.audit_events')
        .$if(action !== undefined && action !== '', (query) =>
          query.where('action', '=', action ?? ''),
        );
      const [items, total] = await Promise.all([
        base.selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute(),
        base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: countOf(total) };
    },

    // ------------------------------------------------------------ exports (US-ADM-5, D17)

    async insertExport(row: Insertable<UserExportsTable>): Promise<void> {
      await db.insertInto('identity.user_exports').values(row).execute();
    },

    /** A new export supersedes the user's unused ones: their links die, archives are purged. */
    async supersedeExports(userId: number, now: string): Promise<void> {
      await db
        .updateTable('identity.user_exports')
        .set({ used_at: now, archive_enc: '' })
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .execute();
    },

    /** Expired archives are purged (§5 user_exports: "purged after use or expiry"). */
    async purgeExpiredExports(now: string): Promise<void> {
      await db
        .updateTable('identity.user_exports')
        .set({ archive_enc: '' })
        .where('expires_at', '<=', now)
        .where('archive_enc', '!=', '')
        .execute();
    },

    findExportByTokenHash(tokenHash: string): Promise<UserExportRow | undefined> {
      return db
        .selectFrom('identity.user_exports')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
    },

    /** One-time: only one caller flips used_at (the conditional update is the lock). */
    async consumeExport(id: number, now: string): Promise<boolean> {
      const result = await db
        .updateTable('identity.user_exports')
        .set({ used_at: now, archive_enc: '' })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /** An export link was emailed to this user and has not expired (recorded on deletion). */
    async exportSent(userId: number, now: string): Promise<boolean> {
      const row = await db
        .selectFrom('identity.user_exports')
        .select('id')
        .where('user_id', '=', userId)
        .where('expires_at', '>', now)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    // ------------------------------------------------------------ hard deletion (US-ADM-5)

    /**
     * Removes the user and every identity row that is theirs, and detaches every row that
     * merely refers to them (ON DELETE SET NULL, done explicitly so that both databases end up
     * the same whatever their foreign-key enforcement). Run inside the deletion's transaction.
     * Audit events are kept: actor_id is a plain number. The user's pending export stays until
     * it is used or expires (D17).
     */
    async eraseUser(
      user: Pick<UserRow, 'id' | 'email'>,
      actorId: number,
      throttleKey: string,
      now: string,
    ): Promise<ErasureCounts> {
      const userId = user.id;
      const sameEmail = sql<SqlBool>`lower(email) = lower(${user.email})`;

      const sessions = await db
        .deleteFrom('identity.sessions')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      const recoveryCodes = await db
        .deleteFrom('identity.mfa_recovery_codes')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      const tokens = await db
        .deleteFrom('identity.one_time_tokens')
        .where((eb) => eb.or([eb('user_id', '=', userId), sameEmail]))
        .executeTakeFirst();

      // Unused invitations addressed to the user go; their mail rows are detached first.
      await db
        .updateTable('identity.mail_messages')
        .set({ invite_id: null })
        .where('invite_id', 'in', (eb) =>
          eb
            .selectFrom('identity.invites')
            .select('id')
            .where(sameEmail)
            .where('used_at', 'is', null),
        )
        .execute();
      const invitesDeleted = await db
        .deleteFrom('identity.invites')
        .where(sameEmail)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      // Pending invitations the user created become invalid (US-INV-4), then lose the link.
      const invitesRevoked = await revokePendingInvitesCreatedBy(userId, actorId, now);
      await db
        .updateTable('identity.invites')
        .set({ created_by_id: null })
        .where('created_by_id', '=', userId)
        .execute();
      await db
        .updateTable('identity.invites')
        .set({ revoked_by_id: null })
        .where('revoked_by_id', '=', userId)
        .execute();
      await db
        .updateTable('identity.invites')
        .set({ accepted_user_id: null })
        .where('accepted_user_id', '=', userId)
        .execute();
      await db
        .updateTable('identity.invite_templates')
        .set({ created_by_id: null })
        .where('created_by_id', '=', userId)
        .execute();
      await db
        .updateTable('identity.invite_templates')
        .set({ updated_by_id: null })
        .where('updated_by_id', '=', userId)
        .execute();
      await db
        .updateTable('identity.users')
        .set({ approved_by_id: null })
        .where('approved_by_id', '=', userId)
        .execute();
      await db
        .updateTable('identity.users')
        .set({ rejected_by_id: null })
        .where('rejected_by_id', '=', userId)
        .execute();
      await db
        .updateTable('identity.users')
        .set({ deactivated_by_id: null })
        .where('deactivated_by_id', '=', userId)
        .execute();
      const attempts = await db
        .updateTable('identity.login_attempts')
        .set({ user_id: null })
        .where('user_id', '=', userId)
        .executeTakeFirst();
      await db.deleteFrom('identity.throttles').where('key', '=', throttleKey).execute();
      await db.deleteFrom('identity.users').where('id', '=', userId).execute();
      return {
        sessions: Number(sessions.numDeletedRows),
        recovery_codes: Number(recoveryCodes.numDeletedRows),
        one_time_tokens: Number(tokens.numDeletedRows),
        invites_deleted: Number(invitesDeleted.numDeletedRows),
        invites_revoked: invitesRevoked,
        login_attempts_detached: Number(attempts.numUpdatedRows),
      };
    },
  };
}

export type AdminRepository = ReturnType<typeof adminRepository>;

function splitApprover(
  row: UserRow & {
    approver_first_name: string | null;
    approver_last_name: string | null;
    approver_email: string | null;
  },
): UserWithApprover {
  const { approver_first_name, approver_last_name, approver_email, ...user } = row;
  return {
    user,
    approver:
      approver_email === null
        ? null
        : {
            first_name: approver_first_name ?? '',
            last_name: approver_last_name ?? '',
            email: approver_email,
          },
  };
}
