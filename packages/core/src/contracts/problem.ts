import { z } from 'zod';

/**
 * RFC 9457 problem details, the body of every error answer of the API. `errors` lists each bad
 * field of a request by its path ("body.email", "query.from", "rows.12.close").
 */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;
export type FieldError = NonNullable<Problem['errors']>[number];

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
