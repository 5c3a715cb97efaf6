import fastifyCompress from '@fastify/compress';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppConfig } from './config.js';
import { openDatabase, type HubDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrator.js';
import { registerHealthRoutes } from './http/health.js';
import { APP_VERSION, registerMetaRoutes } from './http/meta.js';
import { registerProblemHandlers } from './http/problem.js';
import { registerWeb } from './http/web.js';
import type { IdentityContext } from './modules/identity/context.js';
import { registerIdentity } from './modules/identity/plugin.js';
import { registerMargin } from './modules/margin/plugin.js';
import { registerMarket } from './modules/market/plugin.js';
import type { MarketService } from './modules/market/service.js';

export type { AppConfig } from './config.js';
export type { HubDatabase } from './db/database.js';

export interface BuildAppOptions {
  /** An already open database (tests share one); otherwise opened from config and closed with the app. */
  readonly database?: HubDatabase;
  /** Apply pending migrations before serving (default true, as `npm start` does). */
  readonly migrate?: boolean;
  /** The clock every service reads (tests move it to check expiries). */
  readonly clock?: () => Date;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What every module's routes share: the database (more as modules land). */
    readonly hub: {
      readonly database: HubDatabase;
      readonly clock: () => Date;
      readonly identity: IdentityContext;
      /** Market data for other modules: bars, total return, quotes, rates, dataset version. */
      readonly market: MarketService;
    };
  }
}

/** The whole app without listen(): main.ts serves it, tests call inject() on it. */
export async function buildApp(
  config: AppConfig,
  options: BuildAppOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
    // Requests are ended by app.close() on shutdown; idle keep-alive sockets are closed at once.
    forceCloseConnections: 'idle',
    // The client IP (login audit, throttles) comes only from trusted proxies (ASVS 5.0 15.3.4).
    trustProxy:
      config.identity.trustProxy === true
        ? true
        : config.identity.trustProxy === false
          ? false
          : [...config.identity.trustProxy],
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const ownsDatabase = options.database === undefined;
  const database =
    options.database ??
    (await openDatabase(config.database, (error) => {
      app.log.error({ err: error }, 'idle database connection failed');
    }));
  try {
    if (options.migrate ?? true) {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0) app.log.info({ applied }, 'database migrated');
    }
  } catch (error) {
    if (ownsDatabase) await database.close();
    throw error;
  }
  if (ownsDatabase) app.addHook('onClose', () => database.close());
  const clock = options.clock ?? (() => new Date());

  registerProblemHandlers(app);
  await app.register(fastifyHelmet, {
    // TLS is terminated by a proxy in production; the app itself also serves plain-HTTP localhost,
    // where upgrading requests to https would break every page.
    contentSecurityPolicy: {
      directives: { upgradeInsecureRequests: null, frameAncestors: ["'none'"] },
    },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    hsts: config.env === 'production',
  });
  await app.register(fastifyCompress, { threshold: 1024 });
  // Swagger collects the routes registered after it: every module's must be in the document.
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Umbrella Hub API',
        version: APP_VERSION,
        description: 'Errors are RFC 9457 problem+json documents.',
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // Identity's guard sees every route registered after it (deny by default, C-01).
  const identity = await registerIdentity(app, config, database, clock);
  const market = registerMarket(app, config, database, clock);
  registerMargin(app, database, clock, market);
  app.decorate('hub', { database, clock, identity, market });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, () =>
    app.swagger(),
  );

  registerHealthRoutes(app, database);
  registerMetaRoutes(app);
  await registerWeb(app, config.webDistDir);

  return app;
}
