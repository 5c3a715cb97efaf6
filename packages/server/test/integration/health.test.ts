import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMigrations } from '../../src/db/migrator.js';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { testDatabaseKind } from '../helpers/database.js';

// Scenario: a freshly started hub is alive and ready: its database answers and every module's
// migrations are applied.
describe('health and readiness on a migrated database', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub();
  });
  afterAll(() => hub.close());

  it('/healthz says the process is up', async () => {
    const response = await hub.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz names the database and counts every module migration as applied', async () => {
    const expectedMigrations = Object.keys(allMigrations()).length;
    const response = await hub.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      database: testDatabaseKind(),
      migrations: { applied: expectedMigrations, pending: 0 },
    });
  });

  it('/api/meta lists the four tools', async () => {
    const response = await hub.app.inject({ method: 'GET', url: '/api/meta' });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ name: string; tools: { id: string }[] }>();
    expect(body.name).toBe('Umbrella Hub');
    expect(body.tools.map((tool) => tool.id)).toEqual(['margin', 'backtest', 'returns', 'credit']);
  });
});
