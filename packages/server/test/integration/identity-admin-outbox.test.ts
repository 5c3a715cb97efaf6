import type { OutboxMessage } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, outbox, signIn, type TestUser } from '../helpers/identity.js';

// Scenario: the admin reads the mail log, first on a hub without SMTP (the outbox keeps each
// plain-text body for the admin to read), then on a hub with an SMTP server that refuses
// connections (bodies are never stored; the error is) (docs/identity-api.md GET /admin/outbox,
// specs/identity.md §3.8 links never stored when SMTP is configured).
describe('admin mail outbox', () => {
  const clock = manualClock();
  let outboxHub: TestHub;
  let smtpHub: TestHub;
  const admins = new Map<TestHub, { user: TestUser; cookie: string }>();

  const prepare = async (hub: TestHub) => {
    const user = await createUser(hub, { email: 'ada.admin@umbrella-hub.example', role: 'admin' });
    const viewer = await createUser(hub, { email: 'vic.viewer@partner.example' });
    const cookie = await signIn(hub, user.email, user.password);
    admins.set(hub, { user, cookie });
    for (let i = 0; i < 3; i += 1) {
      clock.advance(1_000);
      const response = await hub.app.inject({
        method: 'POST',
        url: `/api/identity/admin/users/${String(viewer.id)}/reset-link`,
        headers: { cookie },
      });
      expect(response.statusCode).toBe(202);
    }
    await outbox(hub);
  };

  beforeAll(async () => {
    const env = { MFA_REQUIRED_ROLES: 'none', APP_BASE_URL: 'https://hub.example.com' };
    outboxHub = await createTestHub({ clock, env });
    smtpHub = await createTestHub({ clock, env: { ...env, SMTP_URL: 'smtp://127.0.0.1:9' } });
    await prepare(outboxHub);
    await prepare(smtpHub);
  });
  afterAll(async () => {
    await outboxHub.close();
    await smtpHub.close();
  });

  const read = async (hub: TestHub, query = '') => {
    const response = await hub.app.inject({
      url: `/api/identity/admin/outbox${query}`,
      headers: { cookie: admins.get(hub)?.cookie ?? '' },
    });
    expect(response.statusCode, query).toBe(200);
    return response.json<{
      items: OutboxMessage[];
      total: number;
      page: number;
      page_size: number;
    }>();
  };

  it('outbox mode: the admin pages through the messages, newest first, with their plain-text bodies', async () => {
    const first = await read(outboxHub, '?page_size=2');
    expect(first).toMatchObject({ total: 3, page: 1, page_size: 2 });
    expect(first.items.map((mail) => [mail.to_address, mail.purpose, mail.error])).toEqual([
      ['vic.viewer@partner.example', 'admin_reset', null],
      ['vic.viewer@partner.example', 'admin_reset', null],
    ]);
    expect(first.items[0]).toMatchObject({
      subject: 'Set your Umbrella Hub password',
      created_at: '2026-11-21T09:00:03.000Z',
      sent_at: '2026-11-21T09:00:03.000Z',
    });
    expect(first.items[0]?.text_body).toContain('https://hub.example.com/reset-password#');
    const second = await read(outboxHub, '?page=2&page_size=2');
    expect(second.items.map((mail) => mail.created_at)).toEqual(['2026-11-21T09:00:01.000Z']);
  });

  it('SMTP mode: bodies are never stored, so text_body is null; a failed delivery shows its error', async () => {
    const log = await read(smtpHub);
    expect(log.total).toBe(3);
    for (const mail of log.items) {
      expect(mail).toMatchObject({ purpose: 'admin_reset', text_body: null, sent_at: null });
      expect(mail.error).toMatch(/ECONNREFUSED|connect/i);
    }
  });

  it('bad input: a page below 1 is a 400 problem', async () => {
    const response = await outboxHub.app.inject({
      url: '/api/identity/admin/outbox?page=0',
      headers: { cookie: admins.get(outboxHub)?.cookie ?? '' },
    });
    expect(response.statusCode).toBe(400);
  });
});
