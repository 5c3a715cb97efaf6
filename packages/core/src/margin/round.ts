import { ROUNDING_GUARD } from './conventions.js';

/**
 * B.7: half away from zero to cents, with a 1e-9 guard against binary representation
 * (2.675 gives 2.68). Infinite values stay infinite.
 */
export function round2(value: number): number {
  if (!Number.isFinite(value)) return value;
  const rounded =
    (Math.sign(value) * Math.floor(Math.abs(value) * 100 + 0.5 + ROUNDING_GUARD)) / 100;
  // -0 reads as "-0.00" in some formatters; a cent amount has no sign at zero.
  return rounded === 0 ? 0 : rounded;
}
