import type { AccountType, DayCountBasis, PmStress } from '../contracts/margin.js';

/**
 * The calculator's conventions (specs/margin.md section 0, A.6, B), each a named constant with
 * the spec's default. Rates are fractions.
 */

/** A.6 ACCOUNT_RULES: Reg T 50 % to open (150 % incl. proceeds for a short), FINRA 25 % to hold. */
export const REG_T = {
  initialLong: 0.5,
  maintenanceLong: 0.25,
  initialShort: 0.5,
  /** FINRA 4210(c)(2), price >= $5: the greater of 30 % or $5.00 per share. */
  shortMaintenanceRate: 0.3,
  shortMinimumPerShare: 5,
  /** Below $5: the greater of 100 % or $2.50 per share. */
  lowPriceThreshold: 5,
  lowPriceMinimumPerShare: 2.5,
} as const;

/** Decision 2: portfolio margin uses its stress as both initial and maintenance rate. */
export const DEFAULT_PM_STRESS: PmStress = 0.15;

/** B.4: the seed's daily interest (7.53) is D*r/365; 360 is the broker option. */
export const DEFAULT_DAY_COUNT_BASIS: DayCountBasis = 365;

/** B.2 #35: holding days are calendar days, H*365/12, whatever the interest basis. */
export const CALENDAR_DAYS_PER_YEAR = 365;
export const MONTHS_PER_YEAR = 12;

/** B.2 #30-32: reference call prices at fixed rates, shown whatever the account. */
export const REFERENCE_HOUSE_RATE = 0.3;
export const REFERENCE_REG_T_RATE = REG_T.maintenanceLong;
export const REFERENCE_PM_RATE = DEFAULT_PM_STRESS;

/** A.6: the leverage control runs 1.0x to 7.0x (the seed's slider cap) in steps of 0.1. */
export const LEVERAGE_MIN = 1;
export const LEVERAGE_MAX = 7;
export const LEVERAGE_STEP = 0.1;

/** B.5: price moves -50 % to +50 % in steps of 10 %, as tenths so that no float drift creeps in. */
export const SCENARIO_MOVES: readonly number[] = [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5].map(
  (tenths) => tenths / 10,
);

/** B.7: a guard of 1e-9 against binary representation (2.675 rounds to 2.68). */
export const ROUNDING_GUARD = 1e-9;

/**
 * The default shares convention (B.2 "Why n is exact"): `shares` shows whole shares, while every
 * risk price uses the exact notional I/P shares, as the seed's 300.17 does.
 */
export const SHARES_CONVENTION = 'whole-share display, exact-share risk prices' as const;

export function initialRate(account: AccountType, pmStress: PmStress): number {
  // Long and short share the Reg T 50 % (the short's 100 % proceeds are in the credit balance).
  return account === 'reg_t' ? REG_T.initialLong : pmStress;
}
