import fs from 'node:fs/promises';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import {
  adminThroughApi,
  invitedAccount,
  signInAsNewAdmin,
  signOutButton,
  submitPassword,
} from './helpers/accounts.js';
import { expect, test } from './helpers/hub.js';

// The real data folder (../shared/data, see its README): the hub imports it at start-up.
const marketDataDir = path.resolve(
  import.meta.dirname,
  '..',
  process.env.MARKET_DATA_DIR ?? '../shared/data',
);
// No remote provider: the journeys must not depend on the network (a symbol that is not stored
// is looked up in the data folder only).
const OFFLINE = { MARKET_DATA_PROVIDERS: 'csv-dir' };

/** A price CSV as its header and rows, every field after the date read as a number. */
function csvRecords(text: string): { header: string; rows: (string | number)[][] } {
  const [header = '', ...lines] = text.trimEnd().split(/\r?\n/);
  const rows = lines.map((line) =>
    line.split(',').map((field, index) => (index === 0 ? field : Number(field))),
  );
  return { header, rows };
}

const VIEWER = { email: 'vera.viewer@example.com', password: 'amber meadow 42 compass' };

// Journey (issue 4, web): a viewer opens Market data, finds the imported symbols with the ranges
// and row counts of ../shared/data/README.md ("Contents, ranges and rows"), opens SPY's chart and
// exports it; the page passes axe.
test.describe('with ../shared/data imported at start-up', () => {
  test.use({ hubOptions: { env: { ...OFFLINE, MARKET_DATA_DIR: marketDataDir } } });

  test('a viewer browses the market data and opens the SPY chart', async ({
    page,
    request,
    hub,
  }) => {
    await adminThroughApi(request, hub);
    await invitedAccount(request, hub, 'viewer', VIEWER);
    await submitPassword(page, VIEWER);
    await expect(signOutButton(page)).toBeVisible();

    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Market data' })
      .click();
    await expect(page).toHaveURL(/\/market-data$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Market data' })).toBeVisible();

    const symbols = page.getByRole('table', { name: /Stored symbols/ });
    // README: 8 price files.
    await expect(symbols.locator('tbody tr')).toHaveCount(8);
    const spy = page.getByTestId('symbol-row-SPY');
    // README: SPY 1993-01-29..2025-09-26, 8222 rows, 132 dividend events.
    await expect(spy.getByRole('cell')).toHaveText([
      /.*/, // name: whatever the source gives
      '1993-01-29',
      '2025-09-26',
      '8,222',
      '132',
      /^(Data folder|Imported CSV)$/,
      /ago|just now/,
    ]);
    // README: EFFR 2000-07-03..2026-04-22, 6478 rows; 3 rate files.
    await expect(page.getByRole('table', { name: /rate series/ }).locator('tbody tr')).toHaveCount(
      3,
    );
    await expect(page.getByTestId('rate-row-EFFR').getByRole('cell')).toHaveText([
      'Effective federal funds rate, daily',
      '2000-07-03',
      '2026-04-22',
      '6,478',
      /ago|just now/,
    ]);
    await expect(page.getByTestId('dataset-version')).not.toBeEmpty();

    // Every column name explains itself on keyboard focus (Tab from the one before).
    await symbols.getByText('Last day').focus();
    await page.keyboard.press('Tab');
    await expect(symbols.getByText('Bars (days)')).toBeFocused();
    await expect(page.getByRole('tooltip')).toContainText('one per trading day');

    // Keyboard: the symbol link opens the chart.
    await spy.getByRole('link', { name: 'SPY' }).focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/market-data\?symbol=SPY$/);
    await expect(page.getByRole('heading', { level: 2, name: 'SPY price chart' })).toBeVisible();
    await expect(page.getByText('8,222 trading days from 1993-01-29 to 2025-09-26')).toBeVisible();
    const chart = page.getByRole('img', { name: 'SPY daily closes' });
    await expect(chart.locator('canvas').first()).toBeVisible();

    await page.getByRole('switch', { name: 'Log scale' }).check();
    await expect(page.getByRole('switch', { name: 'Log scale' })).toBeChecked();
    await page.getByLabel('From', { exact: true }).fill('2010-01-04');
    await page.getByLabel('To', { exact: true }).fill('2022-12-30');
    await page.getByRole('button', { name: 'Zoom to range' }).click();
    await expect(chart.locator('canvas').first()).toBeVisible();

    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations).toEqual([]);

    // The CSV export holds every stored bar in the source file's layout, with the same numbers
    // (the file writes dividends with 4 decimals, "0.2130"; the export writes the number, "0.213").
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const csv = await fs.readFile(await (await download).path(), 'utf8');
    const source = await fs.readFile(path.join(marketDataDir, 'prices', 'SPY.csv'), 'utf8');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csvRecords(csv)).toEqual(csvRecords(source));

    // A symbol that is not stored, with no provider configured: the server's 404 says how to import.
    await page.getByLabel('Symbol', { exact: true }).fill('ZZZZ');
    await page.getByRole('button', { name: 'Show chart' }).click();
    await expect(
      page.getByRole('alert').filter({ hasText: 'npx umbrella data import' }),
    ).toBeVisible();
  });
});

