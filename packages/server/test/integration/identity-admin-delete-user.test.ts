import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubTables } from '../../src/db/tables.js';
import { sha256Hex } from '../../src/modules/identity/crypto.js';
import { userDataStores } from '../../src/modules/identity/user-data.js';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import {
  createUser,
  outbox,
  sessionCookieOf,
  signIn,
  tokenFromMail,
  type TestUser,
} from '../helpers/identity.js';

const SECRET_CONTENT = ['SECRET-CONTENT-momentum-weights', 'SECRET-CONTENT-carry-legs'];

/**
 * A saved-work store as a later module would register it: rows in the hub database, deleted
 * inside the deletion's transaction (the `db` it is given).
 */
function savedBacktestsStore(db: Kysely<HubTables>) {
  return {
    name: 'saved_backtests',
    async describe(userId: number) {
      const { rows } = await sql<{ name: string; size: number | string }>`
        select name, length(content) as size from test_saved_backtests
        where user_id = ${userId} order by id`.execute(db);
      return {
        count: rows.length,
        bytes: rows.reduce((sum, row) => sum + Number(row.size), 0),
        items: rows.map((row) => row.name),
      };
    },
    async export(userId: number) {
      const { rows } = await sql<{ name: string; content: string }>`
        select name, content from test_saved_backtests where user_id = ${userId} order by id`.execute(
        db,
      );
      return rows;
    },
    async delete(userId: number, trx: Kysely<HubTables>) {
      const result = await sql`delete from test_saved_backtests where user_id = ${userId}`.execute(
        trx,
      );
      return Number(result.numAffectedRows ?? 0n);
    },
  };
}

