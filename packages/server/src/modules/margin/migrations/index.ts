import type { Migration } from 'kysely';
import { schemaMigration } from '../../../db/migration-helpers.js';
import * as calculations from './0001_calculations.js';

/**
 * Named YYYYMMDD_NN_<module>_<what>: all modules' migrations run in name order, which is the
 * order they were written in. Never rename or edit one that has shipped.
 */
export const marginMigrations: Record<string, Migration> = {
  '20261121_03_margin_schema': schemaMigration('margin'),
  '20261202_03_margin_calculations': calculations,
};