const GOOD_CSV = [
  'date,open,high,low,close,adj_close,volume,dividend,split',
  '2024-01-02,10,11,9.5,10.5,10.5,1000,0,0',
  '2024-01-03,10.5,11,10,10.8,10.8,1200,0,0',
  '2024-01-04,10.8,11.2,10.6,11,11,900,0.1,0',
].join('\n');

// Line 3 of the file (the second data row) has a close that is not a number.
const BAD_CSV = [
  'date,open,high,low,close,adj_close,volume,dividend,split',
  '2024-01-02,10,11,9.5,10.5,10.5,1000,0,0',
  '2024-01-03,10.5,11,10,abc,10.8,1200,0,0',
  '2024-01-04,10.8,11.2,10.6,11,11,900,0,0',
].join('\n');

function csvFile(name: string, text: string) {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') };
}

// Journey (issue 4, web): an admin uploads a small CSV on the admin Market data panel and sees
// what it stored; a CSV with a bad row is refused with the row, column and value in a table.
test.describe('on an empty hub', () => {
  test.use({ hubOptions: { env: OFFLINE } });

  test('an admin uploads a price CSV, then a bad one', async ({ page, hub }) => {
    await signInAsNewAdmin(page, hub);
    await page.goto('/admin');
    await page
      .getByRole('navigation', { name: 'Admin sections' })
      .getByRole('link', { name: 'Market data' })
      .click();
    await expect(page.getByRole('heading', { level: 2, name: 'Market data' })).toBeVisible();
    const form = page.getByRole('form', { name: 'Import market data' });
    const current = page.getByTestId('current-dataset-version');
    await expect(current).not.toBeEmpty();
    const versionBefore = await current.innerText();

    await form.locator('input[type="file"]').setInputFiles(csvFile('UMBT.csv', GOOD_CSV));
    await form.getByRole('button', { name: 'Upload and import' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Import finished' })).toBeVisible();
    const files = page.getByRole('table', { name: /Imported files/ });
    await expect(files.locator('tbody tr')).toHaveCount(1);
    // 3 data rows, all new; none skipped.
    await expect(files.locator('tbody tr').first().locator('th, td')).toHaveText([
      'UMBT.csv',
      'Prices',
      'UMBT',
      '3',
      '3',
      '0',
      '0',
      '0',
    ]);
    const versionAfter = await page.getByTestId('import-dataset-version').innerText();
    expect(versionAfter).not.toBe('');
    expect(versionAfter).not.toBe(versionBefore);

    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations).toEqual([]);

    await form.locator('input[type="file"]').setInputFiles(csvFile('BADX.csv', BAD_CSV));
    await form.getByRole('button', { name: 'Upload and import' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Nothing was imported' })).toBeVisible();
    const problems = page.getByRole('table', { name: 'Problems found' });
    await expect(problems.locator('tbody tr')).toHaveCount(1);
    await expect(problems.locator('tbody tr').first().getByRole('cell').nth(0)).toHaveText(
      'BADX.csv',
    );
    await expect(problems.locator('tbody tr').first().getByRole('cell').nth(1)).toHaveText('3');
    await expect(problems.locator('tbody tr').first().getByRole('cell').nth(2)).toHaveText('close');
    await expect(problems.locator('tbody tr').first().getByRole('cell').nth(3)).toHaveText('abc');

    const axeAfterRefusal = await new AxeBuilder({ page }).analyze();
    expect(axeAfterRefusal.violations).toEqual([]);

    // The uploaded symbol is on the Market data page; the refused one is not.
    await page.goto('/market-data');
    await expect(page.getByTestId('symbol-row-UMBT')).toBeVisible();
    await expect(page.getByTestId('symbol-row-UMBT').getByRole('cell').nth(3)).toHaveText('3');
    await expect(page.getByTestId('symbol-row-BADX')).toHaveCount(0);
  });
});
