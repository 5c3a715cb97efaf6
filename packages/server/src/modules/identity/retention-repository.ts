import type { Kysely } from 'kysely';
import type { HubTables } from '../../db/tables.js';

export interface AuditPurgeCounts {
  readonly login_attempts: number;
  readonly audit_events: number;
}

/** The only deleter of the append-only audit tables (L-04; the triggers of migration 0003). */
export function retentionRepository(db: Kysely<HubTables>) {
  return {
    /**
     * Deletes login attempts made before `loginAttemptsBefore` and audit events before
     * `auditEventsBefore` (ISO-8601 times), in one transaction that holds a purge grant row
     * while it deletes. Opens its own transaction, so it cannot run inside another one.
     */
    purgeAuditRows(cutoffs: {
      readonly loginAttemptsBefore: string;
      readonly auditEventsBefore: string;
      readonly now: string;
    }): Promise<AuditPurgeCounts> {
      return db.transaction().execute(async (trx) => {
        const grant = await trx
          .insertInto('identity.audit_purge_grants')
          .values({ granted_at: cutoffs.now })
          .returning('id')
          .executeTakeFirstOrThrow();
        const attempts = await trx
          .deleteFrom('identity.login_attempts')
          .where('attempted_at', '<', cutoffs.loginAttemptsBefore)
          .executeTakeFirst();
        const events = await trx
          .deleteFrom('identity.audit_events')
          .where('at', '<', cutoffs.auditEventsBefore)
          .executeTakeFirst();
        await trx.deleteFrom('identity.audit_purge_grants').where('id', '=', grant.id).execute();
        return {
          login_attempts: Number(attempts.numDeletedRows),
          audit_events: Number(events.numDeletedRows),
        };
      });
    },
  };
}

export type RetentionRepository = ReturnType<typeof retentionRepository>;
