import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

test('sign-in checks the fields, tells how to create the first admin, and refuses bad credentials', async ({
  page,
}) => {
  await page.goto('/sign-in');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Sign in' })).toHaveAttribute(
    'href',
    '/sign-in',
  );
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  // A fresh hub has no accounts at all: the page says how to create the first admin.
  await expect(page.getByText('npx umbrella createadmin', { exact: false })).toBeVisible();

  const email = page.getByLabel('Email');
  const password = page.getByLabel('Password', { exact: false }).first();
  const submit = page.getByRole('button', { name: 'Sign in' });

  await email.fill('not-an-email');
  await password.fill('correct horse battery staple');
  await submit.click();
  await expect(page.getByText('Enter a valid email address, like name@example.com.')).toBeVisible();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toBeFocused();
  await expect(
    page.getByRole('alert').filter({ hasText: 'Invalid email or password' }),
  ).toHaveCount(0);

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);

  await email.fill('ana.lyst@example.com');
  await submit.click();
  // the same generic answer as for a wrong password.
  await expect(
    page.getByRole('alert').filter({ hasText: 'Invalid email or password' }),
  ).toBeVisible();

  const axeAfterSubmit = await new AxeBuilder({ page }).analyze();
  expect(axeAfterSubmit.violations).toEqual([]);
});
