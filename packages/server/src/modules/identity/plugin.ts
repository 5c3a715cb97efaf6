import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config.js';
import type { HubDatabase } from '../../db/database.js';
import { createIdentityContext, type IdentityContext } from './context.js';
import { loadKeyMaterial, secretBox } from './crypto.js';
import { registerIdentityGuard } from './guard.js';
import { createMailer } from './mail.js';
import { registerAccountRoutes } from './routes-account.js';
import { registerAdminRoutes } from './routes-admin.js';
import { registerInvitationRoutes } from './routes-invitations.js';

/**
 * The identity module: the shared guard first (so that every route registered after it is
 * checked, C-01), then its routes. Returns the context for other modules and tests.
 */
export async function registerIdentity(
  app: FastifyInstance,
  config: AppConfig,
  database: HubDatabase,
  clock: () => Date,
): Promise<IdentityContext> {
  const mailer = createMailer(config.identity, database.db, clock, app.log);
  const context = createIdentityContext({
    config: config.identity,
    clock,
    db: database.db,
    mailer,
    box: secretBox(await loadKeyMaterial(config.identity)),
    log: app.log,
  });
  app.addHook('onClose', async () => {
    await context.background.idle();
    mailer.close();
  });
  await registerIdentityGuard(app, context);
  registerAccountRoutes(app, context);
  registerInvitationRoutes(app, context);
  registerAdminRoutes(app, context);
  return context;
}
