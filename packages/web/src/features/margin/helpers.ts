/**
 * The calculator page's pure parts: the form and its shareable query string, the leverage cap
 * explanation (specs/margin.md A.6), units and definitions of every result field, number
 * formatting and the equity/loan chart data. No React, so they are unit-tested directly.
 */
import {
  leverageCap,
  wireToNumber,
  type AccountType,
  type MarginRequestInput,
  type MarginResultJson,
  type PositionType,
  type WireNumber,
} from '@hub/core';

export const MARGIN_API = '/api/margin/calculations';

/** The form as typed: numbers the user has not entered are ''. */
export interface MarginForm {
  ticker: string;
  investment_amount: number | '';
  leverage: number | '';
  current_price: number | '';
  account_type: AccountType;
  position_type: PositionType;
  interest_rate: number | '';
  holding_period: number | '';
  pm_stress: 0.15 | 0.08;
  maintenance_override: number | '';
  day_count_basis: 365 | 360;
  borrow_fee_rate: number | '';
}

/** The seed's example (specs/margin.md B.6), with the price left to the latest stored close. */
export const DEFAULT_FORM: MarginForm = {
  ticker: 'SPY',
  investment_amount: 100_000,
  leverage: 2,
  current_price: '',
  account_type: 'reg_t',
  position_type: 'Long',
  interest_rate: 5.5,
  holding_period: 24,
  pm_stress: 0.15,
  maintenance_override: '',
  day_count_basis: 365,
  borrow_fee_rate: '',
};

function numberParam(value: string | null): number | '' {
  if (value === null || value.trim() === '') return '';
  const number = Number(value);
  return Number.isFinite(number) ? number : '';
}

/** The form a shared link describes; anything missing or unreadable keeps its default. */
export function formFromSearch(params: URLSearchParams): MarginForm {
  const form: MarginForm = { ...DEFAULT_FORM };
  const ticker = params.get('ticker');
  if (ticker !== null && ticker.trim() !== '') form.ticker = ticker.trim().toUpperCase();
  for (const key of [
    'investment_amount',
    'leverage',
    'current_price',
    'interest_rate',
    'holding_period',
    'maintenance_override',
    'borrow_fee_rate',
  ] as const) {
    if (params.has(key)) form[key] = numberParam(params.get(key));
  }
  const account = params.get('account_type');
  if (account === 'reg_t' || account === 'portfolio') form.account_type = account;
  const position = params.get('position_type');
  if (position === 'Long' || position === 'Short') form.position_type = position;
  if (params.get('pm_stress') === '0.08') form.pm_stress = 0.08;
  if (params.get('day_count_basis') === '360') form.day_count_basis = 360;
  return form;
}

/** The query string of a shareable link: every input that is set, in a stable order. */
export function searchFromForm(form: MarginForm): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form) as [
    keyof MarginForm,
    MarginForm[keyof MarginForm],
  ][]) {
    if (value !== '') params.set(key, String(value));
  }
  return params;
}

/** The API request for the form ('' fields left out, so that the server's defaults apply). */
export function requestFromForm(form: MarginForm): Record<string, unknown> {
  const request: Record<string, unknown> = {
    ticker: form.ticker,
    investment_amount: form.investment_amount === '' ? undefined : form.investment_amount,
    leverage: form.leverage === '' ? undefined : form.leverage,
    account_type: form.account_type,
    position_type: form.position_type,
    interest_rate: form.interest_rate === '' ? undefined : form.interest_rate,
    holding_period: form.holding_period === '' ? undefined : form.holding_period,
    day_count_basis: form.day_count_basis,
  };
  if (form.current_price !== '') request.current_price = form.current_price;
  if (form.account_type === 'portfolio') request.pm_stress = form.pm_stress;
  if (form.maintenance_override !== '') request.maintenance_override = form.maintenance_override;
  if (form.position_type === 'Short' && form.borrow_fee_rate !== '') {
    request.borrow_fee_rate = form.borrow_fee_rate;
  }
  return request satisfies Partial<Record<keyof MarginRequestInput, unknown>>;
}

