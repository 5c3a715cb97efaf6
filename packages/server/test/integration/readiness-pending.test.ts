import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMigrations, migrateToLatest } from '../../src/db/migrator.js';
import { createTestHub, type TestHub } from '../helpers/app.js';

// Scenario: an instance started without migrating (another instance migrates) is not ready
// until the migrations are in, and says how many are pending.
describe('readiness while migrations are pending', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub({ migrate: false });
  });
  afterAll(() => hub.close());

  it('answers 503 with the number of pending migrations, then 200 once migrated', async () => {
    const total = Object.keys(allMigrations()).length;
    const before = await hub.app.inject({ method: 'GET', url: '/readyz' });
    expect(before.statusCode).toBe(503);
    expect(before.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(before.json()).toMatchObject({
      title: 'Not ready',
      status: 503,
      detail: `${String(total)} database migration(s) pending: run "umbrella migrate".`,
    });

    await migrateToLatest(hub.database.db);
    const after = await hub.app.inject({ method: 'GET', url: '/readyz' });
    expect(after.statusCode).toBe(200);
  });
});
