import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type TestHub } from '../helpers/app.js';
import { createUser, signIn } from '../helpers/identity.js';

const BASE = 'https://hub.example.com';
const INVITES = '/api/identity/admin/invitations';
const ADMIN = { email: 'ada.admin@example.com', password: 'granite meadow lantern 41' };
const IDENTITY_TABLES = [
  'identity.users',
  'identity.sessions',
  'identity.login_attempts',
  'identity.invites',
  'identity.invite_templates',
  'identity.audit_events',
  'identity.one_time_tokens',
  'identity.mfa_recovery_codes',
  'identity.throttles',
  'identity.mail_messages',
  'identity.user_exports',
] as const;

interface Received {
  readonly to: string[];
  readonly raw: string;
}

/** The text of a MIME message with quoted-printable soft line breaks and escapes undone. */
function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

// Scenario: the hub sends invitations through a real SMTP server: one is delivered and accepted,
// one is refused by the recipient's server; the token shows up nowhere but in the email
// (specs/identity.md US-INV-1, US-INV-4, US-INV-5, I-01).
describe('invitations over SMTP', () => {
  const received: Received[] = [];
  let logs: string[] = [];
  let smtp: SMTPServer;
  let hub: TestHub;
  let admin: string;
  let token = '';

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.toLowerCase().endsWith('@bounce.example')) {
          const error = Object.assign(
            new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`),
            { responseCode: 550 },
          );
          callback(error);
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => {
      smtp.listen(0, '127.0.0.1', resolve);
    });
    const { port } = smtp.server.address() as AddressInfo;
    hub = await createTestHub({
      env: {
        APP_BASE_URL: BASE,
        MFA_REQUIRED_ROLES: 'none',
        SMTP_URL: `smtp://127.0.0.1:${String(port)}?ignoreTLS=true`,
        LOG_LEVEL: 'trace',
      },
      captureLogs: true,
    });
    logs = hub.logs;
    await createUser(hub, { ...ADMIN, role: 'admin' });
    admin = await signIn(hub, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await hub.close();
    await new Promise<void>((resolve) => {
      smtp.close(resolve);
    });
  });

  const inviteRow = (email: string) =>
    hub.database.db
      .selectFrom('identity.invites')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();

  it('US-INV-1/4: the emailed link arrives over SMTP and creates the invited analyst', async () => {
    const created = await hub.app.inject({
      method: 'POST',
      url: INVITES,
      headers: { cookie: admin },
      payload: { email: 'smtp.invitee@example.com', invite_type: 'analyst' },
    });
    expect(created.statusCode).toBe(201);
    await hub.app.hub.identity.background.idle();

    const messages = received.filter((message) => message.to.includes('smtp.invitee@example.com'));
    expect(messages).toHaveLength(1);
    const text = decodeQuotedPrintable(messages[0]?.raw ?? '');
    const match = /https:\/\/hub\.example\.com\/invite\/([A-Za-z0-9_-]{64})/.exec(text);
    token = match?.[1] ?? '';
    expect(token).toHaveLength(64);

    const row = await inviteRow('smtp.invitee@example.com');
    // US-INV-1 "Sending": the SMTP server accepted it, so email_sent_at is set; the Message-ID
    // is kept to match bounce reports.
    expect(row.email_sent_at).not.toBeNull();
    expect(text).toContain(`Message-ID: ${row.message_id ?? 'missing'}`);
    const [mail] = await hub.database.db
      .selectFrom('identity.mail_messages')
      .selectAll()
      .where('invite_id', '=', row.id)
      .execute();
    // With SMTP the bodies are not kept.
    expect(mail).toMatchObject({
      transport: 'smtp',
      text_body: null,
      html_body: null,
      error: null,
    });

    const accepted = await hub.app.inject({
      method: 'POST',
      url: '/api/identity/invitations/accept',
      payload: { token, first_name: 'Sam', last_name: 'Tp', password: 'harbor quill 58 mosaic' },
    });
    expect(accepted.statusCode).toBe(201);
    const user = await hub.database.db
      .selectFrom('identity.users')
      .selectAll()
      .where('email', '=', 'smtp.invitee@example.com')
      .executeTakeFirstOrThrow();
    expect(user.role).toBe('analyst');
    expect(Boolean(user.is_approved)).toBe(true);
  });

  it('US-INV-5: a recipient refused with 550 marks the invite bounced with the SMTP diagnostic', async () => {
    const created = await hub.app.inject({
      method: 'POST',
      url: INVITES,
      headers: { cookie: admin },
      payload: { email: 'someone@bounce.example', invite_type: 'viewer' },
    });
    expect(created.statusCode).toBe(201);
    await hub.app.hub.identity.background.idle();
    const row = await inviteRow('someone@bounce.example');
    expect(Boolean(row.email_bounced)).toBe(true);
    expect(row.bounce_reason).toContain('550');
    expect(row.bounce_reason).toContain('Recipient address rejected: User unknown');
    expect(row.email_sent_at).toBeNull();
    const list = await hub.app.inject({
      url: `${INVITES}?status=bounced`,
      headers: { cookie: admin },
    });
    expect(list.json()).toMatchObject({
      total: 1,
      items: [{ email: 'someone@bounce.example', status: 'bounced', email_bounced: true }],
    });
    const audit = await hub.database.db
      .selectFrom('identity.audit_events')
      .selectAll()
      .where('action', '=', 'invite.bounce')
      .execute();
    expect(audit).toMatchObject([{ target_id: String(row.id) }]);
  });

  it('US-INV-1: when the SMTP server cannot be reached, email_sent_at stays NULL (not sent)', async () => {
    // A port nothing listens on: the connection is refused, which is a failure, not a bounce.
    const closed = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'] });
    await new Promise<void>((resolve) => {
      closed.listen(0, '127.0.0.1', resolve);
    });
    const { port } = closed.server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      closed.close(resolve);
    });
    const offline = await createTestHub({
      env: {
        APP_BASE_URL: BASE,
        MFA_REQUIRED_ROLES: 'none',
        SMTP_URL: `smtp://127.0.0.1:${String(port)}?ignoreTLS=true`,
      },
    });
    try {
      await createUser(offline, { ...ADMIN, role: 'admin' });
      const cookie = await signIn(offline, ADMIN.email, ADMIN.password);
      const created = await offline.app.inject({
        method: 'POST',
        url: INVITES,
        headers: { cookie },
        payload: { email: 'unsent@example.com', invite_type: 'viewer' },
      });
      expect(created.statusCode).toBe(201);
      await offline.app.hub.identity.background.idle();
      const row = await offline.database.db
        .selectFrom('identity.invites')
        .selectAll()
        .where('email', '=', 'unsent@example.com')
        .executeTakeFirstOrThrow();
      expect(row.email_sent_at).toBeNull();
      expect(Boolean(row.email_bounced)).toBe(false);
      expect(row.bounce_reason).toBe('');
      const [mail] = await offline.database.db
        .selectFrom('identity.mail_messages')
        .selectAll()
        .where('invite_id', '=', row.id)
        .execute();
      expect(mail?.sent_at).toBeNull();
      expect(mail?.error).toContain('ECONNREFUSED');
    } finally {
      await offline.close();
    }
  });

  it('I-01: the plaintext token is in no identity table and in no log line', async () => {
    expect(token).toHaveLength(64);
    expect(logs.length).toBeGreaterThan(0);
    for (const table of IDENTITY_TABLES) {
      const rows = await hub.database.db.selectFrom(table).selectAll().execute();
      expect(JSON.stringify(rows), table).not.toContain(token);
    }
    expect(logs.filter((line) => line.includes(token))).toEqual([]);
    // The admin's view never shows it either.
    const list = await hub.app.inject({ url: INVITES, headers: { cookie: admin } });
    expect(list.body).not.toContain(token);
  });
});
