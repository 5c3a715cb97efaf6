import type { LoginAttempt } from '@hub/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, manualClock, type TestHub } from '../helpers/app.js';
import { createUser, signIn, type TestUser } from '../helpers/identity.js';

const SPRAY_IP = '203.0.113.66';
const SPRAY_AGENT = '<script>alert(1)</script>';
/** Markup and spreadsheet formulas an attacker types as "emails" (V-03, CSV injection). */
const SPRAY_EMAILS = [
  '<img src=x onerror=alert(1)>@evil.example',
  '=HYPERLINK("http://evil.example")@x.example',
  '+1-555@x.example',
  '@admin@x.example',
  '-bob@x.example',
];

// Scenario: overnight, somebody sprays a list of addresses from one IP and hammers one
// partner's account; the admin reads the login audit the next morning, filters it, downloads it
// as CSV and checks the suspicious-activity view (specs/identity.md §3.9, L-01, V-03, V-05).
describe('admin login audit', () => {
  const clock = manualClock(new Date('2026-11-20T08:00:00.000Z'));
  let hub: TestHub;
  let admin: TestUser;
  let vera: TestUser;
  let four: TestUser;
  let adminCookie = '';

  const attempt = async (email: string, password: string, ip: string, userAgent = 'curl/8.5') => {
    clock.advance(1_000);
    await hub.app.inject({
      method: 'POST',
      url: '/api/identity/sessions',
      headers: { 'user-agent': userAgent },
      remoteAddress: ip,
      payload: { email, password },
    });
  };

  beforeAll(async () => {
    hub = await createTestHub({ clock, env: { MFA_REQUIRED_ROLES: 'none' } });
    admin = await createUser(hub, { email: 'ada.admin@umbrella-hub.example', role: 'admin' });
    vera = await createUser(hub, { email: 'vera.victim@northbridge.example', role: 'analyst' });
    four = await createUser(hub, { email: 'four.fails@northbridge.example' });
    // Yesterday morning: an older spray, outside the 24 h window of the suspicious view.
    for (const email of ['a@old.example', 'b@old.example', 'c@old.example']) {
      await attempt(email, 'guess', '192.0.2.1');
    }
    clock.set(new Date('2026-11-21T02:00:00.000Z'));
    for (const email of SPRAY_EMAILS) await attempt(email, 'Winter2026!', SPRAY_IP, SPRAY_AGENT);
    for (let i = 0; i < 5; i += 1) {
      await attempt(
        i % 2 === 0 ? vera.email : 'Vera.Victim@NorthBridge.example',
        'x',
        '198.51.100.20',
      );
    }
    for (let i = 0; i < 4; i += 1) await attempt(four.email, 'y', '198.51.100.21');
    await attempt(vera.email.replace('vera', 'nobody'), 'z', '198.51.100.22');
    clock.set(new Date('2026-11-21T09:00:00.000Z'));
    adminCookie = await signIn(hub, admin.email, admin.password);
  });
  afterAll(() => hub.close());

  const page = async (query: string) => {
    const response = await hub.app.inject({
      url: `/api/identity/admin/login-attempts${query}`,
      headers: { cookie: adminCookie },
    });
    expect(response.statusCode, query).toBe(200);
    return response.json<{ items: LoginAttempt[]; total: number }>();
  };

  it('§3.9 / L-01: every attempt is listed, newest first, with outcome, reason, IP and user agent', async () => {
    const all = await page('?page_size=200');
    // 3 old + 5 spray + 5 on Vera + 4 on Four + 1 unknown + the admin's sign-in.
    expect(all.total).toBe(19);
    expect(all.items[0]).toMatchObject({
      email: admin.email,
      success: true,
      failure_reason: '',
      user_id: admin.id,
      attempted_at: '2026-11-21T09:00:00.000Z',
    });
    expect(all.items.at(-1)).toMatchObject({
      email: 'a@old.example',
      ip_address: '192.0.2.1',
      success: false,
      failure_reason: 'unknown_email',
      user_id: null,
      attempted_at: '2026-11-20T08:00:01.000Z',
    });
  });

  it('§3.9: filters by email (part, any case), IP, success, reason and date range', async () => {
    expect((await page('?email=VERA.VICTIM')).total).toBe(5);
    expect((await page(`?ip=${SPRAY_IP}`)).total).toBe(5);
    expect((await page('?success=true')).items.map((row) => row.email)).toEqual([admin.email]);
    expect((await page('?success=false')).total).toBe(18);
    expect((await page('?reason=invalid_password')).total).toBe(9);
    expect((await page('?reason=invalid_password&email=four')).total).toBe(4);
    expect((await page('?to=2026-11-20')).items.map((row) => row.email)).toEqual([
      'c@old.example',
      'b@old.example',
      'a@old.example',
    ]);
    expect((await page('?from=2026-11-21')).total).toBe(16);
    expect((await page('?from=2026-11-21T02:00:00Z&to=2026-11-21T02:00:05%2B00:00')).total).toBe(5);
    const paged = await page('?ip=198.51.100.20&page=2&page_size=2');
    expect(paged).toMatchObject({ total: 5, page: 2, page_size: 2 });
    expect(paged.items).toHaveLength(2);
  });

  it('V-03: markup in emails and user agents comes back as the same literal strings in JSON', async () => {
    const spray = await page(`?ip=${SPRAY_IP}`);
    expect(spray.items.map((row) => row.email)).toEqual([...SPRAY_EMAILS].reverse());
    expect(new Set(spray.items.map((row) => row.user_agent))).toEqual(new Set([SPRAY_AGENT]));
    const markup = await page('?email=onerror');
    expect(markup.items.map((row) => row.email)).toEqual([
      '<img src=x onerror=alert(1)>@evil.example',
    ]);
  });

  it('§3.9 / V-03: the CSV has the same filters, is an attachment, keeps markup literal and defuses formulas', async () => {
    const response = await hub.app.inject({
      url: `/api/identity/admin/login-attempts.csv?ip=${SPRAY_IP}`,
      headers: { cookie: adminCookie },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="login-attempts.csv"',
    );
    const json = await page(`?ip=${SPRAY_IP}`);
    const expectedEmailCells = [
      `"'-bob@x.example"`,
      `"'@admin@x.example"`,
      `"'+1-555@x.example"`,
      `"'=HYPERLINK(""http://evil.example"")@x.example"`,
      '"<img src=x onerror=alert(1)>@evil.example"',
    ];
    expect(response.body).toBe(
      [
        '"id","attempted_at","email","ip_address","user_agent","success","failure_reason","user_id"',
        ...json.items.map(
          (row, index) =>
            `"${String(row.id)}","${row.attempted_at}",${expectedEmailCells[index] ?? ''},"${SPRAY_IP}","<script>alert(1)</script>","false","unknown_email",""`,
        ),
      ].join('\r\n') + '\r\n',
    );
  });

  it('§3.9: suspicious activity lists IPs failing for ≥ 3 emails and accounts with ≥ 5 failures in 24 h', async () => {
    const response = await hub.app.inject({
      url: '/api/identity/admin/suspicious',
      headers: { cookie: adminCookie },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      ips: [{ ip: SPRAY_IP, emails: 5, failures: 5 }],
      accounts: [{ email: 'vera.victim@northbridge.example', failures: 5 }],
    });
    // A day later the overnight activity has left the window.
    clock.advance(24 * 3_600_000);
    adminCookie = await signIn(hub, admin.email, admin.password);
    const later = await hub.app.inject({
      url: '/api/identity/admin/suspicious',
      headers: { cookie: adminCookie },
    });
    expect(later.json()).toEqual({ ips: [], accounts: [] });
  });

  it('bad input: unknown reasons, non-boolean success, impossible or reversed dates are 400 problems', async () => {
    for (const query of [
      '?reason=bad_luck',
      '?success=yes',
      '?from=2026-02-30',
      '?from=yesterday',
      '?from=2026-11-21&to=2026-11-20',
      '?page=abc',
    ]) {
      const response = await hub.app.inject({
        url: `/api/identity/admin/login-attempts${query}`,
        headers: { cookie: adminCookie },
      });
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
  });
});
