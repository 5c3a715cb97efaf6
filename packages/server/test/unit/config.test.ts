import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_WEB_DIST_DIR, describeConfig, loadConfig } from '../../src/config.js';

function problemsOf(environment: Record<string, string>): readonly string[] {
  try {
    loadConfig(environment, '/srv/hub');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

// Scenario: an operator starts the hub with no settings, then with each kind of mistake.
describe('configuration from the environment', () => {
  it('defaults to SQLite in ./data, 127.0.0.1:8000, production, info logs', () => {
    expect(loadConfig({}, '/srv/hub')).toEqual({
      env: 'production',
      host: '127.0.0.1',
      port: 8000,
      database: { kind: 'sqlite', file: path.resolve('/srv/hub/data/umbrella.sqlite3') },
      logLevel: 'info',
      webDistDir: DEFAULT_WEB_DIST_DIR,
      shutdownTimeoutMs: 10_000,
      identity: {
        appBaseUrl: 'http://127.0.0.1:8000',
        secureCookies: false,
        allowedOrigins: ['http://127.0.0.1:8000'],
        signupMode: 'open',
        mfaRequiredRoles: ['admin'],
        smtpUrl: null,
        mailFrom: 'Umbrella Hub <no-reply@umbrella-hub.invalid>',
        bounceWebhookSecret: null,
        secretKey: null,
        secretKeyFile: path.resolve('/srv/hub/data/secret.key'),
        trustProxy: false,
        sessionIdleMinutes: 30,
        sessionAbsoluteHours: 12,
        breachedPasswordApiUrl: null,
      },
      // Providers as listed; csv-dir and fmp drop out later for want of a folder and a key.
      market: {
        providers: ['csv-dir', 'fmp', 'stooq'],
        marketDataDir: null,
        fmpApiKey: null,
        fmpBaseUrl: 'https://financialmodelingprep.com',
        stooqBaseUrl: 'https://stooq.com',
        requestTimeoutMs: 10_000,
      },
    });
  });

  it('checks the market-data settings one by one', () => {
    expect(problemsOf({ MARKET_DATA_DIR: '/no/such/folder' })).toEqual([
      'MARKET_DATA_DIR must be an existing folder (got "/no/such/folder")',
    ]);
    expect(problemsOf({ MARKET_DATA_PROVIDERS: 'csv-dir,yahoo' })).toEqual([
      'MARKET_DATA_PROVIDERS: unknown provider "yahoo" (use csv-dir, fmp, stooq or none)',
    ]);
    expect(problemsOf({ MARKET_DATA_TIMEOUT_MS: '5' })).toEqual([
      'MARKET_DATA_TIMEOUT_MS must be a whole number from 100 to 120000 (got "5")',
    ]);
    expect(problemsOf({ FMP_BASE_URL: 'ftp://example.com' })).toEqual([
      'FMP_BASE_URL must be an http(s) URL (got "ftp://example.com")',
    ]);
    const config = loadConfig(
      { MARKET_DATA_DIR: '.', MARKET_DATA_PROVIDERS: 'none', FMP_API_KEY: 'k3y-s3cret' },
      '/',
    );
    expect(config.market.marketDataDir).toBe('/');
    expect(config.market.providers).toEqual([]);
    const printed = describeConfig(config);
    expect(printed).toContainEqual(['FMP_API_KEY', '***']);
    expect(JSON.stringify(printed)).not.toContain('k3y-s3cret');
  });

  it('refuses a plain-HTTP public base URL and unknown MFA roles', () => {
    expect(problemsOf({ APP_BASE_URL: 'http://hub.example.com' })).toEqual([
      'APP_BASE_URL must use https unless its host is localhost or 127.0.0.1 (got "http://hub.example.com/")',
    ]);
    expect(problemsOf({ MFA_REQUIRED_ROLES: 'admin,owner' })).toEqual([
      'MFA_REQUIRED_ROLES: unknown role "owner" (use viewer, analyst, manager, admin or none)',
    ]);
    const secure = loadConfig({
      APP_BASE_URL: 'https://hub.example.com/',
      ALLOWED_ORIGINS: 'https://a.example',
    });
    expect(secure.identity.secureCookies).toBe(true);
    expect(secure.identity.allowedOrigins).toEqual([
      'https://hub.example.com',
      'https://a.example',
    ]);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ' }, '/srv/hub').port).toBe(8000);
  });

  it('reads PostgreSQL URLs and absolute SQLite paths', () => {
    expect(
      loadConfig({ DATABASE_URL: 'postgres://hub:pw@db.internal:5433/umbrella' }).database,
    ).toEqual({
      kind: 'postgres',
      url: 'postgres://hub:pw@db.internal:5433/umbrella',
    });
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/umbrella' }).database.kind).toBe('postgres');
    expect(loadConfig({ DATABASE_URL: 'sqlite:/var/lib/hub.sqlite3' }).database).toEqual({
      kind: 'sqlite',
      file: '/var/lib/hub.sqlite3',
    });
    expect(loadConfig({ WEB_DIST_DIR: 'none' }).webDistDir).toBeNull();
  });

  it('names each bad setting and what it got', () => {
    expect(problemsOf({ PORT: 'eighty' })).toEqual([
      'PORT must be a whole number from 0 to 65535 (got "eighty")',
    ]);
    expect(problemsOf({ PORT: '70000' })).toEqual([
      'PORT must be a whole number from 0 to 65535 (got "70000")',
    ]);
    expect(problemsOf({ LOG_LEVEL: 'verbose', NODE_ENV: 'staging' })).toEqual([
      'NODE_ENV must be one of production, development, test (got "staging")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
    ]);
  });

  it('refuses an unknown database URL without printing its password', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://root:s3cret@db/hub' })).toEqual([
      'DATABASE_URL must start with "sqlite:" or "postgres://" (got "mysql://root:***@db/hub")',
    ]);
    expect(problemsOf({ DATABASE_URL: 'postgres://hub:s3cret@/umbrella' })).toEqual([
      'DATABASE_URL is not a valid URL (got "postgres://hub:***@/umbrella")',
    ]);
    expect(problemsOf({ DATABASE_URL: 'postgres:///umbrella' })).toEqual([
      'DATABASE_URL has no host (got "postgres:///umbrella")',
    ]);
    expect(problemsOf({ DATABASE_URL: 'sqlite:' })).toEqual([
      'DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/umbrella.sqlite3',
    ]);
  });

  it('prints the effective configuration with the database password masked', () => {
    const printed = describeConfig(
      loadConfig({ DATABASE_URL: 'postgres://hub:s3cret@db.internal/umbrella', PORT: '9000' }),
    );
    expect(printed).toContainEqual(['DATABASE_URL', 'postgres://hub:***@db.internal/umbrella']);
    expect(printed).toContainEqual(['PORT', '9000']);
    expect(JSON.stringify(printed)).not.toContain('s3cret');
  });
});
