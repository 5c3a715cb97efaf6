import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HubDatabase } from '../db/database.js';
import { migrationStatus } from '../db/migrator.js';
import { problemSchema, sendProblem } from './problem.js';

/** /healthz says the process is up; /readyz that the database answers and is fully migrated. */
export function registerHealthRoutes(fastify: FastifyInstance, database: HubDatabase): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database is reachable and its migrations are current',
        response: {
          200: z.object({
            status: z.literal('ready'),
            database: z.enum(['sqlite', 'postgres']),
            migrations: z.object({ applied: z.number().int(), pending: z.number().int() }),
          }),
          503: problemSchema,
        },
      },
    },
    async (request, reply) => {
      let states;
      try {
        await database.ping();
        states = await migrationStatus(database.db);
      } catch (error) {
        request.log.error({ err: error }, 'readiness check failed');
        return sendProblem(reply, {
          title: 'Not ready',
          status: 503,
          detail: 'The database is not reachable.',
        });
      }
      const pending = states.filter((state) => state.appliedAt === null).length;
      if (pending > 0) {
        return sendProblem(reply, {
          title: 'Not ready',
          status: 503,
          detail: `${String(pending)} database migration(s) pending: run "umbrella migrate".`,
        });
      }
      return {
        status: 'ready' as const,
        database: database.kind,
        migrations: { applied: states.length, pending },
      };
    },
  );
}
