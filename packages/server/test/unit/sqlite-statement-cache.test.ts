import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type HubDatabase } from '../../src/db/database.js';

// Scenario: the SQLite connection reuses prepared statements (database.ts, withStatementCache):
// a reused statement gives each call the rows of its own parameters, and one whose stream was
// abandoned half-way starts again from the first row.
describe('SQLite prepared-statement cache', () => {
  let folder: string;
  let database: HubDatabase;

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'umbrella-statements-'));
    database = await openDatabase({ kind: 'sqlite', file: path.join(folder, 'cache.sqlite3') });
    await sql`create table numbers (n integer not null)`.execute(database.db);
    for (let n = 1; n <= 5; n += 1)
      await sql`insert into numbers (n) values (${n})`.execute(database.db);
  });
  afterAll(async () => {
    await database.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const above = (floor: number) =>
    sql<{ n: number }>`select n from numbers where n > ${floor} order by n`;

  it('answers a repeated query with the rows of its own parameters', async () => {
    expect((await above(3).execute(database.db)).rows).toEqual([{ n: 4 }, { n: 5 }]);
    expect((await above(0).execute(database.db)).rows.map((row) => row.n)).toEqual([1, 2, 3, 4, 5]);
    expect((await above(3).execute(database.db)).rows).toEqual([{ n: 4 }, { n: 5 }]);
  });

  it('reuses a statement whose stream was left half-read', async () => {
    const query = database.db
      .selectFrom('numbers' as never)
      .select(sql<number>`n`.as('n'))
      .orderBy(sql`n`);
    const firstTwo: number[] = [];
    for await (const row of query.stream()) {
      firstTwo.push(row.n);
      if (firstTwo.length === 2) break;
    }
    expect(firstTwo).toEqual([1, 2]);
    // The same SQL text again: the cached statement must start from the first row.
    expect((await query.execute()).map((row) => row.n)).toEqual([1, 2, 3, 4, 5]);
  });
});
