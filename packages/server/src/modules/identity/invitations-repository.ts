import type { InviteStatus, Role } from '@hub/core';
import {
  sql,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
  type Updateable,
} from 'kysely';
import type { HubTables } from '../../db/tables.js';
import { identityRepository, type IdentityRepository } from './repository.js';
import type { InvitesTable, InviteTemplatesTable } from './tables.js';

export type InviteRow = Selectable<InvitesTable>;
export type NewInvite = Insertable<InvitesTable>;
export type InviteTemplateRow = Selectable<InviteTemplatesTable>;
export type NewInviteTemplate = Insertable<InviteTemplatesTable>;
export type InviteTemplateChanges = Updateable<InviteTemplatesTable>;

/** An invite with the address of whoever created it (for lists and answers). */
export type InviteWithInviter = InviteRow & { created_by_email: string | null };

type Db = Kysely<HubTables>;
type InviteExpressions = ExpressionBuilder<HubTables, 'identity.invites'>;

/**
 * US-INV-6: the derived status as a filter, in the order used > revoked > bounced > expired >
 * pending (the first that applies wins).
 */
function statusFilter(status: InviteStatus, now: string) {
  return (eb: InviteExpressions) => {
    const unused = eb('identity.invites.used_at', 'is', null);
    const unrevoked = eb('identity.invites.revoked_at', 'is', null);
    const bounced = eb('identity.invites.email_bounced', '=', true);
    const notBounced = eb('identity.invites.email_bounced', '=', false);
    switch (status) {
      case 'used':
        return eb('identity.invites.used_at', 'is not', null);
      case 'revoked':
        return eb.and([unused, eb('identity.invites.revoked_at', 'is not', null)]);
      case 'bounced':
        return eb.and([unused, unrevoked, bounced]);
      case 'expired':
        return eb.and([
          unused,
          unrevoked,
          notBounced,
          eb('identity.invites.expires_at', '<=', now),
        ]);
      case 'pending':
        return eb.and([unused, unrevoked, notBounced, eb('identity.invites.expires_at', '>', now)]);
    }
  };
}

