import { createCsvDirSource } from './csv-dir.js';
import { createFmpSource } from './fmp.js';
import { createStooqSource } from './stooq.js';
import type { PriceSource, ProviderName, ProviderSettings } from './types.js';

export * from './types.js';
export { createCsvDirSource } from './csv-dir.js';
export { createFmpSource } from './fmp.js';
export { createStooqSource, stooqTicker } from './stooq.js';

/**
 * The sources in MARKET_DATA_PROVIDERS order. A provider that lacks its setting is left out
 * rather than failing later: csv-dir without MARKET_DATA_DIR, fmp without FMP_API_KEY. A name
 * listed twice is used once. `fetchImpl` lets a caller route requests elsewhere; the default is
 * the global fetch.
 */
export function createPriceSources(
  settings: ProviderSettings,
  fetchImpl: typeof fetch = fetch,
): PriceSource[] {
  const sources: PriceSource[] = [];
  const seen = new Set<ProviderName>();
  for (const name of settings.providers) {
    if (seen.has(name)) continue;
    seen.add(name);
    const source = createSource(name, settings, fetchImpl);
    if (source !== null) sources.push(source);
  }
  return sources;
}

function createSource(
  name: ProviderName,
  settings: ProviderSettings,
  fetchImpl: typeof fetch,
): PriceSource | null {
  const timeoutMs = settings.requestTimeoutMs;
  switch (name) {
    case 'csv-dir':
      return settings.marketDataDir === null
        ? null
        : createCsvDirSource({ marketDataDir: settings.marketDataDir });
    case 'fmp':
      return settings.fmpApiKey === null || settings.fmpApiKey === ''
        ? null
        : createFmpSource({
            apiKey: settings.fmpApiKey,
            baseUrl: settings.fmpBaseUrl,
            timeoutMs,
            fetchImpl,
          });
    case 'stooq':
      return createStooqSource({ baseUrl: settings.stooqBaseUrl, timeoutMs, fetchImpl });
  }
}
