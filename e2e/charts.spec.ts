import fs from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

// The PNG signature (ISO/IEC 15948, section 5.2): 137 80 78 71 13 10 26 10.
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

test('the chart page draws a chart and exports it as PNG and CSV', async ({ page }) => {
  await page.goto('/dev/charts');
  const chart = page.getByRole('img', { name: 'Compounding index' });
  await expect(chart).toBeVisible();
  await expect(chart.locator('canvas').first()).toBeVisible();

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);

  const pngDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download PNG' }).click();
  const png = await pngDownload;
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const pngBytes = await fs.readFile(await png.path());
  expect([...pngBytes.subarray(0, PNG_SIGNATURE.length)]).toEqual(PNG_SIGNATURE);

  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const lines = (await fs.readFile(await csv.path(), 'utf8')).split('\r\n');
  // First weekday of the series: Tuesday 2 January 2024; value 100 * 1.001^0 = 100.
  expect(lines[0]).toBe('date,value');
  expect(lines[1]).toBe('2024-01-02,100');
  // 250 records after the header, then the empty string after the final CRLF.
  expect(lines).toHaveLength(252);
});
