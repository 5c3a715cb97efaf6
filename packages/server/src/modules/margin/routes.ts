import {
  marginCalculationSchema,
  marginHistoryPageSchema,
  marginHistoryQuerySchema,
  marginRequestSchema,
  marginStatsSchema,
  type MarginRequest,
} from '@hub/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpProblem } from '../../http/problem.js';
import { MarginError, type MarginService } from './service.js';

const tags = ['margin'];

const idParamsSchema = z.object({
  id: z.coerce
    .number({ error: 'id must be a number' })
    .int('id must be a whole number')
    .positive('id must be positive'),
});

/** C-04: the user is the session's, never a value from the request. */
function callerId(request: FastifyRequest): number {
  if (request.identity === null) {
    // The guard lets no signed-out request reach these routes.
    throw new HttpProblem(401, 'Sign-in required');
  }
  return request.identity.user.id;
}

function toHttpProblem(error: MarginError): HttpProblem {
  if (error.kind === 'not_found') return new HttpProblem(404, 'Not Found', error.message);
  const errors = error.issues.map((issue) => ({
    path: `body.${issue.path}`,
    message: issue.message,
  }));
  const first = errors[0];
  return new HttpProblem(
    400,
    'Invalid request',
    first === undefined ? error.message : `${first.path}: ${first.message}`,
    errors,
  );
}

async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MarginError) throw toHttpProblem(error);
    throw error;
  }
}

/**
 * /api/margin: every role calculates and keeps its own history (specs/identity.md §2: history is
 * "own"); another user's calculation answers 404, as one that does not exist (C-03).
 */
export function registerMarginRoutes(root: FastifyInstance, service: MarginService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  // Typed by hand rather than by the schema: the answer goes out as the JSON text just saved.
  root.post<{ Body: MarginRequest }>(
    '/api/margin/calculations',
    {
      config: { access: { role: 'viewer' } },
      schema: { tags, body: marginRequestSchema, response: { 201: marginCalculationSchema } },
    },
    async (request, reply) => {
      const saved = await answering(() => service.calculate(callerId(request), request.body));
      // A string with a JSON media type skips the serializer (a MarginCalculation; the tests
      // check it against the schema).
      return reply.code(201).type('application/json; charset=utf-8').send(saved.json);
    },
  );

  app.get(
    '/api/margin/calculations',
    {
      config: { access: { role: 'viewer' } },
      schema: {
        tags,
        querystring: marginHistoryQuerySchema,
        response: { 200: marginHistoryPageSchema },
      },
    },
    (request) => service.history(callerId(request), request.query),
  );

  app.get(
    '/api/margin/calculations/:id',
    {
      config: { access: { role: 'viewer' } },
      schema: { tags, params: idParamsSchema, response: { 200: marginCalculationSchema } },
    },
    (request) => answering(() => service.get(callerId(request), request.params.id)),
  );

  app.delete(
    '/api/margin/calculations/:id',
    {
      config: { access: { role: 'viewer' } },
      schema: { tags, params: idParamsSchema },
    },
    async (request, reply) => {
      await answering(() => service.delete(callerId(request), request.params.id));
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/margin/admin/stats',
    {
      config: { access: { role: 'admin' } },
      schema: { tags, response: { 200: marginStatsSchema } },
    },
    () => service.stats(),
  );
}
