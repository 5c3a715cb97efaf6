import { AxeBuilder } from '@axe-core/playwright';
import {
  signInAsNewAdmin,
  signOut,
  signOutButton,
  submitPassword,
  totpCode,
} from './helpers/accounts.js';
import { expect, test } from './helpers/hub.js';

// Journey (issue 3, acceptance 3): the first admin, made with the CLI, must set up TOTP before
// anything else (MFA_REQUIRED_ROLES defaults to admin, A-11), then signs in with a code.
test('the first admin enrols TOTP at first sign-in, then signs in with a code', async ({
  page,
  hub,
}) => {
  const admin = await signInAsNewAdmin(page, hub);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/admin');
  await expect(page.getByRole('heading', { level: 1, name: 'Admin' })).toBeVisible();
  await signOut(page);

  // Second sign-in: the password alone is not enough.
  await submitPassword(page, admin);
  const challenge = page.getByRole('form', { name: 'Two-step verification' });
  await expect(challenge).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);

  // A wrong code is refused with a message and no session.
  const wrong = totpCode(admin.totpSecret, admin.step).code === '000000' ? '111111' : '000000';
  await challenge.getByLabel('Authentication code').fill(wrong);
  await challenge.getByRole('button', { name: 'Verify' }).click();
  await expect(challenge.getByRole('alert')).toBeVisible();
  await expect(signOutButton(page)).toHaveCount(0);

  // The code of a step after the one used at enrolment (each step is accepted once).
  await challenge
    .getByLabel('Authentication code')
    .fill(totpCode(admin.totpSecret, admin.step).code);
  await challenge.getByRole('button', { name: 'Verify' }).click();
  await expect(signOutButton(page)).toBeVisible();
  await page.goto('/admin/users');
  await expect(page.getByRole('cell', { name: admin.email, exact: true })).toBeVisible();
});