export interface LeverageLimit {
  /** The highest leverage the form offers (1.0 when nothing is feasible). */
  max: number;
  /** One sentence saying why (A.6). */
  explanation: string;
}

function percentText(rate: number): string {
  return `${PERCENT_FORMAT.format(rate * 100)} %`;
}

/**
 * The form's leverage cap for the chosen account (A.6), with its explanation. A Short's Reg T
 * requirement depends on the price; without one the $100-a-share rate (30 %) is assumed and said.
 */
export function leverageLimit(form: MarginForm, price: number | null): LeverageLimit {
  const override = form.maintenance_override === '' ? null : form.maintenance_override;
  const cap = leverageCap(
    {
      account: form.account_type,
      position: form.position_type,
      pmStress: form.pm_stress,
      override,
    },
    price ?? 100,
  );
  const rate = cap.maintenanceRate;
  const what =
    override !== null
      ? `A house maintenance rate of ${percentText(rate)}`
      : form.account_type === 'portfolio'
        ? `Portfolio margin with a ${percentText(form.pm_stress)} stress`
        : form.position_type === 'Long'
          ? 'Reg T with the FINRA 25 % maintenance minimum'
          : `A Reg T short (maintenance the greater of 30 % or $5 a share${price === null ? ', assumed 30 % until the price is known' : ''})`;
  if (!cap.anyFeasible) {
    return {
      max: 1,
      explanation: `${what} needs at least ${percentText(rate)} of the position as equity, so even 1.0x starts in a margin call.`,
    };
  }
  const limit = 1 / rate;
  const capped = cap.maxLeverage === 7 && limit > 7;
  return {
    max: cap.maxLeverage,
    explanation: capped
      ? `${what} would allow up to ${RATIO_FORMAT.format(limit)}x; the calculator stops at 7.0x.`
      : `${what} needs equity above ${percentText(rate)} of the position, so leverage must stay below 1/${PLAIN_FORMAT.format(rate)} = ${RATIO_FORMAT.format(limit)}x.`,
  };
}

export type Unit =
  | 'usd'
  | 'usd_per_share'
  | 'usd_per_day'
  | 'usd_per_month'
  | 'usd_per_year'
  | 'pct'
  | 'pct_per_year'
  | 'x'
  | 'shares'
  | 'days'
  | 'bool';

const USD_FORMAT = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const PERCENT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const RATIO_FORMAT = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 2,
});
const SHARES_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
const PLAIN_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

const UNIT_SUFFIX: Partial<Record<Unit, string>> = {
  usd_per_share: ' per share',
  usd_per_day: ' per day',
  usd_per_month: ' per month',
  usd_per_year: ' per year',
  pct_per_year: ' per year',
};

/** A value as shown: money in dollars and cents, fractions as percent, unbounded as "unlimited". */
export function formatValue(value: WireNumber | boolean | null, unit: Unit): string {
  if (value === null) return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  const number = wireToNumber(value);
  if (number === Number.POSITIVE_INFINITY) return 'unlimited';
  if (number === Number.NEGATIVE_INFINITY) return '−unlimited';
  const suffix = UNIT_SUFFIX[unit] ?? '';
  switch (unit) {
    case 'usd':
    case 'usd_per_share':
    case 'usd_per_day':
    case 'usd_per_month':
    case 'usd_per_year':
      return `${USD_FORMAT.format(number)}${suffix}`;
    case 'pct':
    case 'pct_per_year':
      return `${PERCENT_FORMAT.format(number * 100)} %${suffix}`;
    case 'x':
      return `${RATIO_FORMAT.format(number)}x`;
    case 'shares':
      return `${SHARES_FORMAT.format(number)} shares`;
    case 'days':
      return `${PLAIN_FORMAT.format(number)} days`;
    case 'bool':
      return number === 0 ? 'No' : 'Yes';
  }
}

type ResultKey = Exclude<
  keyof MarginResultJson,
  'scenarios' | 'warnings' | 'display' | 'position_type' | 'account_type'
>;

export interface FieldInfo {
  key: ResultKey;
  label: string;
  unit: Unit;
  definition: string;
}

