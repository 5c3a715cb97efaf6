import { AxeBuilder } from '@axe-core/playwright';
import {
  adminThroughApi,
  invitedAccount,
  signInAsNewAdmin,
  signOutButton,
  submitPassword,
} from './helpers/accounts.js';
import { expect, test } from './helpers/hub.js';

const ANALYST = { email: 'ana.analyst@example.com', password: 'saffron kite ledger 93 margin' };
// No remote provider: the journey must not depend on the network.
const OFFLINE = { MARKET_DATA_PROVIDERS: 'none' };

// Journey (issue 5, acceptance 1 on the page): an analyst opens the margin calculator, enters the
// seed example of specs/margin.md B.6 with a typed price (SPY 450.25, $100,000, 2.0x, reg_t,
// Long, 5.5 %, 24 months) and reads the seed's five figures: cash required $50,000.00, margin loan
// $50,000.00, 222 shares, margin call price $300.17, daily interest $7.53. The calculation is in
// the history, the address shares the inputs, and the page passes axe.
test.use({ hubOptions: { env: OFFLINE } });

test('the seed example on the calculator page', async ({ page, request, hub }) => {
  await adminThroughApi(request, hub);
  await invitedAccount(request, hub, 'analyst', ANALYST);
  await submitPassword(page, ANALYST);
  await expect(signOutButton(page)).toBeVisible();

  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: 'Margin calculator' })
    .click();
  await expect(page).toHaveURL(/\/margin$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Margin calculator' })).toBeVisible();

  const inputs = page.getByRole('form', { name: 'Calculation inputs' });
  await inputs.getByLabel('Ticker').fill('SPY');
  await inputs.getByLabel('Investment amount (USD)').fill('100000');
  await inputs.getByLabel('Current price (USD per share)').fill('450.25');
  await inputs.getByLabel('Account type').selectOption('reg_t');
  await inputs.getByLabel('Position').selectOption('Long');
  await inputs.getByLabel('Leverage (x)').fill('2');
  await inputs.getByLabel('Interest rate (% per year)').fill('5.5');
  await inputs.getByLabel('Holding period (months)').fill('24');
  // The cap and its reason (A.6): Reg T's 25 % maintenance allows up to 3.9x.
  await expect(inputs.getByText(/1\.0x to 3\.9x/)).toBeVisible();
  await inputs.getByRole('button', { name: 'Calculate' }).click();

  await expect(page.getByTestId('result-cash_required')).toHaveText('$50,000.00');
  await expect(page.getByTestId('result-margin_loan')).toHaveText('$50,000.00');
  await expect(page.getByTestId('result-shares')).toHaveText('222 shares');
  await expect(page.getByTestId('result-margin_call_price')).toHaveText('$300.17 per share');
  await expect(page.getByTestId('result-daily_interest')).toHaveText('$7.53 per day');
  await expect(page.getByTestId('price-used')).toContainText('typed by you');
  await expect(
    page
      .getByRole('img', { name: /Equity and loan/ })
      .locator('canvas')
      .first(),
  ).toBeVisible();

  // Saved to the history; the address carries the inputs.
  const history = page.getByRole('table', { name: 'Your calculations' });
  await expect(history.locator('tbody tr')).toHaveCount(1);
  await expect(history.locator('tbody tr').first()).toContainText('SPY');
  await expect(page).toHaveURL(/ticker=SPY/);
  await expect(page).toHaveURL(/current_price=450\.25/);

  // Checked before any tooltip opens: an open tooltip lives in a portal outside the landmarks.
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);

  // Every field explains itself on keyboard focus (Tab from the one before).
  const callTable = page.getByRole('table', { name: 'Margin call and cushion' });
  await callTable.getByText('Margin call price', { exact: true }).focus();
  await page.keyboard.press('Tab');
  await expect(callTable.getByText('Cushion (fall to the call)')).toBeFocused();
  await expect(page.getByRole('tooltip')).toContainText('how far the price can fall');

  // The shared link opens with the same inputs.
  const shared = page.url();
  await page.goto(shared);
  await expect(page.getByLabel('Current price (USD per share)')).toHaveValue('450.25');
  await expect(page.getByLabel('Leverage (x)')).toHaveValue('2');
});

// Journey: an admin saves a calculation and reads the counts per day and per ticker in the admin
// area's "Margin calculations" section.
test('an admin reads the calculation counts', async ({ page, hub }) => {
  await signInAsNewAdmin(page, hub);
  const response = await page.request.post('/api/margin/calculations', {
    data: {
      ticker: 'VTI',
      investment_amount: 10_000,
      leverage: 1.5,
      current_price: 250,
      account_type: 'reg_t',
      position_type: 'Long',
      interest_rate: 6,
      holding_period: 12,
    },
  });
  expect(response.status()).toBe(201);

  await page.goto('/admin/margin');
  await expect(page.getByRole('heading', { level: 2, name: 'Margin calculations' })).toBeVisible();
  await expect(page.getByText('1 calculation saved in all.')).toBeVisible();
  const perTicker = page.getByRole('table', { name: 'Calculations per ticker' });
  await expect(perTicker.locator('tbody tr')).toHaveText(['VTI1']);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);
});
