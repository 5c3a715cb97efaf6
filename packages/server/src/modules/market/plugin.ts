import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config.js';
import type { HubDatabase } from '../../db/database.js';
import { readMarketDataDir } from './data-dir.js';
import { createPriceSources } from './providers/index.js';
import { marketRepository } from './repository.js';
import { registerMarketRoutes } from './routes.js';
import { createMarketService, type MarketService } from './service.js';

/**
 * The market-data module: imports MARKET_DATA_DIR when its files changed (a bad file is logged,
 * the app still starts), then its routes. Returns the service for other modules (app.hub.market).
 */
export function registerMarket(
  app: FastifyInstance,
  config: AppConfig,
  database: HubDatabase,
  clock: () => Date,
): MarketService {
  const service = createMarketService({
    repository: marketRepository(database.db),
    clock,
    sources: createPriceSources(config.market),
    log: app.log,
  });
  const folder = config.market.marketDataDir;
  if (folder !== null) {
    // On ready, before listening: the first request already sees the folder's data.
    app.addHook('onReady', async () => {
      const summary = await service.importDataDir(await readMarketDataDir(folder));
      app.log.info({ folder, ...summary }, 'MARKET_DATA_DIR checked');
    });
  }
  registerMarketRoutes(app, service);
  return service;
}
