import {
  adminThroughApi,
  invitedAccount,
  linkFromOutbox,
  signOut,
  signOutButton,
  submitPassword,
} from './helpers/accounts.js';
import { expect, test } from './helpers/hub.js';

const ANALYST = { email: 'theo.analyst@example.com', password: 'juniper atlas 64 quarry' };
const AFTER_RESET = 'cobalt meadow 19 thimble';
const AFTER_CHANGE = 'harvest lagoon 82 sparrow';

// Journey (specs/identity.md §3.8): a user who forgot their password gets a reset link, sets a new
// password with it, signs in, and later changes it on the account page with the current one.
test('forgot password, reset from the emailed link, then change it on the account page', async ({
  page,
  hub,
  playwright,
}) => {
  const admin = await playwright.request.newContext({ baseURL: hub.url });
  await adminThroughApi(admin, hub);
  await invitedAccount(admin, hub, 'analyst', ANALYST);

  await page.goto('/forgot-password');
  await page.getByLabel('Email').fill(ANALYST.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByText('Check your inbox', { exact: true })).toBeVisible();

  const link = await linkFromOutbox(admin, ANALYST.email, '/reset-password');
  await admin.dispose();
  // The token travels after '#', so it never reaches a server log or a Referer.
  expect(link).toMatch(/\/reset-password#[A-Za-z0-9_-]+$/);
  await page.goto(link);
  // A mismatched confirmation is caught before anything is sent.
  await page.getByLabel('New password', { exact: true }).fill(AFTER_RESET);
  await page.getByLabel('Confirm password').fill(`${AFTER_RESET}!`);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByLabel('Confirm password')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Confirm password').fill(AFTER_RESET);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByText('Password changed', { exact: true })).toBeVisible();

  // The old password no longer works; the new one does.
  await submitPassword(page, ANALYST);
  await expect(page.getByText('Invalid email or password')).toBeVisible();
  await submitPassword(page, { email: ANALYST.email, password: AFTER_RESET });
  await expect(signOutButton(page)).toBeVisible();

  await page.goto('/account');
  await page.getByLabel('Current password').fill(AFTER_RESET);
  await page.getByLabel('New password', { exact: true }).fill(AFTER_CHANGE);
  await page.getByLabel('Confirm password').fill(AFTER_CHANGE);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed', { exact: true })).toBeVisible();
  await signOut(page);
  await submitPassword(page, { email: ANALYST.email, password: AFTER_CHANGE });
  await expect(signOutButton(page)).toBeVisible();
});
