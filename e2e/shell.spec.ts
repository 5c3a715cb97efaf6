import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

const TOOLS = [
  { name: 'Margin calculator', path: '/margin' },
  { name: 'Backtests', path: '/backtest' },
  { name: 'Return analyzer', path: '/returns' },
  { name: 'Credit analyzer', path: '/credit' },
];

function startsWith(text: string): RegExp {
  return new RegExp(`^${text}\\b`);
}

test('the hub shell shows its tools, its version, and reaches every tool', async ({
  page,
  request,
}) => {
  const metaResponse = await request.get('/api/meta');
  expect(metaResponse.ok()).toBe(true);
  const meta = (await metaResponse.json()) as { version: string };

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Umbrella Hub' })).toBeVisible();
  await expect(page.getByRole('contentinfo')).toContainText(meta.version);

  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  const links = nav.getByRole('link');
  await expect(links).toHaveCount(TOOLS.length);
  for (const [index, tool] of TOOLS.entries()) {
    await expect(links.nth(index)).toHaveAccessibleName(startsWith(tool.name));
    await expect(links.nth(index)).toHaveAttribute('href', tool.path);
  }

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);

  // Keyboard: focus the first tool link and follow it with Enter.
  await links.first().focus();
  await page.keyboard.press('Enter');
  // The margin calculator is built and is for signed-in users: a visitor is sent to sign in,
  // and comes back to it afterwards.
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fmargin$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();

  // The tools still to come say so.
  for (const tool of TOOLS.slice(1)) {
    await nav.getByRole('link', { name: startsWith(tool.name) }).click();
    await expect(page).toHaveURL(new RegExp(`${tool.path}$`));
    await expect(page.getByRole('heading', { level: 1, name: tool.name })).toBeVisible();
    await expect(page.getByText(`${tool.name} is not available yet`)).toBeVisible();
  }
});
