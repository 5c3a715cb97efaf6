import { AxeBuilder } from '@axe-core/playwright';
import { signInAsNewAdmin, signOut, signOutButton, submitPassword } from './helpers/accounts.js';
import { expect, test } from './helpers/hub.js';

const INVITEE = { email: 'ines.analyst@example.com', password: 'copper willow 12 fjord' };

// Journey (issue 3, acceptance 3): an admin invites an analyst from the admin pages; the invitee
// opens the emailed link (read from the mail outbox, as on a hub without SMTP_URL), creates the
// account, signs out and signs in again with the new password.
test('invite, accept, sign in, sign out', async ({ page, hub, browser }) => {
  await signInAsNewAdmin(page, hub);

  await page.goto('/admin/invitations');
  const form = page.getByRole('form', { name: 'Invite someone' });
  await form.getByLabel('Email address').fill(INVITEE.email);
  await form.getByLabel('Role').selectOption('analyst');
  await form.getByRole('button', { name: 'Send invitation' }).click();
  await expect(
    page
      .getByRole('region', { name: 'Invitations' })
      .getByRole('cell', { name: INVITEE.email, exact: true }),
  ).toBeVisible();

  await page.goto('/admin/outbox');
  await page.getByRole('button', { name: `Show body of the mail to ${INVITEE.email}` }).click();
  const body = await page.locator('[id^="outbox-body-"]').innerText();
  const link = /http:\/\/127\.0\.0\.1:\d+\/invite\/\S+/.exec(body)?.[0];
  expect(link, body).toBeDefined();

  // The invitee, in a browser of their own.
  const invitee = await browser.newContext({ baseURL: hub.url });
  const inviteePage = await invitee.newPage();
  await inviteePage.goto(link ?? '');
  await expect(
    inviteePage.getByRole('heading', { level: 1, name: 'Accept your invitation' }),
  ).toBeVisible();
  const accept = inviteePage.getByRole('form', { name: 'Create your account' });
  // The email comes from the invitation and cannot be edited (I-05).
  await expect(accept.getByLabel('Email')).toHaveValue(INVITEE.email);
  await expect(accept.getByLabel('Email')).not.toBeEditable();
  const axe = await new AxeBuilder({ page: inviteePage }).analyze();
  expect(axe.violations).toEqual([]);
  await accept.getByLabel('First name').fill('Ines');
  await accept.getByLabel('Last name').fill('Analyst');
  await accept.getByLabel('Password', { exact: true }).fill(INVITEE.password);
  await accept.getByLabel('Confirm password').fill(INVITEE.password);
  await accept.getByRole('button', { name: 'Create account' }).click();
  await expect(signOutButton(inviteePage)).toBeVisible();

  await signOut(inviteePage);
  await submitPassword(inviteePage, INVITEE);
  await expect(signOutButton(inviteePage)).toBeVisible();
  await inviteePage.goto('/account');
  // The role comes from the invitation.
  await expect(inviteePage.getByText('Analyst', { exact: true }).first()).toBeVisible();
  await signOut(inviteePage);
  // Signed out for real: the account page now asks to sign in.
  await inviteePage.goto('/account');
  await expect(inviteePage).toHaveURL(/\/sign-in/);

  // The same link cannot be used twice (single use, I-02).
  await inviteePage.goto(link ?? '');
  await expect(inviteePage.getByRole('heading', { level: 1, name: 'Invitation' })).toBeVisible();
  await expect(accept).toHaveCount(0);
  await invitee.close();
});
