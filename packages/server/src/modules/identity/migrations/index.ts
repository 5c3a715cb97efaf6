import type { Migration } from 'kysely';
import * as users from './0001_users.js';
import * as access from './0002_access.js';
import * as auditAppendOnly from './0003_audit_append_only.js';

/**
 * Named YYYYMMDD_NN_<module>_<what>: all modules' migrations run in name order, which is the
 * order they were written in. Never rename or edit one that has shipped.
 */
export const identityMigrations: Record<string, Migration> = {
  '20261121_01_identity_users': users,
  '20261121_06_identity_access': access,
  '20261202_02_identity_audit_append_only': auditAppendOnly,
};