// Scenario: Dana, a manager at a partner firm, asks to be erased. The admin looks at the
// metadata of her saved work, sends her an export, confirms with a fresh password and her typed
// email, and deletes her; a store that fails part-way leaves everything as it was. Afterwards no
// row of hers remains, references are NULL, audit rows stay, and the export link works once
// (specs/identity.md US-ADM-5, D12, D17, C-10, C-11, C-07, S-09, §5 user_exports).
describe('admin hard deletion of a user', () => {
  const clock = manualClock();
  let hub: TestHub;
  let admin: TestUser;
  let eve: TestUser;
  let dana: TestUser;
  let adminCookie = '';
  let danaCookie = '';
  let exportToken = '';
  let failDeletes = false;
  const unregister: (() => void)[] = [];
  const ids: Record<string, number> = {};
  /** Every body the admin received, to prove no saved-work content ever reached them (D12). */
  const adminBodies: string[] = [];

  const asAdmin = async (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: Record<string, unknown>,
  ) => {
    const response = await hub.app.inject({
      method,
      url,
      headers: { cookie: adminCookie },
      ...(payload === undefined ? {} : { payload }),
    });
    adminBodies.push(response.body);
    return response;
  };
  const deleteDana = (payload?: Record<string, unknown>) =>
    asAdmin('DELETE', `/api/identity/admin/users/${String(dana.id)}`, payload);

  const count = async (table: keyof HubTables, column: string, value: number) => {
    const rows = await hub.database.db
      .selectFrom(table)
      .select(sql<number | string>`count(*)`.as('n'))
      .where(sql.ref(column), '=', value)
      .executeTakeFirstOrThrow();
    return Number(rows.n);
  };
  const backtestRows = async () =>
    (
      await sql<{ user_id: number | string; name: string }>`
        select user_id, name from test_saved_backtests order by id`.execute(hub.database.db)
    ).rows.map((row) => [Number(row.user_id), row.name]);
  /** What must not change when a deletion is refused. */
  const snapshot = async () => ({
    user: await hub.database.db
      .selectFrom('identity.users')
      .selectAll()
      .where('id', '=', dana.id)
      .executeTakeFirst(),
    sessions: await count('identity.sessions', 'user_id', dana.id),
    codes: await count('identity.mfa_recovery_codes', 'user_id', dana.id),
    attempts: await count('identity.login_attempts', 'user_id', dana.id),
    approved: await count('identity.users', 'approved_by_id', dana.id),
    invites: await hub.database.db
      .selectFrom('identity.invites')
      .selectAll()
      .orderBy('id')
      .execute(),
    backtests: await backtestRows(),
    deletes: await hub.database.db
      .selectFrom('identity.audit_events')
      .select('id')
      .where('action', '=', 'user.delete')
      .execute(),
  });

  beforeAll(async () => {
    hub = await createTestHub({
      clock,
      env: { MFA_REQUIRED_ROLES: 'none', APP_BASE_URL: 'https://hub.example.com' },
    });
    const db = hub.database.db;
    await sql`create table test_saved_backtests (
      id integer primary key, user_id integer not null, name varchar(200) not null,
      content text not null)`.execute(db);
    unregister.push(userDataStores.register(savedBacktestsStore(db)));
    unregister.push(
      userDataStores.register({
        name: 'saved_analyses',
        describe: () => Promise.resolve({ count: 0, bytes: 0, items: [] }),
        export: () => Promise.resolve([]),
        delete: () =>
          failDeletes
            ? Promise.reject(new Error('saved_analyses store unavailable'))
            : Promise.resolve(0),
      }),
    );

    admin = await createUser(hub, { email: 'ada.admin@umbrella-hub.example', role: 'admin' });
    eve = await createUser(hub, { email: 'eve.keeps@northbridge.example', role: 'analyst' });
    const rejected = await createUser(hub, {
      email: 'rex.rejected@spam.example',
      approved: false,
      rejectionReason: 'Unknown firm',
    });
    const gone = await createUser(hub, { email: 'gus.gone@partner.example', active: false });
    // Dana is created last, so the next id after hers shows that ids are never reused.
    dana = await createUser(hub, {
      email: 'Dana.Erase@northbridge.example',
      role: 'manager',
      firstName: 'Dana',
      lastName: 'Erase',
    });
    await sql`insert into test_saved_backtests (id, user_id, name, content) values
      (1, ${dana.id}, 'Q3 momentum', ${SECRET_CONTENT[0]}),
      (2, ${eve.id}, 'Eve''s own', 'EVE-CONTENT'),
      (3, ${dana.id}, '<b>Carry</b> trade', ${SECRET_CONTENT[1]})`.execute(db);

    // References to Dana from other rows.
    await db
      .updateTable('identity.users')
      .set({ approved_by_id: dana.id })
      .where('id', '=', eve.id)
      .execute();
    await db
      .updateTable('identity.users')
      .set({ rejected_by_id: dana.id })
      .where('id', '=', rejected.id)
      .execute();
    await db
      .updateTable('identity.users')
      .set({ deactivated_by_id: dana.id })
      .where('id', '=', gone.id)
      .execute();
    const now = clock().toISOString();
    const later = new Date(clock().getTime() + 7 * 86_400_000).toISOString();
    const template = await db
      .insertInto('identity.invite_templates')
      .values({
        name: 'Partner welcome',
        invite_type: 'viewer',
        subject: 'Welcome',
        message_template: 'Hello {{ invitee_email }}',
        is_active: true,
        created_at: now,
        created_by_id: dana.id,
        updated_at: now,
        updated_by_id: dana.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.template = template.id;
    const invite = async (key: string, email: string, createdBy: number, used: boolean) => {
      const row = await db
        .insertInto('identity.invites')
        .values({
          token_hash: sha256Hex(`token-${key}`),
          email,
          invite_type: 'viewer',
          custom_message: '',
          created_by_id: createdBy,
          created_at: now,
          expires_at: later,
          used_at: used ? now : null,
          email_sent_at: now,
          email_bounced: false,
          bounce_reason: '',
          revoked_at: null,
          revoked_by_id: null,
          resend_count: 0,
          accepted_user_id:
            used && email.toLowerCase() === dana.email.toLowerCase() ? dana.id : null,
          template_id: null,
          message_id: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids[key] = row.id;
    };
    await invite('accepted-by-dana', dana.email, admin.id, true);
    await invite('pending-to-dana', 'DANA.ERASE@northbridge.example', admin.id, false);
    await invite('pending-from-dana', 'new.client@client.example', dana.id, false);
    await invite('used-from-dana', 'old.client@client.example', dana.id, true);
    const mail = await db
      .insertInto('identity.mail_messages')
      .values({
        message_id: '<invite@hub.example.com>',
        to_address: dana.email,
        subject: 'You are invited',
        text_body: 'invite',
        html_body: null,
        purpose: 'invite',
        invite_id: ids['pending-to-dana'] ?? null,
        created_at: now,
        sent_at: now,
        error: null,
        transport: 'outbox',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.mail = mail.id;
    await db
      .insertInto('identity.mfa_recovery_codes')
      .values({
        user_id: dana.id,
        code_hash: sha256Hex('abcde-fghjk'),
        created_at: now,
        used_at: null,
      })
      .execute();

    // Dana signs in on two devices and ends the other one herself (an audit row she authored).
    await signIn(hub, dana.email, dana.password);
    danaCookie = await signIn(hub, dana.email, dana.password);
    const revokeOthers = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/me/sessions/revoke-others',
      headers: { cookie: danaCookie },
    });
    expect(revokeOthers.statusCode).toBe(204);
    danaCookie = sessionCookieOf(revokeOthers) ?? danaCookie;
    adminCookie = await signIn(hub, admin.email, admin.password);
    // A one-time token of Dana's: the admin sends her a reset link.
    expect(
      (await asAdmin('POST', `/api/identity/admin/users/${String(dana.id)}/reset-link`)).statusCode,
    ).toBe(202);
  });
  afterAll(async () => {
    for (const remove of unregister) remove();
    await hub.close();
  });

  it('C-10 / D12: the admin sees counts, sizes and names of the saved work, never its content', async () => {
    const response = await asAdmin(
      'GET',
      `/api/identity/admin/users/${String(dana.id)}/saved-work`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      stores: [
        // The margin module's real store comes first: it is registered when the app is built.
        { name: 'margin_calculations', count: 0, bytes: 0, items: [] },
        {
          name: 'saved_backtests',
          count: 2,
          bytes: (SECRET_CONTENT[0]?.length ?? 0) + (SECRET_CONTENT[1]?.length ?? 0),
          items: ['Q3 momentum', '<b>Carry</b> trade'],
        },
        { name: 'saved_analyses', count: 0, bytes: 0, items: [] },
      ],
    });
    expect(response.body).not.toContain('SECRET-CONTENT');
  });

  it('US-ADM-5: the export is emailed to the user as a one-time link; the admin gets 202 without it', async () => {
    const response = await asAdmin('POST', `/api/identity/admin/users/${String(dana.id)}/export`);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      message: 'A one-time download link for the export was emailed to the user.',
    });
    const mails = (await outbox(hub)).filter((mail) => mail.purpose === 'user_export');
    expect(mails.map((mail) => [mail.to_address, mail.subject])).toEqual([
      [dana.email, 'Your Umbrella Hub data export'],
    ]);
    exportToken = await tokenFromMail(hub, dana.email, 'https://hub.example.com/export#');
    // 32 random bytes, stored only as SHA-256, valid 7 days; the archive is encrypted at rest.
    expect(Buffer.from(exportToken, 'base64url')).toHaveLength(32);
    const row = await hub.database.db
      .selectFrom('identity.user_exports')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      token_hash: sha256Hex(exportToken),
      user_id: dana.id,
      email: dana.email,
      created_at: '2026-11-21T09:00:00.000Z',
      expires_at: '2026-11-28T09:00:00.000Z',
      used_at: null,
    });
    expect(row.archive_enc).not.toContain('SECRET');
    expect(JSON.stringify(row)).not.toContain(exportToken);
    const audit = await hub.database.db
      .selectFrom('identity.audit_events')
      .selectAll()
      .where('action', '=', 'user.export_sent')
      .execute();
    expect(
      audit.map((event) => [event.actor_id, event.target_id, JSON.parse(event.details) as unknown]),
    ).toEqual([
      [
        admin.id,
        String(dana.id),
        { stores: { margin_calculations: 0, saved_backtests: 2, saved_analyses: 0 } },
      ],
    ]);
  });

  it('C-11 / S-09: without a password check in the last 15 minutes the deletion is refused (403 reauth_required)', async () => {
    clock.advance(16 * 60_000);
    const before = await snapshot();
    const response = await deleteDana({ confirm_email: dana.email });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'reauth_required' });
    expect(await snapshot()).toEqual(before);
    const reauth = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/me/reauth',
      headers: { cookie: adminCookie },
      payload: { password: admin.password },
    });
    expect(reauth.statusCode).toBe(204);
    adminCookie = sessionCookieOf(reauth) ?? adminCookie;
  });

  it('C-11: a wrong or missing confirmation is a 400 problem and nothing changes', async () => {
    const before = await snapshot();
    const wrong = await deleteDana({ confirm_email: 'dana.erase@northbridge.example.com' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({
      status: 400,
      title: 'Confirmation does not match',
      errors: [{ path: 'body.confirm_email', message: "does not match the user's email" }],
    });
    expect((await deleteDana()).statusCode).toBe(400);
    expect((await deleteDana({ confirm_email: dana.email, hard: true })).statusCode).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('C-11 / C-07: an admin cannot delete themselves (the last admin) — 409, nothing changes', async () => {
    const response = await asAdmin('DELETE', `/api/identity/admin/users/${String(admin.id)}`, {
      confirm_email: admin.email,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ title: 'You cannot delete yourself' });
    expect(await count('identity.users', 'id', admin.id)).toBe(1);
  });

  it('US-ADM-5: the deletion is one transaction: a store failing part-way changes nothing', async () => {
    const before = await snapshot();
    failDeletes = true;
    const response = await deleteDana({ confirm_email: dana.email });
    failDeletes = false;
    expect(response.statusCode).toBe(500);
    expect(await snapshot()).toEqual(before);
    expect(
      (await hub.app.inject({ url: '/api/identity/me', headers: { cookie: danaCookie } }))
        .statusCode,
    ).toBe(200);
  });

  it('C-11 / US-ADM-5: the typed email (any case) confirms; every row of the user goes, references become NULL', async () => {
    const response = await deleteDana({ confirm_email: '  dana.erase@NORTHBRIDGE.example ' });
    expect(response.statusCode).toBe(204);
    expect(
      (await hub.app.inject({ url: '/api/identity/me', headers: { cookie: danaCookie } }))
        .statusCode,
    ).toBe(401);

    expect(await count('identity.users', 'id', dana.id)).toBe(0);
    expect(await backtestRows()).toEqual([[eve.id, "Eve's own"]]);
    for (const [table, column] of [
      ['identity.sessions', 'user_id'],
      ['identity.mfa_recovery_codes', 'user_id'],
      ['identity.one_time_tokens', 'user_id'],
      ['identity.login_attempts', 'user_id'],
      ['identity.users', 'approved_by_id'],
      ['identity.users', 'rejected_by_id'],
      ['identity.users', 'deactivated_by_id'],
      ['identity.invites', 'created_by_id'],
      ['identity.invites', 'accepted_user_id'],
      ['identity.invite_templates', 'created_by_id'],
      ['identity.invite_templates', 'updated_by_id'],
    ] as const) {
      expect(await count(table, column, dana.id), `${table}.${column}`).toBe(0);
    }
    const invites = await hub.database.db
      .selectFrom('identity.invites')
      .select(['id', 'created_by_id', 'revoked_at', 'revoked_by_id', 'accepted_user_id'])
      .orderBy('id')
      .execute();
    expect(invites).toEqual([
      {
        id: ids['accepted-by-dana'],
        created_by_id: admin.id,
        revoked_at: null,
        revoked_by_id: null,
        accepted_user_id: null,
      },
      // pending-to-dana is deleted.
      {
        id: ids['pending-from-dana'],
        created_by_id: null,
        revoked_at: '2026-11-21T09:16:00.000Z',
        revoked_by_id: admin.id,
        accepted_user_id: null,
      },
      {
        id: ids['used-from-dana'],
        created_by_id: null,
        revoked_at: null,
        revoked_by_id: null,
        accepted_user_id: null,
      },
    ]);
    const mail = await hub.database.db
      .selectFrom('identity.mail_messages')
      .select('invite_id')
      .where('id', '=', ids.mail ?? 0)
      .executeTakeFirstOrThrow();
    expect(mail.invite_id).toBeNull();
    // Dana's login history stays for the audit, detached from the deleted id.
    const attempts = await hub.database.db
      .selectFrom('identity.login_attempts')
      .select('user_id')
      .where(sql<string>`lower(email)`, '=', 'dana.erase@northbridge.example')
      .execute();
    expect(attempts).toEqual([{ user_id: null }, { user_id: null }]);
  });

  it('C-11 / §3.9: audit rows stay; user.delete records the actor, the id, counts and the export choice, never content', async () => {
    const authored = await hub.database.db
      .selectFrom('identity.audit_events')
      .select('action')
      .where('actor_id', '=', dana.id)
      .execute();
    expect(authored).toEqual([{ action: 'session.revoke_all' }]);
    const rows = await hub.database.db
      .selectFrom('identity.audit_events')
      .selectAll()
      .where('action', '=', 'user.delete')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_id: admin.id,
      target_type: 'user',
      target_id: String(dana.id),
    });
    expect(JSON.parse(rows[0]?.details ?? '')).toEqual({
      sessions: 2,
      recovery_codes: 1,
      one_time_tokens: 1,
      invites_deleted: 1,
      invites_revoked: 1,
      login_attempts_detached: 2,
      stores: { margin_calculations: 0, saved_backtests: 2, saved_analyses: 0 },
      export_sent: true,
    });
    expect(rows[0]?.details).not.toContain('SECRET');
  });

  it('C-11 / D12: no answer the admin received ever held the saved-work content or the export link', () => {
    expect(adminBodies.length).toBeGreaterThan(5);
    for (const body of adminBodies) {
      expect(body).not.toContain('SECRET-CONTENT');
      expect(body).not.toContain(exportToken);
    }
  });

  it('US-ADM-5 / C-11: the export link works once after the deletion, then 410; the archive is purged', async () => {
    const download = () =>
      hub.app.inject({
        method: 'POST',
        url: '/api/identity/exports/download',
        payload: { token: exportToken },
      });
    const first = await download();
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.headers['content-disposition']).toBe(
      'attachment; filename="umbrella-hub-export.json"',
    );
    expect(first.json()).toEqual({
      exported_at: '2026-11-21T09:00:00.000Z',
      user: {
        id: dana.id,
        email: dana.email,
        first_name: 'Dana',
        last_name: 'Erase',
        role: 'manager',
        date_joined: '2026-11-21T09:00:00.000Z',
        last_login: '2026-11-21T09:00:00.000Z',
      },
      stores: {
        margin_calculations: [],
        saved_backtests: [
          { name: 'Q3 momentum', content: SECRET_CONTENT[0] },
          { name: '<b>Carry</b> trade', content: SECRET_CONTENT[1] },
        ],
        saved_analyses: [],
      },
    });
    const second = await download();
    expect(second.statusCode).toBe(410);
    expect(second.json()).toMatchObject({ code: 'invalid_token' });
    const row = await hub.database.db
      .selectFrom('identity.user_exports')
      .select(['archive_enc', 'used_at'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ archive_enc: '', used_at: '2026-11-21T09:16:00.000Z' });
  });

  it('§3.10: integer user ids are never reused', async () => {
    const next = await createUser(hub, { email: 'Dana.Erase@northbridge.example' });
    expect(next.id).toBe(dana.id + 1);
  });

  it('§5 user_exports: an unused export expires after 7 days (410) and its archive is purged', async () => {
    const response = await asAdmin('POST', `/api/identity/admin/users/${String(eve.id)}/export`);
    expect(response.statusCode).toBe(202);
    const token = await tokenFromMail(hub, eve.email, 'https://hub.example.com/export#');
    clock.advance(7 * 86_400_000 + 60_000);
    const late = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/exports/download',
      payload: { token },
    });
    expect(late.statusCode).toBe(410);
    const row = await hub.database.db
      .selectFrom('identity.user_exports')
      .select(['archive_enc', 'used_at'])
      .where('user_id', '=', eve.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ archive_enc: '', used_at: null });
  });

  it('bad input: a malformed export token is a 400 problem; an unknown one the generic 410', async () => {
    const malformed = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/exports/download',
      payload: { token: 'not a token!' },
    });
    expect(malformed.statusCode).toBe(400);
    const unknown = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/exports/download',
      payload: { token: 'A'.repeat(43) },
    });
    expect(unknown.statusCode).toBe(410);
    expect(unknown.json()).toMatchObject({ code: 'invalid_token' });
  });
});