export interface FieldGroup {
  title: string;
  fields: FieldInfo[];
}

/** Every result field, grouped as on the page, with its unit and definition (specs/margin.md B.2-B.4). */
export const RESULT_GROUPS: readonly FieldGroup[] = [
  {
    title: 'Position',
    fields: [
      {
        key: 'position_value',
        label: 'Position value',
        unit: 'usd',
        definition: 'The market value of the position at entry: the investment amount I.',
      },
      {
        key: 'short_proceeds',
        label: 'Short proceeds',
        unit: 'usd',
        definition: 'Short only: the cash received for the shares sold short, I.',
      },
      {
        key: 'credit_balance',
        label: 'Credit balance',
        unit: 'usd',
        definition:
          'Short only: proceeds plus your deposit, I + I/L; your equity is this less the shares’ market value.',
      },
      {
        key: 'cash_required',
        label: 'Cash required',
        unit: 'usd',
        definition: 'Your own money (equity) at entry: I / L.',
      },
      {
        key: 'shares',
        label: 'Shares (whole)',
        unit: 'shares',
        definition:
          'Whole shares the amount buys, floor(I / P). Risk prices use the exact number below.',
      },
      {
        key: 'shares_exact',
        label: 'Shares (exact)',
        unit: 'shares',
        definition: 'I / P, the notional shares every risk price is computed on.',
      },
      {
        key: 'whole_share_cost',
        label: 'Cost of whole shares',
        unit: 'usd',
        definition: 'Whole shares × price.',
      },
      {
        key: 'uninvested_cash',
        label: 'Uninvested cash',
        unit: 'usd',
        definition: 'What whole shares leave over: I − shares × P.',
      },
      { key: 'leverage_x', label: 'Leverage', unit: 'x', definition: 'Market value / equity, L.' },
      {
        key: 'return_multiplier_x',
        label: 'Return multiplier',
        unit: 'x',
        definition: 'Equity return ≈ L × asset return − (L − 1) × interest.',
      },
      {
        key: 'pnl_per_1pct_move',
        label: 'Gain or loss per 1 % move',
        unit: 'usd',
        definition: '0.01 × I: what a 1 % price move changes your equity by.',
      },
    ],
  },
  {
    title: 'Loan and requirements',
    fields: [
      {
        key: 'margin_loan',
        label: 'Margin loan',
        unit: 'usd',
        definition: 'The borrowed part, I − I/L (for a Short, the financed part of the exposure).',
      },
      {
        key: 'equity_pct',
        label: 'Equity share',
        unit: 'pct',
        definition: 'Equity / market value at entry, 1/L.',
      },
      {
        key: 'loan_to_value_pct',
        label: 'Loan to value',
        unit: 'pct',
        definition: 'Loan / market value, (L − 1)/L.',
      },
      {
        key: 'initial_margin_rate_pct',
        label: 'Initial margin rate',
        unit: 'pct',
        definition: 'Equity share required to open: Reg T 50 %, portfolio margin its stress.',
      },
      {
        key: 'initial_margin_required',
        label: 'Initial margin required',
        unit: 'usd',
        definition: 'Initial rate × I.',
      },
      {
        key: 'initial_margin_excess',
        label: 'Initial margin excess',
        unit: 'usd',
        definition:
          'Cash required − initial margin required; below 0 the account could not open the position.',
      },
      {
        key: 'meets_initial_requirement',
        label: 'Meets the initial requirement',
        unit: 'bool',
        definition: 'Whether equity at entry is at least the initial requirement.',
      },
      {
        key: 'max_leverage_initial_x',
        label: 'Maximum leverage to open',
        unit: 'x',
        definition: '1 / initial rate.',
      },
      {
        key: 'maintenance_rate_pct',
        label: 'Maintenance rate',
        unit: 'pct',
        definition:
          'Equity share required to hold the position (FINRA 25 %, a house rate, the PM stress, or for a Reg T short the greater of 30 % or $5 a share).',
      },
      {
        key: 'maintenance_requirement',
        label: 'Maintenance requirement',
        unit: 'usd',
        definition: 'Maintenance rate × market value at entry.',
      },
      {
        key: 'maintenance_excess',
        label: 'Maintenance excess',
        unit: 'usd',
        definition: 'Equity − maintenance requirement at entry.',
      },
      {
        key: 'max_leverage_maintenance_x',
        label: 'Maximum leverage to hold',
        unit: 'x',
        definition: '1 / maintenance rate: above it the position starts in a margin call.',
      },
      {
        key: 'is_feasible',
        label: 'Can be held',
        unit: 'bool',
        definition: 'Whether 1/L is above the maintenance rate.',
      },
      {
        key: 'sma',
        label: 'SMA',
        unit: 'usd',
        definition: 'Special memorandum account at entry: max(0, equity − initial requirement).',
      },
      {
        key: 'buying_power_total',
        label: 'Buying power',
        unit: 'usd',
        definition: 'Equity / initial rate: the largest position this equity could open.',
      },
      {
        key: 'buying_power_remaining',
        label: 'Buying power left',
        unit: 'usd',
        definition: 'max(0, buying power − I).',
      },
    ],
  },
  {
    title: 'Margin call and cushion',
    fields: [
      {
        key: 'margin_call_price',
        label: 'Margin call price',
        unit: 'usd_per_share',
        definition:
          'The price at which equity falls to the maintenance requirement: P(1 − 1/L)/(1 − m) for a Long.',
      },
      {
        key: 'margin_call_drop_pct',
        label: 'Cushion (fall to the call)',
        unit: 'pct',
        definition:
          '1 − call price / P: how far the price can fall before the call (negative for a Short: it must rise).',
      },
      {
        key: 'margin_call_rise_pct',
        label: 'Rise to the call',
        unit: 'pct',
        definition: 'Short only: call price / P − 1.',
      },
      {
        key: 'margin_call_market_value',
        label: 'Market value at the call',
        unit: 'usd',
        definition: 'Exact shares × call price.',
      },
      {
        key: 'equity_at_margin_call',
        label: 'Equity at the call',
        unit: 'usd',
        definition: 'Maintenance rate × market value at the call.',
      },
      {
        key: 'loss_at_margin_call',
        label: 'Loss to reach the call',
        unit: 'usd',
        definition: 'Cash required − equity at the call.',
      },
      {
        key: 'loss_at_margin_call_pct_of_equity',
        label: 'Loss to the call, of equity',
        unit: 'pct',
        definition: 'Loss to reach the call / cash required.',
      },
      {
        key: 'house_call_price_30',
        label: 'Call price at a 30 % house rate',
        unit: 'usd_per_share',
        definition: 'The call price if the broker asked 30 % maintenance.',
      },
      {
        key: 'margin_call_price_reg_t',
        label: 'Call price under Reg T',
        unit: 'usd_per_share',
        definition: 'The call price at the FINRA minimum (25 % Long; 30 % or $5 a share Short).',
      },
      {
        key: 'margin_call_price_portfolio',
        label: 'Call price under portfolio margin 15 %',
        unit: 'usd_per_share',
        definition: 'The call price at a 15 % portfolio-margin stress.',
      },
      {
        key: 'liquidation_price',
        label: 'Wipe-out price',
        unit: 'usd_per_share',
        definition:
          'The price at which equity reaches 0: loan / shares for a Long, credit / shares for a Short.',
      },
      {
        key: 'liquidation_drop_pct',
        label: 'Fall to wipe-out',
        unit: 'pct',
        definition: '1 − wipe-out price / P (1/L for a Long).',
      },
    ],
  },
  {
    title: 'Interest',
    fields: [
      {
        key: 'holding_period_days',
        label: 'Holding period',
        unit: 'days',
        definition: 'Calendar days, months × 365/12.',
      },
      {
        key: 'daily_interest',
        label: 'Daily interest',
        unit: 'usd_per_day',
        definition: 'Loan × rate / day-count basis (365, or 360 as most brokers).',
      },
      {
        key: 'monthly_interest',
        label: 'Monthly interest',
        unit: 'usd_per_month',
        definition: 'Loan × rate / 12.',
      },
      {
        key: 'annual_interest',
        label: 'Annual interest',
        unit: 'usd_per_year',
        definition: 'Loan × rate.',
      },
      {
        key: 'total_interest',
        label: 'Total interest',
        unit: 'usd',
        definition:
          'Simple interest over the holding period, paid as it accrues: loan × rate × months/12.',
      },
      {
        key: 'total_interest_compound_monthly',
        label: 'Total, compounded monthly',
        unit: 'usd',
        definition: 'If each month’s interest is added to the loan, as brokers post it.',
      },
      {
        key: 'total_interest_compound_daily',
        label: 'Total, compounded daily',
        unit: 'usd',
        definition: 'Loan × ((1 + rate/basis)^days − 1).',
      },
      {
        key: 'effective_annual_rate_pct',
        label: 'Effective annual rate',
        unit: 'pct_per_year',
        definition: '(1 + rate/12)^12 − 1 with monthly posting.',
      },
      {
        key: 'interest_pct_of_equity',
        label: 'Interest, of equity',
        unit: 'pct',
        definition: 'Total interest / cash required.',
      },
      {
        key: 'annual_interest_pct_of_equity',
        label: 'Yearly interest, of equity',
        unit: 'pct_per_year',
        definition: '(L − 1) × rate.',
      },
      {
        key: 'borrow_fee_total',
        label: 'Stock-borrow fee',
        unit: 'usd',
        definition:
          'Short only: I × borrow fee × months/12. A short pays this on the shares’ value; the interest rate is applied to the financed part as a proxy.',
      },
      {
        key: 'total_carry_cost',
        label: 'Total carry cost',
        unit: 'usd',
        definition: 'Total interest + borrow fee.',
      },
    ],
  },
  {
    title: 'Break-even',
    fields: [
      {
        key: 'breakeven_price',
        label: 'Break-even price',
        unit: 'usd_per_share',
        definition:
          'The price at which the move pays the carry: P + carry / shares for a Long, P − carry / shares for a Short.',
      },
      {
        key: 'breakeven_move_pct',
        label: 'Break-even move',
        unit: 'pct',
        definition: 'Carry / I: the move needed (negative for a Short: a fall).',
      },
      {
        key: 'annual_hurdle_return_pct',
        label: 'Yearly hurdle',
        unit: 'pct_per_year',
        definition:
          'The yearly asset move that pays a year’s carry: rate × (1 − 1/L), plus the borrow fee for a Short.',
      },
      {
        key: 'max_theoretical_loss',
        label: 'Largest possible loss',
        unit: 'usd',
        definition: 'Price to 0 for a Long: I + carry. Unlimited for a Short.',
      },
    ],
  },
];

