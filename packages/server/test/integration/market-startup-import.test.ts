import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createTestHub, type TestHub } from '../helpers/app.js';

const HEADER = 'date,open,high,low,close,adj_close,volume,dividend,split';

// Scenario: the hub starts with MARKET_DATA_DIR set. Its files are imported; a bad file is logged
// by file and row and the hub still starts; a restart with unchanged files changes nothing; a
// changed file is imported again.
describe('start-up import of MARKET_DATA_DIR', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'umbrella-market-dir-'));
  const write = (relative: string, text: string) => {
    fs.writeFileSync(path.join(folder, relative), text);
  };
  let hub: TestHub;
  const restarted: FastifyInstance[] = [];
  const restart = async () => {
    // Silent: the bad file is logged again on every start, which the first test already checks.
    const app = await buildApp({ ...hub.config, logLevel: 'silent' }, { database: hub.database });
    restarted.push(app);
    await app.ready();
    return app;
  };

  beforeAll(async () => {
    fs.mkdirSync(path.join(folder, 'prices'));
    fs.mkdirSync(path.join(folder, 'rates'));
    write(
      'prices/AAA.csv',
      `${HEADER}\n2024-01-02,10,11,9,10,10,100,0,0\n2024-01-03,10,11,9,10.5,10.5,100,0,0\n`,
    );
    // Line 3 has a high below its low.
    write(
      'prices/BAD.csv',
      `${HEADER}\n2024-01-02,10,11,9,10,10,100,0,0\n2024-01-03,10,8,9,8.5,8.5,100,0,0\n`,
    );
    write('rates/EFFR.csv', 'date,rate_pct\n2024-01-02,5.33\n2024-01-03,5.32\n');
    hub = await createTestHub({
      env: { MARKET_DATA_DIR: folder, LOG_LEVEL: 'warn' },
      captureLogs: true,
    });
  });
  afterAll(async () => {
    for (const app of restarted) await app.close();
    await hub.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('imports the good files and logs the bad one by file, row and column', async () => {
    const catalog = await hub.app.hub.market.catalog();
    expect(catalog.symbols.map((row) => [row.symbol, row.bar_count, row.source])).toEqual([
      ['AAA', 2, 'csv-dir'],
    ]);
    expect(catalog.rates.map((row) => [row.series, row.point_count])).toEqual([['EFFR', 2]]);
    const errors = hub.logs.filter((line) => line.includes('"level":50'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('prices/BAD.csv:3 high \\"8\\" is below the low (9)');
  });

  it('does nothing on a restart with unchanged files', async () => {
    const before = await hub.app.hub.market.catalog();
    const app = await restart();
    expect(await app.hub.market.catalog()).toEqual(before);
  });

  it('imports a changed file again on the next start', async () => {
    const before = await hub.app.hub.market.catalog();
    fs.appendFileSync(
      path.join(folder, 'prices/AAA.csv'),
      '2024-01-04,10.5,11,10,10.75,10.75,100,0,0\n',
    );
    const app = await restart();
    const after = await app.hub.market.catalog();
    expect(after.symbols.find((row) => row.symbol === 'AAA')?.last_date).toBe('2024-01-04');
    expect(after.dataset_version).not.toBe(before.dataset_version);
  });
});
