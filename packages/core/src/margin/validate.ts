import type { z } from 'zod';
import { marginInputsSchema, type MarginInputs } from '../contracts/margin.js';
import { leverageCap, ruleOf } from './rules.js';

/** One bad input, named by its field ("leverage", "current_price"). */
export interface MarginIssue {
  path: string;
  message: string;
}

export type MarginValidation =
  { ok: true; inputs: MarginInputs } | { ok: false; issues: MarginIssue[] };

/** zod issues as field-named issues. */
export function issuesOf(error: z.ZodError): MarginIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

/**
 * The leverage cap of A.6 on top of the B.1 ranges: leverage above the feasible maximum for the
 * account, position and price is refused, except 1.0x, which is always allowed (with the
 * feasibility warning when not even 1.0x can be held, e.g. a Reg T short below $5).
 */
export function leverageIssue(inputs: MarginInputs): MarginIssue | null {
  const cap = leverageCap(ruleOf(inputs), inputs.current_price);
  // Leverage is typed in tenths; a hair of float error (2.0000000001) is still 2.0.
  if (inputs.leverage <= cap.maxLeverage + 1e-9) return null;
  const ratePct = Math.round(cap.maintenanceRate * 10_000) / 100;
  return {
    path: 'leverage',
    message: `leverage must be at most ${cap.maxLeverage.toFixed(1)}x: a maintenance requirement of ${ratePct} % needs equity above ${ratePct} % of the position, so leverage must stay below ${(1 / cap.maintenanceRate).toFixed(2)}x`,
  };
}

/** B.1 ranges, then the A.6 leverage cap: the inputs ready for `calculateMargin`, or the issues. */
export function validateMarginInputs(raw: unknown): MarginValidation {
  const parsed = marginInputsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, issues: issuesOf(parsed.error) };
  const issue = leverageIssue(parsed.data);
  return issue === null ? { ok: true, inputs: parsed.data } : { ok: false, issues: [issue] };
}
