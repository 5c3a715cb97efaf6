import { sql, type Kysely } from 'kysely';
import { booleanType, integerIdColumn, timestampType } from '../../../db/migration-helpers.js';

/**
 * Sessions, login audit, invitations, templates, audit events, one-time tokens, MFA recovery
 * codes, throttles, mail and exports (specs/identity.md §5).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const timestamp = timestampType(db);
  const flag = booleanType(db);
  const falseValue = flag === 'boolean' ? sql`false` : sql`0`;
  const trueValue = flag === 'boolean' ? sql`true` : sql`1`;
  const roleCheck = (column: string) =>
    sql`${sql.ref(column)} in ('viewer', 'analyst', 'manager', 'admin')`;

  // The last TOTP time step accepted, so a code works once.
  await db.schema.alterTable('identity.users').addColumn('totp_last_step', 'integer').execute();

  await db.schema
    .createTable('identity.sessions')
    .$call(integerIdColumn(db))
    .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) =>
      c.notNull().references('identity.users.id').onDelete('cascade'),
    )
    .addColumn('ip_address', 'varchar(45)')
    .addColumn('user_agent', 'varchar(512)', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('last_activity', timestamp, (c) => c.notNull())
    .addColumn('expires_at', timestamp, (c) => c.notNull())
    .addColumn('is_active', flag, (c) => c.notNull().defaultTo(trueValue))
    .addColumn('revoked_at', timestamp)
    .addColumn('revoke_reason', 'varchar(32)')
    .addColumn('mfa_verified_at', timestamp)
    .addColumn('last_auth_at', timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('identity_sessions_user_idx')
    .on('identity.sessions')
    .columns(['user_id', 'is_active'])
    .execute();

  await db.schema
    .createTable('identity.login_attempts')
    .$call(integerIdColumn(db))
    .addColumn('email', 'varchar(254)', (c) => c.notNull())
    .addColumn('ip_address', 'varchar(45)')
    .addColumn('user_agent', 'varchar(512)', (c) => c.notNull().defaultTo(''))
    .addColumn('success', flag, (c) => c.notNull())
    .addColumn('failure_reason', 'varchar(32)', (c) => c.notNull().defaultTo(''))
    .addColumn('attempted_at', timestamp, (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('identity.users.id').onDelete('set null'))
    .execute();
  await db.schema
    .createIndex('identity_login_attempts_email_idx')
    .on('identity.login_attempts')
    .expression(sql`lower(email), attempted_at`)
    .execute();
  await db.schema
    .createIndex('identity_login_attempts_ip_idx')
    .on('identity.login_attempts')
    .columns(['ip_address', 'attempted_at'])
    .execute();
  await db.schema
    .createIndex('identity_login_attempts_user_idx')
    .on('identity.login_attempts')
    .columns(['user_id', 'attempted_at'])
    .execute();

  await db.schema
    .createTable('identity.invite_templates')
    .$call(integerIdColumn(db))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('invite_type', 'varchar(20)', (c) => c.notNull().check(roleCheck('invite_type')))
    .addColumn('subject', 'varchar(200)', (c) => c.notNull())
    .addColumn('message_template', 'text', (c) => c.notNull())
    .addColumn('is_active', flag, (c) => c.notNull().defaultTo(trueValue))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('created_by_id', 'integer', (c) =>
      c.references('identity.users.id').onDelete('set null'),
    )
    .addColumn('updated_at', timestamp)
    .addColumn('updated_by_id', 'integer', (c) =>
      c.references('identity.users.id').onDelete('set null'),
    )
    .execute();

  await db.schema
    .createTable('identity.invites')
    .$call(integerIdColumn(db))
    .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
    .addColumn('email', 'varchar(254)', (c) => c.notNull())
    .addColumn('invite_type', 'varchar(20)', (c) => c.notNull().check(roleCheck('invite_type')))
    .addColumn('custom_message', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by_id', 'integer', (c) =>
      c.references('identity.users.id').onDelete('set null'),
    )
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('expires_at', timestamp, (c) => c.notNull())
    .addColumn('used_at', timestamp)
    .addColumn('email_sent_at', timestamp)
    .addColumn('email_bounced', flag, (c) => c.notNull().defaultTo(falseValue))
    .addColumn('bounce_reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('revoked_at', timestamp)
    .addColumn('revoked_by_id', 'integer', (c) =>
      c.references('identity.users.id').onDelete('set null'),
    )
    .addColumn('resend_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accepted_user_id', 'integer', (c) =>
      c.references('identity.users.id').onDelete('set null'),
    )
    .addColumn('template_id', 'integer', (c) =>
      c.references('identity.invite_templates.id').onDelete('set null'),
    )
    .addColumn('message_id', 'varchar(998)')
    .execute();
  await db.schema
    .createIndex('identity_invites_email_idx')
    .on('identity.invites')
    .expression(sql`lower(email)`)
    .execute();

  await db.schema
    .createTable('identity.audit_events')
    .$call(integerIdColumn(db))
    .addColumn('at', timestamp, (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('target_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('target_id', 'varchar(64)')
    .addColumn('ip', 'varchar(45)')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createIndex('identity_audit_events_at_idx')
    .on('identity.audit_events')
    .columns(['at'])
    .execute();

  await db.schema
    .createTable('identity.one_time_tokens')
    .$call(integerIdColumn(db))
    .addColumn('purpose', 'varchar(32)', (c) => c.notNull())
    .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.references('identity.users.id').onDelete('cascade'))
    .addColumn('email', 'varchar(254)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('expires_at', timestamp, (c) => c.notNull())
    .addColumn('used_at', timestamp)
    .execute();

  await db.schema
    .createTable('identity.mfa_recovery_codes')
    .$call(integerIdColumn(db))
    .addColumn('user_id', 'integer', (c) =>
      c.notNull().references('identity.users.id').onDelete('cascade'),
    )
    .addColumn('code_hash', 'char(64)', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('used_at', timestamp)
    .execute();

  await db.schema
    .createTable('identity.throttles')
    .addColumn('key', 'varchar(300)', (c) => c.notNull().primaryKey())
    .addColumn('window_start', timestamp, (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', timestamp)
    .addColumn('lockouts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('identity.mail_messages')
    .$call(integerIdColumn(db))
    .addColumn('message_id', 'varchar(998)', (c) => c.notNull())
    .addColumn('to_address', 'varchar(254)', (c) => c.notNull())
    .addColumn('subject', 'varchar(200)', (c) => c.notNull())
    .addColumn('text_body', 'text')
    .addColumn('html_body', 'text')
    .addColumn('purpose', 'varchar(32)', (c) => c.notNull())
    .addColumn('invite_id', 'integer', (c) =>
      c.references('identity.invites.id').onDelete('set null'),
    )
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('sent_at', timestamp)
    .addColumn('error', 'text')
    .addColumn('transport', 'varchar(8)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('identity.user_exports')
    .$call(integerIdColumn(db))
    .addColumn('token_hash', 'char(64)', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('email', 'varchar(254)', (c) => c.notNull())
    .addColumn('archive_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('expires_at', timestamp, (c) => c.notNull())
    .addColumn('used_at', timestamp)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'identity.user_exports',
    'identity.mail_messages',
    'identity.throttles',
    'identity.mfa_recovery_codes',
    'identity.one_time_tokens',
    'identity.audit_events',
    'identity.invites',
    'identity.invite_templates',
    'identity.login_attempts',
    'identity.sessions',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('identity.users').dropColumn('totp_last_step').execute();
}
