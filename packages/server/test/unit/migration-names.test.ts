import { describe, expect, it } from 'vitest';
import { allMigrations, MIGRATION_NAME, MODULE_MIGRATIONS } from '../../src/db/migrator.js';

// Scenario: a developer adds a migration to a module. Its name must say when it was written and
// which module owns it, because all migrations run in one global name order.
describe('module migration names', () => {
  it('follow YYYYMMDD_NN_<module>_<what> with the owning module, with no duplicates', () => {
    const all: string[] = [];
    for (const { module, migrations } of MODULE_MIGRATIONS) {
      for (const name of Object.keys(migrations)) {
        const match = MIGRATION_NAME.exec(name);
        expect(match, name).not.toBeNull();
        expect(match?.[3], name).toBe(module);
        all.push(name);
      }
    }
    expect(new Set(all).size).toBe(all.length);
  });

  it('put identity first, since other modules may refer to its users', () => {
    const sorted = Object.keys(allMigrations()).sort();
    expect(sorted[0]).toBe('20261121_01_identity_users');
  });
});
