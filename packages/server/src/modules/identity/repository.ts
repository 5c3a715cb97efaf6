import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { HubTables } from '../../db/tables.js';
import type { UsersTable } from './tables.js';

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;

/** The only code that reads and writes identity's tables. */
export function identityRepository(db: Kysely<HubTables>) {
  return {
    /** Email match is case-insensitive (D5), served by the unique lower(email) index. */
    findUserByEmail(email: string): Promise<UserRow | undefined> {
      return db
        .selectFrom('identity.users')
        .selectAll()
        .where(sql<string>`lower(email)`, '=', email.toLowerCase())
        .executeTakeFirst();
    },

    async insertUser(user: NewUser): Promise<number> {
      const row = await db
        .insertInto('identity.users')
        .values(user)
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async countActiveAdmins(): Promise<number> {
      const row = await db
        .selectFrom('identity.users')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('role', '=', 'admin')
        .where('is_active', '=', true)
        .executeTakeFirstOrThrow();
      return row.count;
    },
  };
}

export type IdentityRepository = ReturnType<typeof identityRepository>;
