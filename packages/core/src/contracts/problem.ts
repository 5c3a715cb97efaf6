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
    errors: z
      .array(
        z.object({
          path: z.string(),
          message: z.string(),
          // For a row of an uploaded file: where it is and what it held, for a table of problems.
          file: z.string().optional(),
          row: z.number().int().optional(),
          column: z.string().optional(),
          value: z.string().optional(),
        }),
      )
      .optional(),
    /** A machine-readable reason for clients to act on, e.g. "reauth_required". */
    code: z.string().optional(),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;
export type FieldError = NonNullable<Problem['errors']>[number];

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** RFC 9110 §15 reason phrases: the title of a problem that has no more specific one. */
const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string | undefined {
  return REASON_PHRASES[status];
}
