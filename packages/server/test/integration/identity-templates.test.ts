import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, outbox, signIn } from '../helpers/identity.js';

const BASE = 'https://hub.example.com';
const TEMPLATES = '/api/identity/admin/templates';
const INVITES = '/api/identity/admin/invitations';
const ADMIN = { email: 'ada.admin@example.com', password: 'granite meadow lantern 41' };
const MANAGER = { email: 'mo.manager@example.com', password: 'copper willow signal 58' };

// Scenario: an admin writes invitation templates, including hostile ones, edits and retires
// them; a manager uses them (specs/identity.md §3.2, US-TPL-1, V-02).
describe('invitation templates', () => {
  const clock = manualClock(new Date('2026-11-21T09:00:00.000Z'));
  let hub: TestHub;
  let admin: string;
  let adminId: number;
  let manager: string;
  let logs: string[];

  beforeAll(async () => {
    hub = await createTestHub({
      clock,
      env: { APP_BASE_URL: BASE, MFA_REQUIRED_ROLES: 'none', LOG_LEVEL: 'warn' },
      captureLogs: true,
    });
    logs = hub.logs;
    adminId = (
      await createUser(hub, { ...ADMIN, role: 'admin', firstName: 'Ada', lastName: 'Admin' })
    ).id;
    await createUser(hub, { ...MANAGER, role: 'manager' });
    admin = await signIn(hub, ADMIN.email, ADMIN.password);
    manager = await signIn(hub, MANAGER.email, MANAGER.password);
  });
  afterAll(() => hub.close());

  const send = (method: 'POST' | 'PATCH' | 'GET', url: string, cookie: string, payload?: object) =>
    hub.app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload }),
    });
  const templateRows = () =>
    hub.database.db.selectFrom('identity.invite_templates').selectAll().execute();
  const audits = (action: string) =>
    hub.database.db
      .selectFrom('identity.audit_events')
      .selectAll()
      .where('action', '=', action)
      .orderBy('id', 'asc')
      .execute();
  const details = (row: { details: string } | undefined) =>
    JSON.parse(row?.details ?? '{}') as unknown;
  async function lastMailTo(email: string) {
    const mail = (await outbox(hub)).filter((row) => row.to_address === email).at(-1);
    if (mail === undefined) throw new Error(`no mail to ${email}`);
    return mail;
  }

  let analystTemplate: number;

  it('US-TPL-1: an admin creates a template (placeholders with or without spaces); it is audited', async () => {
    const response = await send('POST', TEMPLATES, admin, {
      name: '  Analyst welcome ',
      invite_type: 'analyst',
      subject: 'Welcome to {{app_name}}, {{ role }}',
      message_template:
        'Hello {{invitee_email}},\n{{   inviter_name   }} invited you: {{ invite_link }}',
    });
    expect(response.statusCode).toBe(201);
    const body = response.json<{ id: number }>();
    analystTemplate = body.id;
    expect(body).toEqual({
      id: analystTemplate,
      name: 'Analyst welcome',
      invite_type: 'analyst',
      subject: 'Welcome to {{app_name}}, {{ role }}',
      message_template:
        'Hello {{invitee_email}},\n{{   inviter_name   }} invited you: {{ invite_link }}',
      is_active: true,
      created_at: '2026-11-21T09:00:00.000Z',
      updated_at: null,
    });
    const [event] = await audits('template.create');
    expect(event).toMatchObject({ actor_id: adminId, target_id: String(analystTemplate) });
    expect(details(event)).toEqual({ before: null, after: body });

    const invite = await send('POST', INVITES, admin, {
      email: 'templated@example.com',
      invite_type: 'analyst',
      template_id: analystTemplate,
    });
    expect(invite.statusCode).toBe(201);
    expect(invite.json()).toMatchObject({ template_id: analystTemplate });
    const mail = await lastMailTo('templated@example.com');
    expect(mail.subject).toBe('Welcome to Umbrella Hub, analyst');
    expect(mail.text_body).toMatch(
      /^Hello templated@example\.com,\nAda Admin invited you: https:\/\/hub\.example\.com\/invite\/[A-Za-z0-9_-]{64}$/,
    );
  });

  it('V-02: unknown placeholders are refused on save, naming them; nothing is stored', async () => {
    const before = await templateRows();
    const response = await send('POST', TEMPLATES, admin, {
      name: 'Hostile',
      invite_type: 'viewer',
      subject: 'Hi {{ password }}',
      message_template: '{{ constructor }} {{ 7*7 }} {{ __proto__ }} {{ invite_link }}',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'unknown_placeholder',
      errors: [
        { path: 'body.subject', message: 'unknown placeholder {{ password }}' },
        { path: 'body.message_template', message: 'unknown placeholder {{ constructor }}' },
        { path: 'body.message_template', message: 'unknown placeholder {{ 7*7 }}' },
        { path: 'body.message_template', message: 'unknown placeholder {{ __proto__ }}' },
      ],
    });
    expect(response.json<{ detail: string }>().detail).toMatch(
      /^body\.subject: unknown placeholder \{\{ password \}\} \(and 3 more\)/,
    );
    const patch = await send('PATCH', `${TEMPLATES}/${String(analystTemplate)}`, admin, {
      message_template: 'Hi {{ inviter.password }}',
    });
    expect(patch.statusCode).toBe(400);
    expect(await templateRows()).toEqual(before);
  });

  it('V-02: ${7*7} stays literal, values are escaped in the HTML part, CR/LF leave the subject', async () => {
    const created = await send('POST', TEMPLATES, admin, {
      name: 'Literal',
      invite_type: 'viewer',
      subject: 'Hello {{ invitee_email }}\r\nBcc: victim@example.com',
      message_template:
        'Total: ${7*7} {% if admin %}\n<b>{{ custom_message }}</b>\n{{ invite_link }}',
    });
    expect(created.statusCode).toBe(201);
    const invite = await send('POST', INVITES, admin, {
      email: 'literal@example.com',
      invite_type: 'viewer',
      template_id: created.json<{ id: number }>().id,
      custom_message: '<script>alert(1)</script> & "quotes"',
    });
    expect(invite.statusCode).toBe(201);
    const mail = await lastMailTo('literal@example.com');
    // ASVS 5.0 1.3.11: one header line.
    expect(mail.subject).toBe('Hello literal@example.com Bcc: victim@example.com');
    expect(mail.text_body).toContain('Total: ${7*7} {% if admin %}\n');
    expect(mail.text_body).toContain('<b><script>alert(1)</script> & "quotes"</b>');
    // The HTML part escapes the template text and the values alike.
    expect(mail.html_body).toContain(
      'Total: ${7*7} {% if admin %}<br>\n&lt;b&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;&lt;/b&gt;<br>\n<a href="https://hub.example.com/invite/',
    );
    expect(mail.html_body).not.toContain('<script>');
  });

  it('§3.2: a rendered subject is cut to 200 characters', async () => {
    const created = await send('POST', TEMPLATES, admin, {
      name: 'Long subject',
      invite_type: 'viewer',
      subject: `${'S'.repeat(180)} {{ invitee_email }}`,
      message_template: '{{ invite_link }}',
    });
    expect(created.statusCode).toBe(201);
    const invite = await send('POST', INVITES, admin, {
      email: 'long.subject@example.com',
      invite_type: 'viewer',
      template_id: created.json<{ id: number }>().id,
    });
    expect(invite.statusCode).toBe(201);
    const mail = await lastMailTo('long.subject@example.com');
    expect(mail.subject).toBe(`${'S'.repeat(180)} long.subject@example.com`.slice(0, 200));
    expect(mail.subject).toHaveLength(200);
  });

  it('US-TPL-1: edits and deactivation are audited with before and after versions', async () => {
    clock.advance(60_000);
    const renamed = await send('PATCH', `${TEMPLATES}/${String(analystTemplate)}`, admin, {
      name: 'Analyst welcome v2',
    });
    expect(renamed.statusCode).toBe(200);
    // A PATCH without is_active keeps it as it was.
    expect(renamed.json()).toMatchObject({
      name: 'Analyst welcome v2',
      is_active: true,
      updated_at: '2026-11-21T09:01:00.000Z',
    });
    const [update] = await audits('template.update');
    expect(details(update)).toMatchObject({
      before: { name: 'Analyst welcome', is_active: true, updated_at: null },
      after: { name: 'Analyst welcome v2', is_active: true },
    });

    const retired = await send('PATCH', `${TEMPLATES}/${String(analystTemplate)}`, admin, {
      is_active: false,
    });
    expect(retired.json()).toMatchObject({ is_active: false });
    const [deactivate] = await audits('template.deactivate');
    expect(deactivate).toMatchObject({ actor_id: adminId });
    expect(details(deactivate)).toMatchObject({
      before: { is_active: true },
      after: { is_active: false },
    });
    const updated = await hub.database.db
      .selectFrom('identity.invite_templates')
      .select(['updated_by_id', 'created_by_id'])
      .where('id', '=', analystTemplate)
      .executeTakeFirstOrThrow();
    expect(updated).toEqual({ updated_by_id: adminId, created_by_id: adminId });

    // US-INV-1: an inactive template cannot be used.
    const refused = await send('POST', INVITES, admin, {
      email: 'late@example.com',
      invite_type: 'analyst',
      template_id: analystTemplate,
    });
    expect(refused.statusCode).toBe(400);

    expect(
      (await send('PATCH', `${TEMPLATES}/${String(analystTemplate)}`, admin, {})).statusCode,
    ).toBe(400);
    expect((await send('PATCH', `${TEMPLATES}/999999`, admin, { name: 'x' })).statusCode).toBe(404);
  });

  it('§2 / D13: a manager lists active viewer and analyst templates and cannot change any', async () => {
    for (const [name, inviteType] of [
      ['Viewers', 'viewer'],
      ['Managers', 'manager'],
      ['Admins', 'admin'],
    ] as const) {
      const response = await send('POST', TEMPLATES, admin, {
        name,
        invite_type: inviteType,
        subject: 'Join {{ app_name }}',
        message_template: '{{ invite_link }}',
      });
      expect(response.statusCode).toBe(201);
    }
    const seen = await send('GET', TEMPLATES, manager);
    expect(seen.statusCode).toBe(200);
    expect(seen.json<{ name: string }[]>().map((template) => template.name)).toEqual([
      'Literal',
      'Long subject',
      'Viewers',
    ]);
    const all = await send('GET', TEMPLATES, admin);
    expect(all.json<{ name: string }[]>().map((template) => template.name)).toEqual([
      'Admins',
      'Analyst welcome v2',
      'Literal',
      'Long subject',
      'Managers',
      'Viewers',
    ]);
    const before = await templateRows();
    const created = await send('POST', TEMPLATES, manager, {
      name: 'Mine',
      invite_type: 'viewer',
      subject: 's',
      message_template: 'm',
    });
    expect(created.statusCode).toBe(403);
    const patched = await send('PATCH', `${TEMPLATES}/${String(analystTemplate)}`, manager, {
      is_active: true,
    });
    expect(patched.statusCode).toBe(403);
    expect(await templateRows()).toEqual(before);
  });

  it('§3.2: a legacy template with an unknown placeholder renders it empty and logs a warning', async () => {
    const now = clock().toISOString();
    const { id } = await hub.database.db
      .insertInto('identity.invite_templates')
      .values({
        name: 'Legacy',
        invite_type: 'viewer',
        subject: 'Legacy {{ company }}',
        message_template: 'Dear {{ first_name }}, join us.',
        is_active: true,
        created_at: now,
        created_by_id: null,
        updated_at: null,
        updated_by_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    logs.length = 0;
    const invite = await send('POST', INVITES, admin, {
      email: 'legacy@example.com',
      invite_type: 'viewer',
      template_id: id,
    });
    expect(invite.statusCode).toBe(201);
    const mail = await lastMailTo('legacy@example.com');
    expect(mail.subject).toBe('Legacy');
    // The template lacks the link: it is added, so the email stays usable.
    expect(mail.text_body).toMatch(
      /^Dear , join us\.\n\nAccept the invitation: https:\/\/hub\.example\.com\/invite\/[A-Za-z0-9_-]{64}$/,
    );
    const warnings = logs
      .map((line) => JSON.parse(line) as { msg: string; placeholder?: string; templateId?: number })
      .filter((line) => line.msg === 'unknown template placeholder rendered as empty text');
    expect(warnings.map((line) => [line.placeholder, line.templateId])).toEqual([
      ['company', id],
      ['first_name', id],
    ]);
  });
});
