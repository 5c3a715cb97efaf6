import type { Role } from '@hub/core';
import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { HubTables } from '../../db/tables.js';
import type {
  AuditEventsTable,
  LoginAttemptsTable,
  OneTimeTokensTable,
  SessionsTable,
  TokenPurpose,
  UsersTable,
} from './tables.js';

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserChanges = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type LoginAttemptRow = Selectable<LoginAttemptsTable>;
export type OneTimeTokenRow = Selectable<OneTimeTokensTable>;
export type NewAuditEvent = Insertable<AuditEventsTable>;

type Db = Kysely<HubTables>;

/** Users, sessions, login attempts, throttles, one-time tokens, recovery codes and audit events. */
function identityQueries(db: Db) {
  return {
    db,

    // ------------------------------------------------------------ users

    /** Email match is case-insensitive (D5), served by the unique lower(email) index. */
    findUserByEmail(email: string): Promise<UserRow | undefined> {
      return db
        .selectFrom('identity.users')
        .selectAll()
        .where(sql<string>`lower(email)`, '=', email.toLowerCase())
        .executeTakeFirst();
    },

    findUserById(id: number): Promise<UserRow | undefined> {
      return db.selectFrom('identity.users').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async insertUser(user: NewUser): Promise<number> {
      const row = await db
        .insertInto('identity.users')
        .values(user)
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async updateUser(id: number, changes: UserChanges): Promise<void> {
      await db.updateTable('identity.users').set(changes).where('id', '=', id).execute();
    },

    /** Compare-and-swap of the password hash (§6.3: safe under concurrent logins). */
    async replacePasswordHash(id: number, oldHash: string, newHash: string): Promise<boolean> {
      const result = await db
        .updateTable('identity.users')
        .set({ password: newHash })
        .where('id', '=', id)
        .where('password', '=', oldHash)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async recordSuccessfulLogin(id: number, ip: string | null, at: string): Promise<void> {
      await db
        .updateTable('identity.users')
        .set((eb) => ({
          last_login: at,
          last_login_ip: ip,
          login_count: eb('login_count', '+', 1),
        }))
        .where('id', '=', id)
        .execute();
    },

    /** Accepts a TOTP step once: the update fails if another request used it first. */
    async advanceTotpStep(id: number, step: number, previous: number | null): Promise<boolean> {
      let query = db
        .updateTable('identity.users')
        .set({ totp_last_step: step })
        .where('id', '=', id);
      query =
        previous === null
          ? query.where('totp_last_step', 'is', null)
          : query.where('totp_last_step', '=', previous);
      const result = await query.executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async countActiveAdmins(): Promise<number> {
      const row = await db
        .selectFrom('identity.users')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('role', '=', 'admin')
        .where('is_active', '=', true)
        .where('is_approved', '=', true)
        .executeTakeFirstOrThrow();
      return row.count;
    },

    async countUsers(): Promise<number> {
      const row = await db
        .selectFrom('identity.users')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      return row.count;
    },

    // ------------------------------------------------------------ sessions

    async insertSession(session: Insertable<SessionsTable>): Promise<number> {
      const row = await db
        .insertInto('identity.sessions')
        .values(session)
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    findSessionByTokenHash(tokenHash: string): Promise<SessionRow | undefined> {
      return db
        .selectFrom('identity.sessions')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
    },

    async updateSession(id: number, changes: Updateable<SessionsTable>): Promise<void> {
      await db.updateTable('identity.sessions').set(changes).where('id', '=', id).execute();
    },

    listActiveSessions(userId: number, now: string): Promise<SessionRow[]> {
      return db
        .selectFrom('identity.sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('is_active', '=', true)
        .where('expires_at', '>', now)
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
    },

    /** Revokes the user's active sessions, except `keepId`; returns how many ended. */
    async revokeSessions(
      userId: number,
      reason: string,
      at: string,
      keepId: number | null = null,
      onlyId: number | null = null,
    ): Promise<number> {
      let query = db
        .updateTable('identity.sessions')
        .set({ is_active: false, revoked_at: at, revoke_reason: reason })
        .where('user_id', '=', userId)
        .where('is_active', '=', true);
      if (keepId !== null) query = query.where('id', '!=', keepId);
      if (onlyId !== null) query = query.where('id', '=', onlyId);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async revokeSessionById(id: number, reason: string, at: string): Promise<number> {
      const result = await db
        .updateTable('identity.sessions')
        .set({ is_active: false, revoked_at: at, revoke_reason: reason })
        .where('id', '=', id)
        .where('is_active', '=', true)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    findSessionById(id: number): Promise<SessionRow | undefined> {
      return db.selectFrom('identity.sessions').selectAll().where('id', '=', id).executeTakeFirst();
    },

    // ------------------------------------------------------------ login attempts

    async insertLoginAttempt(attempt: Insertable<LoginAttemptsTable>): Promise<void> {
      await db.insertInto('identity.login_attempts').values(attempt).execute();
    },

    recentLoginAttempts(userId: number, limit: number): Promise<LoginAttemptRow[]> {
      return db
        .selectFrom('identity.login_attempts')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('attempted_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
    },

    // ------------------------------------------------------------ throttles (§3.6)

    findThrottle(key: string) {
      return db
        .selectFrom('identity.throttles')
        .selectAll()
        .where('key', '=', key)
        .executeTakeFirst();
    },

    async saveThrottle(row: {
      key: string;
      window_start: string;
      hits: number;
      locked_until: string | null;
      lockouts: number;
    }): Promise<void> {
      await db
        .insertInto('identity.throttles')
        .values(row)
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            window_start: row.window_start,
            hits: row.hits,
            locked_until: row.locked_until,
            lockouts: row.lockouts,
          }),
        )
        .execute();
    },

    /**
     * One atomic hit on a fixed-window counter: a new window starts when the stored one began
     * before `windowStart`. Returns the hits in the current window, this one included.
     */
    async hitCounter(key: string, now: string, windowStart: string): Promise<number> {
      const row = await db
        .insertInto('identity.throttles')
        .values({ key, window_start: now, hits: 1, locked_until: null, lockouts: 0 })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            hits: eb
              .case()
              .when('identity.throttles.window_start', '<', windowStart)
              .then(1)
              .else(eb('identity.throttles.hits', '+', 1))
              .end(),
            window_start: eb
              .case()
              .when('identity.throttles.window_start', '<', windowStart)
              .then(now)
              .else(eb.ref('identity.throttles.window_start'))
              .end(),
          })),
        )
        .returning('hits')
        .executeTakeFirstOrThrow();
      return row.hits;
    },

    async deleteThrottle(key: string): Promise<void> {
      await db.deleteFrom('identity.throttles').where('key', '=', key).execute();
    },

    // ------------------------------------------------------------ one-time tokens

    async insertToken(token: Insertable<OneTimeTokensTable>): Promise<void> {
      await db.insertInto('identity.one_time_tokens').values(token).execute();
    },

    findUsableToken(
      purpose: TokenPurpose,
      tokenHash: string,
      now: string,
    ): Promise<OneTimeTokenRow | undefined> {
      return db
        .selectFrom('identity.one_time_tokens')
        .selectAll()
        .where('purpose', '=', purpose)
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
    },

    /** Single use: only one caller can flip used_at (the conditional update is the lock). */
    async consumeToken(id: number, now: string): Promise<boolean> {
      const result = await db
        .updateTable('identity.one_time_tokens')
        .set({ used_at: now })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /** Invalidates the user's unused tokens of a purpose (a new reset, a login, a new password). */
    async expireTokens(
      purpose: TokenPurpose,
      match: { userId: number } | { email: string },
      now: string,
    ): Promise<void> {
      let query = db
        .updateTable('identity.one_time_tokens')
        .set({ used_at: now })
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null);
      query =
        'userId' in match
          ? query.where('user_id', '=', match.userId)
          : query.where(sql<string>`lower(email)`, '=', match.email.toLowerCase());
      await query.execute();
    },

    // ------------------------------------------------------------ MFA recovery codes

    async replaceRecoveryCodes(userId: number, codeHashes: string[], now: string): Promise<void> {
      await db.deleteFrom('identity.mfa_recovery_codes').where('user_id', '=', userId).execute();
      if (codeHashes.length === 0) return;
      await db
        .insertInto('identity.mfa_recovery_codes')
        .values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash, created_at: now })))
        .execute();
    },

    async useRecoveryCode(userId: number, codeHash: string, now: string): Promise<boolean> {
      const result = await db
        .updateTable('identity.mfa_recovery_codes')
        .set({ used_at: now })
        .where('user_id', '=', userId)
        .where('code_hash', '=', codeHash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    // ------------------------------------------------------------ audit

    async insertAuditEvent(event: NewAuditEvent): Promise<void> {
      await db.insertInto('identity.audit_events').values(event).execute();
    },

    // ------------------------------------------------------------ approval queue (§3.3, §3.4)

    /** D4 "pending": active, not approved, no rejection reason; oldest request first. */
    async pagePendingUsers(
      offset: number,
      limit: number,
    ): Promise<{ items: UserRow[]; total: number }> {
      const pending = db
        .selectFrom('identity.users')
        .where('is_active', '=', true)
        .where('is_approved', '=', false)
        .where('rejection_reason', '=', '');
      const [items, total] = await Promise.all([
        pending
          .selectAll()
          .orderBy('date_joined', 'asc')
          .orderBy('id', 'asc')
          .offset(offset)
          .limit(limit)
          .execute(),
        pending.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      ]);
      return { items, total: total.count };
    },

    /**
     * US-APR-1 as a conditional update on the current status: only an active, not yet approved
     * user (pending or rejected) changes, only while its rejection reason is still the one the
     * caller saw (a rejection meanwhile is another decision), and only while its role is one of
     * `targetRoles` (a manager acts on viewer and analyst accounts only). False: someone decided
     * first.
     */
    async approvePendingUser(
      id: number,
      decision: {
        role: Role;
        approvedById: number;
        at: string;
        targetRoles: readonly Role[];
        seenRejectionReason: string;
      },
    ): Promise<boolean> {
      const result = await db
        .updateTable('identity.users')
        .set({
          is_approved: true,
          approval_date: decision.at,
          approved_by_id: decision.approvedById,
          role: decision.role,
          rejection_reason: '',
          rejected_by_id: null,
          rejected_at: null,
          updated_at: decision.at,
        })
        .where('id', '=', id)
        .where('is_active', '=', true)
        .where('is_approved', '=', false)
        .where('rejection_reason', '=', decision.seenRejectionReason)
        .where('role', 'in', [...decision.targetRoles])
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /** US-APR-2: only a pending user (no decision yet) is rejected; false otherwise. */
    async rejectPendingUser(
      id: number,
      decision: { reason: string; rejectedById: number; at: string; targetRoles: readonly Role[] },
    ): Promise<boolean> {
      const result = await db
        .updateTable('identity.users')
        .set({
          is_approved: false,
          rejection_reason: decision.reason,
          rejected_by_id: decision.rejectedById,
          rejected_at: decision.at,
          updated_at: decision.at,
        })
        .where('id', '=', id)
        .where('is_active', '=', true)
        .where('is_approved', '=', false)
        .where('rejection_reason', '=', '')
        .where('role', 'in', [...decision.targetRoles])
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /** Active, approved users holding one of `roles` (who hears of a new access request). */
    listApprovedUsersWithRoles(roles: readonly Role[]): Promise<UserRow[]> {
      return db
        .selectFrom('identity.users')
        .selectAll()
        .where('is_active', '=', true)
        .where('is_approved', '=', true)
        .where('role', 'in', [...roles])
        .orderBy('id', 'asc')
        .execute();
    },
  };
}

export type IdentityRepository = ReturnType<typeof identityQueries> & {
  /** Runs `work` in one transaction with a repository bound to it (not nestable). */
  transaction<T>(work: (repository: IdentityRepository) => Promise<T>): Promise<T>;
};

export function identityRepository(db: Db): IdentityRepository {
  return {
    ...identityQueries(db),
    transaction: (work) => db.transaction().execute((trx) => work(identityRepository(trx))),
  };
}
