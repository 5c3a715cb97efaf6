import type { MarginResultJson, WireNumber } from '../contracts/margin.js';
import type { MarginResult } from './calculate.js';

/**
 * JSON has no infinity (B.3): an unbounded figure travels as the string "Infinity" (or
 * "-Infinity"), which `JSON.stringify` would otherwise turn into null. NaN never comes out of the
 * engine; finding one is a bug, so it throws rather than storing a lie.
 */
function wireValue(_key: string, value: unknown): unknown {
  if (typeof value !== 'number' || Number.isFinite(value)) return value;
  if (Number.isNaN(value)) throw new Error('margin engine produced NaN');
  return value > 0 ? 'Infinity' : '-Infinity';
}

/** A result as JSON text, in one pass (the history stores it and the API sends it as is). */
export function marginResultJsonText(result: MarginResult): string {
  return JSON.stringify(result, wireValue);
}

/** A result as JSON carries it: every field, unbounded figures as "Infinity". */
export function marginResultToJson(result: MarginResult): MarginResultJson {
  return JSON.parse(marginResultJsonText(result)) as MarginResultJson;
}

/** The number a wire value stands for ("Infinity" back to Infinity). */
export function wireToNumber(value: WireNumber): number {
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return value;
}
