import type { AccountType, MarginInputs, PmStress, PositionType } from '../contracts/margin.js';
import { LEVERAGE_MAX, LEVERAGE_MIN, REG_T } from './conventions.js';

/** The rules in force for one calculation (A.6 with the options of B.1). */
export interface MaintenanceRule {
  account: AccountType;
  position: PositionType;
  pmStress: PmStress;
  /** The house rate replacing the account's maintenance rate, or null. */
  override: number | null;
}

export function ruleOf(inputs: MarginInputs): MaintenanceRule {
  return {
    account: inputs.account_type,
    position: inputs.position_type,
    pmStress: inputs.pm_stress,
    override: inputs.maintenance_override,
  };
}

/**
 * Reg T short maintenance per share (FINRA 4210(c)(2)): max(30 % of P, $5) at P >= $5,
 * max(100 % of P, $2.50) below.
 */
export function regTShortRequirementPerShare(price: number): number {
  return price >= REG_T.lowPriceThreshold
    ? Math.max(REG_T.shortMaintenanceRate * price, REG_T.shortMinimumPerShare)
    : Math.max(price, REG_T.lowPriceMinimumPerShare);
}

/** Maintenance required per share held at `price`: `m*P` for a flat rate, B.3 `req(P)` for a Reg T short. */
export function requirementPerShare(rule: MaintenanceRule, price: number): number {
  if (rule.override !== null) return rule.override * price;
  if (rule.account === 'portfolio') return rule.pmStress * price;
  return rule.position === 'Long'
    ? REG_T.maintenanceLong * price
    : regTShortRequirementPerShare(price);
}

/** The maintenance rate in force at `price`: the flat rate, or `req(P)/P` for a Reg T short. */
export function maintenanceRate(rule: MaintenanceRule, price: number): number {
  return requirementPerShare(rule, price) / price;
}

/**
 * The price at which a short's equity `C - n*P'` meets the requirement `n*req(P')` (B.3), from
 * `k = C/n`. Reg T's requirement is piecewise, so is its solution; the pieces meet at their
 * edges (k = 65/3, 10, 5), so the thresholds need no tolerance.
 */
export function shortCallPrice(rule: MaintenanceRule, creditPerShare: number): number {
  const k = creditPerShare;
  if (rule.override !== null) return k / (1 + rule.override);
  if (rule.account === 'portfolio') return k / (1 + rule.pmStress);
  return regTShortCallPrice(k);
}

export function regTShortCallPrice(creditPerShare: number): number {
  const k = creditPerShare;
  const rate = REG_T.shortMaintenanceRate;
  // P' = k/1.3 holds while 0.3*P' >= $5, i.e. P' >= 5/0.3, i.e. k >= (5/0.3)*1.3 = 21.667.
  const flatRateFrom = (REG_T.shortMinimumPerShare / rate) * (1 + rate);
  if (k >= flatRateFrom) return k / (1 + rate);
  // $5 a share while $5 <= P' < 16.67: k = P' + 5.
  if (k >= REG_T.lowPriceThreshold + REG_T.shortMinimumPerShare)
    return k - REG_T.shortMinimumPerShare;
  // 100 % while $2.50 <= P' < $5: k = 2*P'.
  if (k >= 2 * REG_T.lowPriceMinimumPerShare) return k / 2;
  return k - REG_T.lowPriceMinimumPerShare;
}

/**
 * A.6: the largest multiple of 0.1 strictly below 1/m, at most 7.0, as tenths. A rate that is a
 * whole number of basis points goes through integers (`ceil(100000/m_bp) - 1`), so that exact
 * edges (1/0.25 = 4.0) are never feasible by a floating-point hair.
 */
export function leverageCapTenths(rate: number): number {
  const basisPoints = rate * 10_000;
  const whole = Math.round(basisPoints);
  const tenths =
    Math.abs(basisPoints - whole) < 1e-6 && whole > 0
      ? Math.ceil(100_000 / whole) - 1
      : Math.ceil(10 / rate) - 1;
  return Math.min(LEVERAGE_MAX * 10, tenths);
}

export interface LeverageCap {
  /** The highest leverage the form offers: at least 1.0 (the control never goes below). */
  maxLeverage: number;
  /** The maintenance rate the cap comes from. */
  maintenanceRate: number;
  /** False when not even 1.0x is feasible (a Reg T short below $5): 1.0x with a warning. */
  anyFeasible: boolean;
}

/** The form's leverage cap for an account, position and price (A.6). */
export function leverageCap(rule: MaintenanceRule, price: number): LeverageCap {
  const rate = maintenanceRate(rule, price);
  const tenths = leverageCapTenths(rate);
  const anyFeasible = tenths >= LEVERAGE_MIN * 10;
  return {
    maxLeverage: anyFeasible ? tenths / 10 : LEVERAGE_MIN,
    maintenanceRate: rate,
    anyFeasible,
  };
}
