import type { FastifyInstance } from 'fastify';
import type { IdentityContext } from './context.js';

/** Placeholder until the routes land. */
export function registerAdminRoutes(_app: FastifyInstance, _context: IdentityContext): void {}
