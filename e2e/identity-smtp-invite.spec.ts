import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { adminThroughApi, signOutButton } from './helpers/accounts.js';
import type { APIRequestContext } from '@playwright/test';
import { expect, startHub, test as base } from './helpers/hub.js';

interface Delivered {
  readonly to: readonly string[];
  readonly raw: string;
}

/** A real SMTP peer on 127.0.0.1 that refuses every address at bounce.example with a 550. */
async function startMailServer(delivered: Delivered[]): Promise<SMTPServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith('@bounce.example')) {
        callback(
          Object.assign(
            new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`),
            {
              responseCode: 550,
            },
          ),
        );
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        delivered.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** The message text with quoted-printable soft breaks and escapes undone (RFC 2045 §6.7). */
function decodeQuotedPrintable(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const delivered: Delivered[] = [];

// This journey's hub sends mail through the SMTP server the test runs.
const test = base.extend<{ mailServer: SMTPServer }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a pattern; this one has none.
  mailServer: async ({}, use) => {
    const server = await startMailServer(delivered);
    await use(server);
    await new Promise<void>((resolve) => server.close(resolve));
  },
  hub: async ({ mailServer }, use) => {
    const { port } = mailServer.server.address() as AddressInfo;
    const hub = await startHub({
      env: { SMTP_URL: `smtp://127.0.0.1:${String(port)}?ignoreTLS=true` },
    });
    try {
      await use(hub);
    } finally {
      await hub.stop();
    }
  },
});

async function invitationOf(request: APIRequestContext, email: string) {
  const response = await request.get('/api/identity/admin/invitations?page=1');
  expect(response.status()).toBe(200);
  const page = (await response.json()) as {
    items: {
      email: string;
      status: string;
      email_bounced: boolean;
      bounce_reason: string;
      email_sent_at: string | null;
    }[];
  };
  return page.items.find((item) => item.email === email);
}

const INVITEE = { email: 'mila.manager@example.com', password: 'tundra fiddle 33 beacon' };
const BOUNCING = 'no.such.person@bounce.example';

// Issue 3, acceptance 2: a real SMTP round trip. The invitation reaches the SMTP peer; its link,
// opened in Chromium, creates the account with the invited role; a recipient the peer refuses
// (550) marks the invitation bounced with the server's reason.
test('an invitation mailed over SMTP is accepted in the browser; a 550 marks it bounced', async ({
  page,
  hub,
  playwright,
}) => {
  const admin = await playwright.request.newContext({ baseURL: hub.url });
  await adminThroughApi(admin, hub);
  const headers = { Origin: hub.url };

  const created = await admin.post('/api/identity/admin/invitations', {
    data: { email: INVITEE.email, invite_type: 'manager', custom_message: 'Welcome to the desk.' },
    headers,
  });
  expect(created.status()).toBe(201);
  await expect
    .poll(() => delivered.filter((mail) => mail.to.includes(INVITEE.email)).length)
    .toBe(1);
  const mail = decodeQuotedPrintable(
    delivered.find((entry) => entry.to.includes(INVITEE.email))?.raw ?? '',
  );
  expect(mail).toContain('Welcome to the desk.');
  const link = /http:\/\/127\.0\.0\.1:\d+\/invite\/[A-Za-z0-9_-]+/.exec(mail)?.[0];
  expect(link, mail).toBeDefined();
  // Links come from APP_BASE_URL (here the hub's own address), never from a request's Host (I-08).
  expect(link?.startsWith(`${hub.url}/invite/`)).toBe(true);
  await expect
    .poll(async () => (await invitationOf(admin, INVITEE.email))?.email_sent_at ?? null)
    .not.toBeNull();

  await page.goto(link ?? '');
  const accept = page.getByRole('form', { name: 'Create your account' });
  await expect(accept.getByLabel('Email')).toHaveValue(INVITEE.email);
  await accept.getByLabel('First name').fill('Mila');
  await accept.getByLabel('Last name').fill('Manager');
  await accept.getByLabel('Password', { exact: true }).fill(INVITEE.password);
  await accept.getByLabel('Confirm password').fill(INVITEE.password);
  await accept.getByRole('button', { name: 'Create account' }).click();
  await expect(signOutButton(page)).toBeVisible();
  await page.goto('/account');
  await expect(page.getByText('Manager', { exact: true }).first()).toBeVisible();
  expect((await invitationOf(admin, INVITEE.email))?.status).toBe('used');

  // The refused recipient.
  const bouncing = await admin.post('/api/identity/admin/invitations', {
    data: { email: BOUNCING, invite_type: 'viewer' },
    headers,
  });
  expect(bouncing.status()).toBe(201);
  await expect
    .poll(async () => (await invitationOf(admin, BOUNCING))?.email_bounced ?? false)
    .toBe(true);
  const bounced = await invitationOf(admin, BOUNCING);
  expect(bounced?.status).toBe('bounced');
  expect(bounced?.bounce_reason).toContain('550');
  expect(bounced?.bounce_reason).toContain('User unknown');
  expect(delivered.some((entry) => entry.to.includes(BOUNCING))).toBe(false);
  await admin.dispose();
});
