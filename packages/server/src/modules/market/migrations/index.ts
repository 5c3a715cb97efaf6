import type { Migration } from 'kysely';
import { schemaMigration } from '../../../db/migration-helpers.js';
import * as store from './0001_store.js';

/**
 * Named YYYYMMDD_NN_<module>_<what>: all modules' migrations run in name order, which is the
 * order they were written in. Never rename or edit one that has shipped.
 */
export const marketMigrations: Record<string, Migration> = {
  '20261121_02_market_schema': schemaMigration('market'),
  '20261202_01_market_store': store,
};
