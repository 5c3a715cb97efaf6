import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { HubTables } from '../../db/tables.js';
import type { IdentityConfig } from '../../config.js';
import { randomToken } from './crypto.js';
import { mailRepository } from './mail-repository.js';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** What the mail is for (invite, password_reset, …): shown in the outbox, used in tests. */
  readonly purpose: string;
  readonly inviteId?: number;
}

/** What happened to a message after it left the hub. */
export type DeliveryResult =
  | { readonly kind: 'sent'; readonly at: string }
  | { readonly kind: 'rejected'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

export type DeliveryListener = (
  mail: OutgoingMail & { readonly messageId: string },
  result: DeliveryResult,
) => Promise<void>;

export interface Mailer {
  readonly transport: 'smtp' | 'outbox';
  /** Records the message and hands it over; delivery continues in the background. */
  send(mail: OutgoingMail): Promise<string>;
  onDelivery(listener: DeliveryListener): void;
  /** Resolves when every message handed over so far has been delivered or has failed. */
  idle(): Promise<void>;
  close(): void;
}

/** One line of a subject: CR and LF removed (header injection), at most 200 characters. */
export function subjectLine(subject: string): string {
  return subject.replace(/[\r\n]+/g, ' ').slice(0, 200);
}

function smtpRejection(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { responseCode, response, command } = error as {
    responseCode?: number;
    response?: string;
    command?: string;
  };
  // A 5xx answer to RCPT TO (or DATA) is a permanent refusal of this recipient: a bounce.
  if (typeof responseCode === 'number' && responseCode >= 500 && command !== 'AUTH PLAIN') {
    return (response ?? `SMTP ${String(responseCode)}`).slice(0, 1000);
  }
  return null;
}

/**
 * nodemailer over SMTP_URL, or, without it, the outbox table admins read in the UI (like
 * Django's file backend). Every message gets a row; bodies are kept only in outbox mode, so a
 * sent invitation or reset link is never stored in the database when SMTP is configured.
 */
export function createMailer(
  config: IdentityConfig,
  db: Kysely<HubTables>,
  clock: () => Date,
  log: FastifyBaseLogger,
): Mailer {
  const repository = mailRepository(db);
  const listeners: DeliveryListener[] = [];
  const pending = new Set<Promise<void>>();
  const transporter = config.smtpUrl === null ? null : nodemailer.createTransport(config.smtpUrl);
  const host = new URL(config.appBaseUrl).hostname;

  async function notify(mail: OutgoingMail & { messageId: string }, result: DeliveryResult) {
    for (const listener of listeners) {
      try {
        await listener(mail, result);
      } catch (error) {
        log.error({ err: error, purpose: mail.purpose }, 'mail delivery listener failed');
      }
    }
  }

  async function deliver(id: number, mail: OutgoingMail & { messageId: string }) {
    if (transporter === null) return;
    try {
      await transporter.sendMail({
        from: config.mailFrom,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html === undefined ? {} : { html: mail.html }),
        messageId: mail.messageId,
      });
      const at = clock().toISOString();
      await repository.markSent(id, at);
      await notify(mail, { kind: 'sent', at });
    } catch (error) {
      const rejection = smtpRejection(error);
      const reason =
        rejection ?? (error instanceof Error ? error.message : 'unknown error').slice(0, 1000);
      log.warn({ purpose: mail.purpose, reason }, 'mail not delivered');
      await repository.markFailed(id, reason);
      await notify(
        mail,
        rejection === null ? { kind: 'failed', reason } : { kind: 'rejected', reason },
      );
    }
  }

  return {
    transport: transporter === null ? 'outbox' : 'smtp',
    async send(input) {
      const mail = {
        ...input,
        subject: subjectLine(input.subject),
        messageId: `<${randomToken(18)}@${host}>`,
      };
      const now = clock().toISOString();
      const outbox = transporter === null;
      const id = await repository.insert({
        message_id: mail.messageId,
        to_address: mail.to,
        subject: mail.subject,
        text_body: outbox ? mail.text : null,
        html_body: outbox ? (mail.html ?? null) : null,
        purpose: mail.purpose,
        invite_id: mail.inviteId ?? null,
        created_at: now,
        sent_at: outbox ? now : null,
        error: null,
        transport: outbox ? 'outbox' : 'smtp',
      });
      const work = outbox ? notify(mail, { kind: 'sent', at: now }) : deliver(id, mail);
      pending.add(work);
      void work.finally(() => pending.delete(work));
      return mail.messageId;
    },
    onDelivery(listener) {
      listeners.push(listener);
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close() {
      transporter?.close();
    },
  };
}
