import { z } from 'zod';

/** V-05: integer ids strictly: `1e0`, `01`, `1 ` and `-1` are refused with 400. */
export const integerIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'id must be a positive whole number without sign, zeros or spaces')
  .transform(Number);

export const idParamsSchema = z.object({ id: integerIdSchema });
