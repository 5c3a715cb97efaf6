import { adminThroughApi, invitedAccount, signOutButton } from './helpers/accounts.js';
import { expect, test } from './helpers/hub.js';

const VIEWER = { email: 'vera.viewer@example.com', password: 'marble canyon 58 orchid' };

// Journey (issue 3, acceptance 3; C-02 in the browser): a viewer who opens an admin page gets the
// "Access denied" page, not a crash or an empty screen; W-05: a `next` target on another site is
// not followed after sign-in.
test('a viewer is refused the admin pages with the 403 page', async ({ page, hub, playwright }) => {
  const admin = await playwright.request.newContext({ baseURL: hub.url });
  await adminThroughApi(admin, hub);
  await invitedAccount(admin, hub, 'viewer', VIEWER);
  await admin.dispose();

  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));

  // W-05: next=https://evil.example is ignored; the user lands on the hub's home page.
  await page.goto('/sign-in?next=https%3A%2F%2Fevil.example%2Fsteal');
  await page.getByLabel('Email').fill(VIEWER.email);
  await page.getByLabel('Password', { exact: true }).fill(VIEWER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(signOutButton(page)).toBeVisible();
  expect(new URL(page.url()).origin).toBe(hub.url);
  // The viewer sees no Admin link in the navigation.
  await expect(
    page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Admin' }),
  ).toHaveCount(0);

  for (const path of ['/admin', '/admin/users', '/admin/outbox']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: 'Access denied' })).toBeVisible();
  }
  // The API says the same (403 problem+json, not a 500).
  const api = await page.request.get('/api/identity/admin/users');
  expect(api.status()).toBe(403);
  expect(api.headers()['content-type']).toContain('application/problem+json');
  expect(pageErrors).toEqual([]);

  // A relative `next` is followed.
  await page.request.delete('/api/identity/sessions/current', { headers: { Origin: hub.url } });
  await page.goto('/sign-in?next=%2Faccount');
  await page.getByLabel('Email').fill(VIEWER.email);
  await page.getByLabel('Password', { exact: true }).fill(VIEWER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${hub.url}/account`);
});
