import { sql, type Kysely } from 'kysely';
import {
  booleanType,
  createModuleSchema,
  dropModuleSchema,
  integerIdColumn,
  timestampType,
} from '../../../db/migration-helpers.js';

/** The identity schema and its users table (specs/identity.md §5). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createModuleSchema(db, 'identity');
  const timestamp = timestampType(db);
  const flag = booleanType(db);
  const falseValue = flag === 'boolean' ? sql`false` : sql`0`;
  const trueValue = flag === 'boolean' ? sql`true` : sql`1`;
  await db.schema
    .createTable('identity.users')
    .$call(integerIdColumn(db))
    .addColumn('email', 'varchar(254)', (c) => c.notNull())
    .addColumn('username', 'varchar(150)')
    .addColumn('password', 'varchar(256)', (c) => c.notNull())
    .addColumn('first_name', 'varchar(150)', (c) => c.notNull().defaultTo(''))
    .addColumn('last_name', 'varchar(150)', (c) => c.notNull().defaultTo(''))
    .addColumn('is_active', flag, (c) => c.notNull().defaultTo(trueValue))
    .addColumn('is_staff', flag, (c) => c.notNull().defaultTo(falseValue))
    .addColumn('is_superuser', flag, (c) => c.notNull().defaultTo(falseValue))
    .addColumn('is_approved', flag, (c) => c.notNull().defaultTo(falseValue))
    .addColumn('approval_date', timestamp)
    .addColumn('approved_by_id', 'integer', (c) =>
      c.references('identity.users.id').onDelete('set null'),
    )
    .addColumn('rejection_reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('last_login', timestamp)
    .addColumn('last_login_ip', 'varchar(45)')
    .addColumn('login_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('date_joined', timestamp, (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) =>
      c.notNull().check(sql`role in ('viewer', 'analyst', 'manager', 'admin')`),
    )
    .addColumn('rejected_by_id', 'integer', (c) =>
      c.references('identity.users.id').onDelete('set null'),
    )
    .addColumn('rejected_at', timestamp)
    .addColumn('deactivated_at', timestamp)
    .addColumn('deactivated_by_id', 'integer', (c) =>
      c.references('identity.users.id').onDelete('set null'),
    )
    .addColumn('password_changed_at', timestamp)
    .addColumn('mfa_enabled_at', timestamp)
    .addColumn('totp_secret_enc', 'text')
    .execute();
  // Login is by email matched case-insensitively (D5): lower(email) is unique.
  await db.schema
    .createIndex('identity_users_email_lower_key')
    .on('identity.users')
    .unique()
    .expression(sql`lower(email)`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('identity.users').execute();
  await dropModuleSchema(db, 'identity');
}
