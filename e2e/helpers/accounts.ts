import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { runCli, type Hub } from './hub.js';

/**
 * Accounts for the journeys, made the way a real operator and real users make them: the first
 * admin with the CLI, everyone else by invitation. Passwords pass the hub's policy (12+ characters,
 * not common, not like the email).
 */

export type Role = 'viewer' | 'analyst' | 'manager' | 'admin';

export interface Account {
  readonly email: string;
  readonly password: string;
}

export interface Admin extends Account {
  /** The TOTP secret (base32) the admin enrolled. */
  readonly totpSecret: string;
}

export const ADMIN: Account = {
  email: 'ada.admin@example.com',
  password: 'violet harbour 7 lantern',
};

const TOTP_PERIOD_MS = 30_000;

/**
 * A code for the earliest 30-second step after `notBeforeStep` (the server accepts each step once
 * and one step of clock drift, RFC 6238): no waiting for the next window.
 */
export function totpCode(secret: string, notBeforeStep = -1): { code: string; step: number } {
  const nowStep = Math.floor(Date.now() / TOTP_PERIOD_MS);
  const step = Math.max(nowStep, notBeforeStep + 1);
  const code = TOTP.generate({
    secret: Secret.fromBase32(secret),
    period: 30,
    timestamp: step * TOTP_PERIOD_MS,
  });
  return { code, step };
}

export async function createFirstAdmin(hub: Hub, account: Account = ADMIN): Promise<Account> {
  const result = await runCli(
    hub,
    ['createadmin', '--email', account.email],
    `${account.password}\n`,
  );
  if (result.code !== 0) throw new Error(`createadmin failed: ${result.stderr}${result.stdout}`);
  return account;
}

/** Fills in the sign-in page's first step (email and password). */
export async function submitPassword(page: Page, account: Account): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * On the MFA set-up page (where a fresh admin lands): reads the setup key as a person would type
 * it into an authenticator app, enters the current code and confirms the recovery codes.
 */
export async function enrolMfaThroughPage(page: Page): Promise<{ secret: string; step: number }> {
  await expect(
    page.getByRole('heading', { level: 1, name: 'Set up two-factor authentication' }),
  ).toBeVisible();
  const secret = await page.getByLabel('Setup key').inputValue();
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  const { code, step } = totpCode(secret);
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Enable two-factor authentication' }).click();
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
  await page.getByRole('button', { name: 'I have saved these codes' }).click();
  return { secret, step };
}

/** The CLI's first admin, signed in in `page` with MFA enrolled through the pages. */
export async function signInAsNewAdmin(page: Page, hub: Hub): Promise<Admin & { step: number }> {
  const account = await createFirstAdmin(hub);
  await submitPassword(page, account);
  const { secret, step } = await enrolMfaThroughPage(page);
  return { ...account, totpSecret: secret, step };
}

/** The header's sign-out button: there only while signed in. */
export function signOutButton(page: Page) {
  return page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true });
}

export async function signOut(page: Page): Promise<void> {
  await signOutButton(page).click();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
}

// ------------------------------------------------------------------ API-level set-up helpers

function originHeaders(hub: Hub) {
  // The hub refuses state-changing requests from other origins (W-01); a browser sends Origin.
  return { Origin: hub.url };
}

async function expectOk(response: Awaited<ReturnType<APIRequestContext['get']>>, what: string) {
  if (!response.ok()) {
    throw new Error(`${what}: ${String(response.status())} ${await response.text()}`);
  }
}

/**
 * Signs `request` in as the CLI's first admin and enrols MFA through the API: for journeys whose
 * subject is something else (a market page, a viewer's 403) and that just need an admin.
 */
export async function adminThroughApi(request: APIRequestContext, hub: Hub): Promise<Admin> {
  const account = await createFirstAdmin(hub);
  const headers = originHeaders(hub);
  await expectOk(
    await request.post('/api/identity/sessions', { data: account, headers }),
    'admin sign-in',
  );
  const setup = await request.post('/api/identity/me/mfa/setup', { headers });
  await expectOk(setup, 'MFA setup');
  const { secret } = (await setup.json()) as { secret: string };
  await expectOk(
    await request.post('/api/identity/me/mfa/enable', {
      data: { code: totpCode(secret).code },
      headers,
    }),
    'MFA enable',
  );
  return { ...account, totpSecret: secret };
}

/** The link in the newest outbox message to `email` (mail goes to the outbox without SMTP_URL). */
export async function linkFromOutbox(
  request: APIRequestContext,
  email: string,
  pathPrefix: string,
): Promise<string> {
  const response = await request.get('/api/identity/admin/outbox?page=1');
  await expectOk(response, 'outbox');
  const page = (await response.json()) as {
    items: { to_address: string; text_body: string | null }[];
  };
  const message = page.items.find((item) => item.to_address === email);
  const link = message?.text_body?.match(new RegExp(`https?://\\S+${pathPrefix}\\S+`))?.[0];
  if (link === undefined) throw new Error(`no ${pathPrefix} link mailed to ${email}`);
  return link;
}

/**
 * An account with `role`, made by invitation and accepted through the API by `admin` (a signed-in
 * admin request context). Returns the credentials to sign in with.
 */
export async function invitedAccount(
  admin: APIRequestContext,
  hub: Hub,
  role: Role,
  account: Account,
): Promise<Account> {
  const headers = originHeaders(hub);
  await expectOk(
    await admin.post('/api/identity/admin/invitations', {
      data: { email: account.email, invite_type: role },
      headers,
    }),
    'invitation',
  );
  const link = await linkFromOutbox(admin, account.email, '/invite/');
  const token = new URL(link).pathname.split('/').pop() ?? '';
  // Accepted from a separate, signed-out context so the admin's session is left alone.
  const response = await fetch(`${hub.url}/api/identity/invitations/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      token,
      first_name: 'Vera',
      last_name: 'Viewer',
      password: account.password,
    }),
  });
  if (response.status !== 201) {
    throw new Error(`invite accept: ${String(response.status)} ${await response.text()}`);
  }
  return account;
}
