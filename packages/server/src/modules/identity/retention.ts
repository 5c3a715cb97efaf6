import type { AuditPurgeCounts, RetentionRepository } from './retention-repository.js';

/** §3.9 "Retention": login attempts are kept 12 months, audit events 24 months. */
export const LOGIN_ATTEMPT_RETENTION_MONTHS = 12;
export const AUDIT_EVENT_RETENTION_MONTHS = 24;

/**
 * The same UTC time `months` calendar months earlier; a day the earlier month lacks becomes its
 * last day (29 February 2028 minus 12 months is 28 February 2027).
 */
export function monthsBefore(at: Date, months: number): Date {
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(at.getUTCDate(), lastDay),
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
      at.getUTCMilliseconds(),
    ),
  );
}

export interface AuditPurgeResult {
  /** Rows strictly older than these times were deleted. */
  readonly loginAttemptsBefore: string;
  readonly auditEventsBefore: string;
  readonly deleted: AuditPurgeCounts;
}

/**
 * The retention purge (§3.9): the one allowed deleter of login attempts and audit events (L-04).
 * Not scheduled here: the periodic-jobs runner (issue 11) calls it, under its job lock.
 */
export async function purgeExpiredAuditRows(
  repository: RetentionRepository,
  clock: () => Date,
): Promise<AuditPurgeResult> {
  const now = clock();
  const loginAttemptsBefore = monthsBefore(now, LOGIN_ATTEMPT_RETENTION_MONTHS).toISOString();
  const auditEventsBefore = monthsBefore(now, AUDIT_EVENT_RETENTION_MONTHS).toISOString();
  const deleted = await repository.purgeAuditRows({
    loginAttemptsBefore,
    auditEventsBefore,
    now: now.toISOString(),
  });
  return { loginAttemptsBefore, auditEventsBefore, deleted };
}
