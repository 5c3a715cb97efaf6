import type { Insertable, Kysely } from 'kysely';
import type { HubTables } from '../../db/tables.js';
import type { MailMessagesTable } from './tables.js';

/** identity.mail_messages: every email, and the outbox when there is no SMTP server. */
export function mailRepository(db: Kysely<HubTables>) {
  return {
    async insert(message: Insertable<MailMessagesTable>): Promise<number> {
      const row = await db
        .insertInto('identity.mail_messages')
        .values(message)
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async markSent(id: number, at: string): Promise<void> {
      await db
        .updateTable('identity.mail_messages')
        .set({ sent_at: at, error: null })
        .where('id', '=', id)
        .execute();
    },
    async markFailed(id: number, reason: string): Promise<void> {
      await db
        .updateTable('identity.mail_messages')
        .set({ error: reason })
        .where('id', '=', id)
        .execute();
    },
    async page(offset: number, limit: number) {
      const [items, total] = await Promise.all([
        db
          .selectFrom('identity.mail_messages')
          .select([
            'id',
            'to_address',
            'subject',
            'text_body',
            'purpose',
            'created_at',
            'sent_at',
            'error',
          ])
          .orderBy('id', 'desc')
          .offset(offset)
          .limit(limit)
          .execute(),
        db
          .selectFrom('identity.mail_messages')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .executeTakeFirstOrThrow(),
      ]);
      return { items, total: total.count };
    },
  };
}
