import {
  linkFromOutbox,
  signInAsNewAdmin,
  signOutButton,
  submitPassword,
} from './helpers/accounts.js';
import { expect, test } from './helpers/hub.js';

const REQUESTER = {
  email: 'rafael.quant@example.com',
  password: 'saffron kite 9 ledger',
};

// Journey (issue 3, acceptance 3; specs/identity.md §3.3-3.4): someone without an invitation asks
// for access, confirms their address from the emailed link and chooses a password; they cannot
// sign in until an admin approves them from the approval queue, then they can.
test('request access, admin approves, user signs in', async ({ page, hub, browser }) => {
  const requester = await browser.newContext({ baseURL: hub.url });
  const requesterPage = await requester.newPage();
  await requesterPage.goto('/request-access');
  const form = requesterPage.getByRole('form', { name: 'Request access' });
  await form.getByLabel('Email').fill(REQUESTER.email);
  await form.getByLabel('First name').fill('Rafael');
  await form.getByLabel('Last name').fill('Quant');
  await form.getByRole('button', { name: 'Request access' }).click();
  await expect(requesterPage.getByText('Check your inbox', { exact: true })).toBeVisible();

  // The admin (first sign-in, MFA enrolment) reads the verification mail in the outbox.
  await signInAsNewAdmin(page, hub);
  const link = await linkFromOutbox(page.request, REQUESTER.email, '/request-access/verify');

  await requesterPage.goto(link);
  await expect(requesterPage.getByLabel('Email')).toHaveValue(REQUESTER.email);
  await requesterPage.getByLabel('Password', { exact: true }).fill(REQUESTER.password);
  await requesterPage.getByLabel('Confirm password').fill(REQUESTER.password);
  await requesterPage.getByRole('button', { name: 'Create account' }).click();
  await expect(requesterPage.getByText('Request sent', { exact: true })).toBeVisible();

  // Right password, but not approved yet: told so, and no session.
  await submitPassword(requesterPage, REQUESTER);
  await expect(requesterPage.getByText('Awaiting approval', { exact: true })).toBeVisible();
  await expect(signOutButton(requesterPage)).toHaveCount(0);

  // The admin approves the request as an analyst.
  await page.goto('/admin');
  const queue = page.getByRole('region', { name: 'Pending access requests' });
  await expect(queue.getByRole('cell', { name: REQUESTER.email, exact: true })).toBeVisible();
  await queue.getByLabel(`Role for ${REQUESTER.email}`).selectOption('analyst');
  await queue.getByRole('button', { name: `Approve ${REQUESTER.email}` }).click();
  await expect(page.getByText(`Approved ${REQUESTER.email} as analyst.`)).toBeVisible();
  await expect(queue.getByRole('cell', { name: REQUESTER.email, exact: true })).toHaveCount(0);

  await submitPassword(requesterPage, REQUESTER);
  await expect(signOutButton(requesterPage)).toBeVisible();
  await requesterPage.goto('/account');
  await expect(requesterPage.getByText('Analyst', { exact: true }).first()).toBeVisible();
  await requester.close();
});
