import { Migrator, type Kysely, type Migration, type MigrationResult } from 'kysely';
import { creditMigrations } from '../modules/credit/migrations/index.js';
import { identityMigrations } from '../modules/identity/migrations/index.js';
import { marginMigrations } from '../modules/margin/migrations/index.js';
import { marketMigrations } from '../modules/market/migrations/index.js';
import { returnsMigrations } from '../modules/returns/migrations/index.js';

/**
 * Each module owns its migrations. Names start with the date they were written
 * (YYYYMMDD_NN_<module>_<what>), so all of them apply in one global order — the order in which a
 * long-lived database received them — and one run applies in one transaction.
 */
export const MODULE_MIGRATIONS: readonly ModuleMigrations[] = [
  { module: 'identity', migrations: identityMigrations },
  { module: 'market', migrations: marketMigrations },
  { module: 'margin', migrations: marginMigrations },
  { module: 'returns', migrations: returnsMigrations },
  { module: 'credit', migrations: creditMigrations },
];

export interface ModuleMigrations {
  readonly module: string;
  readonly migrations: Readonly<Record<string, Migration>>;
}

export interface MigrationState {
  readonly name: string;
  /** ISO-8601 time it was applied, or null while pending. */
  readonly appliedAt: string | null;
}

/** A migration failed; the run was rolled back, so the database is as it was before. */
export class MigrationError extends Error {
  constructor(
    readonly migrationName: string | null,
    options: ErrorOptions,
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(
      migrationName === null
        ? `migrations could not run: ${reason}`
        : `migration ${migrationName} failed and nothing was applied: ${reason}`,
      options,
    );
    this.name = 'MigrationError';
  }
}

/** A module migration's name: when it was written, its order that day, its module, what it does. */
export const MIGRATION_NAME = /^(\d{8})_(\d{2})_([a-z]+)_([a-z0-9_]+)$/;

/** Every module's migrations by name, as the migrator sees them. */
export function allMigrations(
  modules: readonly ModuleMigrations[] = MODULE_MIGRATIONS,
): Record<string, Migration> {
  return Object.fromEntries(modules.flatMap((entry) => Object.entries(entry.migrations)));
}

function createMigrator<DB>(db: Kysely<DB>, modules: readonly ModuleMigrations[]): Migrator {
  return new Migrator({
    db,
    provider: {
      getMigrations: () => Promise.resolve(allMigrations(modules)),
    },
    migrationTableName: 'umbrella_migration',
    migrationLockTableName: 'umbrella_migration_lock',
    // Two branches may each add a migration; the one merged later can sort before an applied one.
    allowUnorderedMigrations: true,
  });
}

/** Applies every pending migration; returns the names applied (none when already current). */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  modules: readonly ModuleMigrations[] = MODULE_MIGRATIONS,
): Promise<string[]> {
  const { error, results = [] } = await createMigrator(db, modules).migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result: MigrationResult) => result.status === 'Error');
    throw new MigrationError(failed?.migrationName ?? null, { cause: error });
  }
  return results.map((result) => result.migrationName);
}

export async function migrationStatus<DB>(
  db: Kysely<DB>,
  modules: readonly ModuleMigrations[] = MODULE_MIGRATIONS,
): Promise<MigrationState[]> {
  const migrations = await createMigrator(db, modules).getMigrations();
  return migrations.map((migration) => ({
    name: migration.name,
    appliedAt: migration.executedAt?.toISOString() ?? null,
  }));
}
