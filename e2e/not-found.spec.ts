import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

test('unknown pages and API routes answer "not found"', async ({ page, request }) => {
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expect(page.getByText('/no-such-page')).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);

  const response = await request.get('/api/no-such-route');
  expect(response.status()).toBe(404);
  expect(response.headers()['content-type']).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as { status?: unknown; title?: unknown };
  expect(problem.status).toBe(404);
  expect(typeof problem.title).toBe('string');
});