/** The cent-rounded copy the server sends (B.7) where there is one, else the raw value. */
export function shownValue(result: MarginResultJson, key: ResultKey): WireNumber | boolean | null {
  const display = result.display as Record<string, WireNumber | undefined>;
  return display[key] ?? result[key];
}

export interface ChartData {
  prices: number[];
  equity: number[];
  loan: number[];
  callPrice: number | null;
}

/**
 * Equity and loan against the price from 40 % to 160 % of entry (41 points): a Long's equity is
 * n P' − D against a fixed loan D; a Short's is C − n P' against the borrowed shares' value n P'.
 */
export function equityChartData(result: MarginResultJson): ChartData {
  const P = result.current_price;
  const n = result.shares_exact;
  const prices: number[] = [];
  const equity: number[] = [];
  const loan: number[] = [];
  for (let step = 0; step <= 40; step += 1) {
    const price = (P * (40 + 3 * step)) / 100;
    prices.push(price);
    if (result.position_type === 'Long') {
      equity.push(n * price - result.margin_loan);
      loan.push(result.margin_loan);
    } else {
      equity.push((result.credit_balance ?? 0) - n * price);
      loan.push(n * price);
    }
  }
  const call = wireToNumber(result.margin_call_price);
  return { prices, equity, loan, callPrice: Number.isFinite(call) && call > 0 ? call : null };
}
