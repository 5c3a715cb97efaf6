import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { hubMetaSchema, type HubMeta } from '@hub/core';

/** The four tools; a tool becomes available when its module lands. */
export const TOOLS: HubMeta['tools'] = [
  { id: 'margin', title: 'Margin calculator', available: false },
  { id: 'backtest', title: 'Backtests', available: false },
  { id: 'returns', title: 'Return analyzer', available: false },
  { id: 'credit', title: 'Credit analyzer', available: false },
];

/** packages/server/package.json, one level above both src/ and dist/. */
export const APP_VERSION = (
  JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

export function registerMetaRoutes(fastify: FastifyInstance): void {
  fastify.withTypeProvider<ZodTypeProvider>().get(
    '/api/meta',
    {
      config: { access: 'public' },
      schema: {
        tags: ['hub'],
        summary: 'The hub: its version and which tools are available',
        response: { 200: hubMetaSchema },
      },
    },
    () => ({ name: 'Umbrella Hub' as const, version: APP_VERSION, tools: [...TOOLS] }),
  );
}
