import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../../../db/database.js';
import { integerIdColumn, timestampType } from '../../../db/migration-helpers.js';

/**
 * L-04 (specs/identity.md §3.9, ASVS 5.0 16.4.2): login attempts and audit events are
 * append-only for the application. Triggers refuse UPDATE and DELETE (and TRUNCATE on
 * PostgreSQL) with two exceptions:
 * - the retention purge (retention.ts), which deletes inside a transaction that holds a row in
 *   identity.audit_purge_grants; the row is removed before commit, so no other transaction ever
 *   sees it (PostgreSQL's read committed and SQLite's single writer alike);
 * - user deletion, which sets login_attempts.user_id to NULL (US-ADM-5, and the foreign key's ON
 *   DELETE SET NULL): an UPDATE that changes nothing but a non-null user_id to NULL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('identity.audit_purge_grants')
    .$call(integerIdColumn(db))
    .addColumn('granted_at', timestampType(db), (c) => c.notNull())
    .execute();
  if (isPostgres(db)) await postgresTriggers(db);
  else await sqliteTriggers(db);
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  // Statement-level for DELETE and TRUNCATE: one check per statement, not per row.
  await sql`
    create function identity.refuse_audit_delete() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from identity.audit_purge_grants) then
        return null;
      end if;
      raise exception '%.% is append-only: only the retention purge may delete (L-04)',
        tg_table_schema, tg_table_name
        using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create function identity.refuse_audit_event_update() returns trigger language plpgsql as $$
    begin
      raise exception 'identity.audit_events is append-only (L-04)'
        using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  await sql`
    create function identity.refuse_login_attempt_update() returns trigger language plpgsql as $$
    begin
      if old.user_id is not null and new.user_id is null
        and (to_jsonb(new) - 'user_id') = (to_jsonb(old) - 'user_id') then
        return new;
      end if;
      raise exception 'identity.login_attempts is append-only: only user_id may become NULL (L-04)'
        using errcode = 'insufficient_privilege';
    end
    $$`.execute(db);
  for (const table of ['login_attempts', 'audit_events'] as const) {
    const target = sql.table(`identity.${table}`);
    await sql`
      create trigger ${sql.ref(`${table}_refuse_delete`)} before delete or truncate on ${target}
      for each statement execute function identity.refuse_audit_delete()`.execute(db);
  }
  await sql`
    create trigger login_attempts_refuse_update before update on identity.login_attempts
    for each row execute function identity.refuse_login_attempt_update()`.execute(db);
  await sql`
    create trigger audit_events_refuse_update before update on identity.audit_events
    for each row execute function identity.refuse_audit_event_update()`.execute(db);
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  await sql`
    create trigger identity_login_attempts_refuse_update before update on identity_login_attempts
    when not (
      old.user_id is not null and new.user_id is null
      and new.id is old.id and new.email is old.email and new.ip_address is old.ip_address
      and new.user_agent is old.user_agent and new.success is old.success
      and new.failure_reason is old.failure_reason and new.attempted_at is old.attempted_at
    )
    begin
      select raise(abort, 'identity.login_attempts is append-only: only user_id may become NULL (L-04)');
    end`.execute(db);
  await sql`
    create trigger identity_audit_events_refuse_update before update on identity_audit_events
    begin
      select raise(abort, 'identity.audit_events is append-only (L-04)');
    end`.execute(db);
  await sql`
    create trigger identity_login_attempts_refuse_delete before delete on identity_login_attempts
    when not exists (select 1 from identity_audit_purge_grants)
    begin
      select raise(abort, 'identity.login_attempts is append-only: only the retention purge may delete (L-04)');
    end`.execute(db);
  await sql`
    create trigger identity_audit_events_refuse_delete before delete on identity_audit_events
    when not exists (select 1 from identity_audit_purge_grants)
    begin
      select raise(abort, 'identity.audit_events is append-only: only the retention purge may delete (L-04)');
    end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger login_attempts_refuse_delete on identity.login_attempts`.execute(db);
    await sql`drop trigger audit_events_refuse_delete on identity.audit_events`.execute(db);
    await sql`drop trigger login_attempts_refuse_update on identity.login_attempts`.execute(db);
    await sql`drop trigger audit_events_refuse_update on identity.audit_events`.execute(db);
    await sql`drop function identity.refuse_audit_delete()`.execute(db);
    await sql`drop function identity.refuse_audit_event_update()`.execute(db);
    await sql`drop function identity.refuse_login_attempt_update()`.execute(db);
  } else {
    for (const trigger of [
      'identity_login_attempts_refuse_update',
      'identity_audit_events_refuse_update',
      'identity_login_attempts_refuse_delete',
      'identity_audit_events_refuse_delete',
    ]) {
      await sql`drop trigger ${sql.ref(trigger)}`.execute(db);
    }
  }
  await db.schema.dropTable('identity.audit_purge_grants').execute();
}
