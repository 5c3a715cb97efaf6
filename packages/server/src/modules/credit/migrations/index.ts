import type { Migration } from 'kysely';
import { schemaMigration } from '../../../db/migration-helpers.js';

/**
 * Named YYYYMMDD_NN_<module>_<what>: all modules' migrations run in name order, which is the
 * order they were written in. Never rename or edit one that has shipped.
 */
export const creditMigrations: Record<string, Migration> = {
  // The schema only; the module's tables arrive with its own issue.
  '20261121_05_credit_schema': schemaMigration('credit'),
};
