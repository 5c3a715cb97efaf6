import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
/** Each process start compiles TypeScript (tsx): slow on a busy 2-core machine. */
const PROCESS_TEST_TIMEOUT_MS = 120_000;
const HEADER = 'date,open,high,low,close,adj_close,volume,dividend,split';

/** `umbrella …` as a real process, the way an operator runs it. */
function umbrella(args: string[], databaseUrl: string) {
  const result = spawnSync(
    process.execPath,
    ['--conditions=@hub/source', '--import', 'tsx', cli, ...args],
    {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Scenario: an operator imports a folder of CSV files with `umbrella data import`, one of which
// has a bad row; then again with --skip-bad-rows; then lists what is stored.
describe('umbrella data import / data list, as processes', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'umbrella-cli-data-'));
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    fs.writeFileSync(
      path.join(folder, 'GOOD.csv'),
      `${HEADER}\n2024-01-02,10,11,9,10,10,100,0,0\n2024-01-03,10,11,9,10.5,10.5,100,0,0\n`,
    );
    // Line 3: the close is not a number.
    fs.writeFileSync(
      path.join(folder, 'BAD.csv'),
      `${HEADER}\n2024-01-02,10,11,9,10,10,100,0,0\n2024-01-03,10,11,9,n/a,10.5,100,0,0\n2024-01-04,10,11,9,10,10,100,0,0\n`,
    );
    fs.writeFileSync(path.join(folder, 'EFFR.csv'), 'date,rate_pct\n2024-01-02,5.33\n');
  });
  afterAll(async () => {
    await database.drop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it(
    'rejects the folder, listing file:row column value message, and exits 1',
    () => {
      const result = umbrella(['data', 'import', folder], database.url);
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines[0]).toBe(`${path.join(folder, 'BAD.csv')}:3 close "n/a" is not a number`);
      expect(lines[1]).toMatch(/^umbrella: 1 file\(s\) have problems, so nothing was imported/);
      expect(umbrella(['data', 'list'], database.url).stdout).toContain('No market data stored.');
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  it(
    'with --skip-bad-rows imports all three files, reports the skipped row and the version',
    () => {
      const result = umbrella(['data', 'import', folder, '--skip-bad-rows'], database.url);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(
        `${path.join(folder, 'BAD.csv')}: prices BAD, 3 rows: 2 new, 0 changed, 0 unchanged, 1 skipped`,
      );
      expect(result.stdout).toContain(
        `  skipped ${path.join(folder, 'BAD.csv')}:3 close "n/a" is not a number`,
      );
      expect(result.stdout).toContain(
        `${path.join(folder, 'EFFR.csv')}: rates EFFR, 1 rows: 1 new`,
      );
      expect(result.stdout).toMatch(/Dataset version [0-9a-f]{16} \(changed\)\n$/);

      const list = umbrella(['data', 'list'], database.url).stdout;
      expect(list).toMatch(/^BAD +2024-01-02\.\.2024-01-04 +2 bars/m);
      expect(list).toMatch(/^GOOD +2024-01-02\.\.2024-01-03 +2 bars/m);
      expect(list).toMatch(/^EFFR +2024-01-02\.\.2024-01-02 +1 rates/m);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
