import type { FastifyInstance } from 'fastify';
import type { HubDatabase } from '../../db/database.js';
import { userDataStores, type UserDataStore } from '../identity/user-data.js';
import { MarketError, type MarketService } from '../market/service.js';
import { marginRepository } from './repository.js';
import { registerMarginRoutes } from './routes.js';
import { createMarginService, type LatestQuote, type MarginService } from './service.js';

/** The price the calculator uses by default: the market module's latest quote (null: unknown). */
export function latestQuoteFrom(market: MarketService): LatestQuote {
  return async (ticker) => {
    try {
      return await market.quote(ticker);
    } catch (error) {
      if (error instanceof MarketError && error.kind === 'unknown_symbol') return null;
      throw error;
    }
  };
}

/**
 * The user-data registry is process-wide and takes one store per name, while tests run several
 * apps in one process: the store is registered once and answers from the newest open app's
 * database (production has exactly one). Deletion uses the transaction it is given.
 */
const openApps: { database: HubDatabase; service: MarginService }[] = [];
let unregisterStore: (() => void) | null = null;

function newestApp() {
  const app = openApps.at(-1);
  if (app === undefined) throw new Error('the margin module is not running');
  return app;
}

const marginHistoryStore: UserDataStore = {
  name: 'margin_calculations',
  async describe(userId) {
    const repository = marginRepository(newestApp().database.db);
    const { count, bytes } = await repository.sizeOf(userId);
    const { rows } = await repository.listOwn(userId, { limit: count, offset: 0 });
    // D12: names only; a calculation is named by its ticker, position and leverage.
    return {
      count,
      bytes,
      items: rows.map((row) => `${row.ticker} ${row.position_type} ${String(row.leverage)}x`),
    };
  },
  export: (userId) => newestApp().service.exportOf(userId),
  delete: (userId, db) => marginRepository(db).deleteAllOf(userId),
};

/**
 * The margin calculator: its routes, and its history as a user-data store (C-11), so that a
 * user's export and hard deletion include it.
 */
export function registerMargin(
  app: FastifyInstance,
  database: HubDatabase,
  clock: () => Date,
  market: MarketService,
): MarginService {
  const service = createMarginService({
    repository: marginRepository(database.db),
    clock,
    latestQuote: latestQuoteFrom(market),
  });
  const entry = { database, service };
  openApps.push(entry);
  unregisterStore ??= userDataStores.register(marginHistoryStore);
  app.addHook('onClose', () => {
    openApps.splice(openApps.indexOf(entry), 1);
    if (openApps.length === 0 && unregisterStore !== null) {
      unregisterStore();
      unregisterStore = null;
    }
  });
  registerMarginRoutes(app, service);
  return service;
}
