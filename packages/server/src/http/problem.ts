import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { PROBLEM_MEDIA_TYPE, reasonPhrase, type FieldError, type Problem } from '@hub/core';

export { problemSchema } from '@hub/core';
export const PROBLEM_CONTENT_TYPE = `${PROBLEM_MEDIA_TYPE}; charset=utf-8`;

/** The one error type of the HTTP layer: a 4xx/5xx answer with a title a user can read. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: readonly FieldError[],
    /** Machine-readable reason (problem extension member `code`), e.g. "reauth_required". */
    readonly problemCode?: string,
    /** Extra response headers, e.g. Retry-After on a 429. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(detail ?? title);
    this.name = 'HttpProblem';
  }
}

function titleForStatus(status: number): string {
  return reasonPhrase(status) ?? (status >= 500 ? 'Server Error' : 'Request Error');
}

export function sendProblem(
  reply: FastifyReply,
  problem: Omit<Problem, 'type'> & { type?: string },
): FastifyReply {
  const body: Problem = { type: 'about:blank', ...problem };
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** "/email" + body → "body.email"; "/rows/3/date" → "body.rows.3.date". */
function fieldPath(context: string | undefined, instancePath: string): string {
  const parts = instancePath.split('/').filter((part) => part !== '');
  return [context ?? 'request', ...parts].join('.');
}

function toProblem(error: FastifyError, request: FastifyRequest): Problem {
  const instance = request.url.split('?')[0];
  if (error instanceof HttpProblem) {
    return {
      type: 'about:blank',
      title: error.title,
      status: error.status,
      ...(error.detail === undefined ? {} : { detail: error.detail }),
      ...(error.errors === undefined ? {} : { errors: [...error.errors] }),
      ...(error.problemCode === undefined ? {} : { code: error.problemCode }),
      instance,
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((issue) => ({
      path: fieldPath(error.validationContext, issue.instancePath),
      message: issue.message ?? 'is not valid',
    }));
    const first = errors[0];
    return {
      type: 'about:blank',
      title: 'Invalid request',
      status: 400,
      detail:
        first === undefined
          ? 'The request is not valid.'
          : `${first.path}: ${first.message}` +
            (errors.length > 1 ? ` (and ${String(errors.length - 1)} more)` : ''),
      errors,
      instance,
    };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, body too large, wrong media type) are safe to show.
    return {
      type: 'about:blank',
      title: titleForStatus(status),
      status,
      detail: error.message,
      instance,
    };
  }
  return {
    type: 'about:blank',
    title: titleForStatus(status >= 500 ? status : 500),
    status: status >= 500 ? status : 500,
    detail: `Something went wrong on our side. It has been logged as request ${request.id}.`,
    instance,
  };
}

/** One error handler for the whole app: every error becomes problem+json; 5xx hide internals. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error, request);
    if (error instanceof HttpProblem && error.headers !== undefined) reply.headers(error.headers);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ status: problem.status, detail: problem.detail }, 'request refused');
    return sendProblem(reply, problem);
  });
}