/** All SQL for identity.invites and identity.invite_templates (§3.1, §3.2). */
function invitationQueries(db: Db) {
  const withInviter = () =>
    db
      .selectFrom('identity.invites')
      .leftJoin('identity.users as inviter', 'inviter.id', 'identity.invites.created_by_id')
      .selectAll('identity.invites')
      .select('inviter.email as created_by_email');

  return {
    // ------------------------------------------------------------ invites

    async insertInvite(invite: NewInvite): Promise<number> {
      const row = await db
        .insertInto('identity.invites')
        .values(invite)
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    findInviteById(id: number): Promise<InviteWithInviter | undefined> {
      return withInviter().where('identity.invites.id', '=', id).executeTakeFirst();
    },

    /** Any invite with this token hash, whatever its state (preview and accept check it). */
    findInviteByTokenHash(tokenHash: string): Promise<InviteRow | undefined> {
      return db
        .selectFrom('identity.invites')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
    },

    findInviteByMessageId(messageId: string): Promise<InviteRow | undefined> {
      return db
        .selectFrom('identity.invites')
        .selectAll()
        .where('message_id', '=', messageId)
        .executeTakeFirst();
    },

    /** Invites created by `inviterId` since `since` (the 50-a-day limit, §3.6). */
    async countInvitesCreatedSince(inviterId: number, since: string): Promise<number> {
      const row = await db
        .selectFrom('identity.invites')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('created_by_id', '=', inviterId)
        .where('created_at', '>', since)
        .executeTakeFirstOrThrow();
      return row.count;
    },

    /**
     * D14: revokes the pending invites for lower(email) (not used, not revoked, not expired);
     * returns their ids.
     */
    async supersedePendingInvites(
      email: string,
      revokedById: number,
      now: string,
    ): Promise<number[]> {
      const rows = await db
        .updateTable('identity.invites')
        .set({ revoked_at: now, revoked_by_id: revokedById })
        .where(sql<string>`lower(email)`, '=', email.toLowerCase())
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .returning('id')
        .execute();
      return rows.map((row) => row.id);
    },

    /**
     * US-INV-4 single use: the one conditional update that consumes an invite. Exactly one
     * caller can win it; the others (and expired or revoked invites) change nothing.
     */
    async consumeInvite(tokenHash: string, now: string): Promise<InviteRow | undefined> {
      return db
        .updateTable('identity.invites')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
    },

    async setAcceptedUser(inviteId: number, userId: number): Promise<void> {
      await db
        .updateTable('identity.invites')
        .set({ accepted_user_id: userId })
        .where('id', '=', inviteId)
        .execute();
    },

    /** US-INV-3: soft revoke of an invite that is neither used nor revoked. */
    async revokeInvite(id: number, revokedById: number, now: string): Promise<boolean> {
      const result = await db
        .updateTable('identity.invites')
        .set({ revoked_at: now, revoked_by_id: revokedById })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /**
     * US-INV-2: a new token (the old link dies), a later expiry, one more resend; the new
     * email's delivery sets email_sent_at and message_id again.
     */
    async rotateInvite(
      id: number,
      change: { tokenHash: string; expiresAt: string },
    ): Promise<boolean> {
      const result = await db
        .updateTable('identity.invites')
        .set((eb) => ({
          token_hash: change.tokenHash,
          expires_at: change.expiresAt,
          resend_count: eb('resend_count', '+', 1),
          email_sent_at: null,
          message_id: null,
        }))
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async setMessageId(id: number, messageId: string): Promise<void> {
      await db
        .updateTable('identity.invites')
        .set({ message_id: messageId })
        .where('id', '=', id)
        .execute();
    },

    /** The provider accepted the message (US-INV-1 "email_sent_at"). */
    async markInviteSent(id: number, at: string): Promise<void> {
      await db
        .updateTable('identity.invites')
        .set({ email_sent_at: at })
        .where('id', '=', id)
        .execute();
    },

    /** US-INV-5: the address bounced; the diagnostic is kept (at most 1000 characters). */
    async markInviteBounced(id: number, reason: string): Promise<void> {
      await db
        .updateTable('identity.invites')
        .set({ email_bounced: true, bounce_reason: reason.slice(0, 1000) })
        .where('id', '=', id)
        .execute();
    },

    /** US-INV-6: a page of invites, newest first, optionally one inviter's and one status. */
    async pageInvites(filter: {
      createdById: number | null;
      status: InviteStatus | null;
      now: string;
      offset: number;
      limit: number;
    }): Promise<{ items: InviteWithInviter[]; total: number }> {
      let items = withInviter();
      let count = db
        .selectFrom('identity.invites')
        .select((eb) => eb.fn.countAll<number>().as('count'));
      if (filter.createdById !== null) {
        items = items.where('identity.invites.created_by_id', '=', filter.createdById);
        count = count.where('identity.invites.created_by_id', '=', filter.createdById);
      }
      if (filter.status !== null) {
        items = items.where(statusFilter(filter.status, filter.now));
        count = count.where(statusFilter(filter.status, filter.now));
      }
      const [rows, total] = await Promise.all([
        items
          .orderBy('identity.invites.created_at', 'desc')
          .orderBy('identity.invites.id', 'desc')
          .offset(filter.offset)
          .limit(filter.limit)
          .execute(),
        count.executeTakeFirstOrThrow(),
      ]);
      return { items: rows, total: total.count };
    },

    // ------------------------------------------------------------ templates

    async insertTemplate(template: NewInviteTemplate): Promise<number> {
      const row = await db
        .insertInto('identity.invite_templates')
        .values(template)
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },

    findTemplateById(id: number): Promise<InviteTemplateRow | undefined> {
      return db
        .selectFrom('identity.invite_templates')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
    },

    async updateTemplate(id: number, changes: InviteTemplateChanges): Promise<void> {
      await db.updateTable('identity.invite_templates').set(changes).where('id', '=', id).execute();
    },

    /** Templates by name; `onlyActiveFor` limits to active templates for those invite types. */
    listTemplates(onlyActiveFor: readonly Role[] | null): Promise<InviteTemplateRow[]> {
      let query = db.selectFrom('identity.invite_templates').selectAll();
      if (onlyActiveFor !== null) {
        query = query.where('is_active', '=', true).where('invite_type', 'in', [...onlyActiveFor]);
      }
      return query.orderBy('name', 'asc').orderBy('id', 'asc').execute();
    },
  };
}

export type InvitationsRepository = ReturnType<typeof invitationQueries> & {
  /**
   * Runs `work` in one transaction, with both repositories bound to it (not nestable). Inside,
   * only these two may be used: on SQLite another query would wait for the transaction's end.
   */
  transaction<T>(
    work: (invites: InvitationsRepository, identity: IdentityRepository) => Promise<T>,
  ): Promise<T>;
};

export function invitationsRepository(db: Db): InvitationsRepository {
  return {
    ...invitationQueries(db),
    transaction: (work) =>
      db.transaction().execute((trx) => work(invitationsRepository(trx), identityRepository(trx))),
  };
}
