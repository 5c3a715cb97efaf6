import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

/** ../shared/fixtures/django beside the checkout (read in place, never committed). */
export const DJANGO_FIXTURES_DIR =
  process.env.DJANGO_FIXTURES_DIR ??
  path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../../../../shared/fixtures/django',
  );

export interface FixtureUser {
  readonly id: number;
  readonly email: string;
  readonly password: string;
  readonly expectedLogin: string;
}

/** The README's "Users and their plaintext passwords" table, read as the README states it. */
export function fixtureUsersFromReadme(): FixtureUser[] {
  const readme = readFileSync(path.join(DJANGO_FIXTURES_DIR, 'README.md'), 'utf8');
  const section =
    readme.split('## Users and their plaintext passwords')[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => /^\| \d+ \|/.test(line))
    .map((line) => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/^`|`$/g, ''));
      return {
        id: Number(cells[0]),
        email: cells[1] ?? '',
        password: cells[2] ?? '',
        expectedLogin: cells.at(-1) ?? '',
      };
    });
}

export interface DjangoUserRow {
  id: number;
  email: string;
  password: string;
  first_name: string;
  last_name: string;
  is_active: number;
  is_approved: number;
  rejection_reason: string | null;
}

export function fixtureUserRows(): DjangoUserRow[] {
  const db = new Database(path.join(DJANGO_FIXTURES_DIR, 'umbrella_db.sqlite3'), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    return db
      .prepare(
        'select id, email, password, first_name, last_name, is_active, is_approved, rejection_reason from authentication_user order by id',
      )
      .all() as DjangoUserRow[];
  } finally {
    db.close();
  }
}
