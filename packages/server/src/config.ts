import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROLES, type Role } from '@hub/core';
import { z } from 'zod';
import {
  DEFAULT_FMP_BASE_URL,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_STOOQ_BASE_URL,
  PROVIDER_NAMES,
  type ProviderName,
  type ProviderSettings,
} from './modules/market/providers/types.js';

/**
 * The hub's configuration, read from the environment once at start-up.
 * Each setting is checked here so that a bad value stops start-up with one line naming it.
 */

export type DatabaseConfig =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string };

export interface AppConfig {
  readonly env: 'production' | 'development' | 'test';
  readonly host: string;
  readonly port: number;
  readonly database: DatabaseConfig;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Folder of the built web app; null serves the API only. */
  readonly webDistDir: string | null;
  readonly shutdownTimeoutMs: number;
  readonly identity: IdentityConfig;
  /** Market data: MARKET_DATA_DIR (imported at start-up) and the price providers. */
  readonly market: ProviderSettings;
}

export interface IdentityConfig {
  /** Origin and path prefix of every link the hub emails (never taken from Host or Origin). */
  readonly appBaseUrl: string;
  /** Secure cookies need https; plain HTTP is allowed only on a loopback host. */
  readonly secureCookies: boolean;
  /** Origins allowed to send state-changing requests (the base URL's origin plus extras). */
  readonly allowedOrigins: readonly string[];
  readonly signupMode: 'open' | 'invite_only';
  readonly mfaRequiredRoles: readonly Role[];
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  readonly bounceWebhookSecret: string | null;
  /** Key material for encrypting TOTP secrets and exports; null: kept in secretKeyFile. */
  readonly secretKey: string | null;
  readonly secretKeyFile: string;
  /** Fastify's trustProxy: false, true, or a list of proxy addresses/CIDRs. */
  readonly trustProxy: boolean | readonly string[];
  readonly sessionIdleMinutes: number;
  readonly sessionAbsoluteHours: number;
  /** HIBP range API base URL for the breached-password check; null switches it off. */
  readonly breachedPasswordApiUrl: string | null;
}

/** A setting that cannot be used; the message names the setting and the reason. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** packages/server/{src,dist} → packages/web/dist */
export const DEFAULT_WEB_DIST_DIR = path.resolve(here, '../../web/dist');
export const DEFAULT_DATABASE_URL = 'sqlite:./data/umbrella.sqlite3';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every environment variable the hub reads, with its default and meaning (the README table). */
export const SETTINGS = [
  ['PORT', '8000', 'TCP port the HTTP server listens on (0: any free port)'],
  ['HOST', '127.0.0.1', 'address the HTTP server binds to (0.0.0.0 for all interfaces)'],
  [
    'DATABASE_URL',
    DEFAULT_DATABASE_URL,
    'sqlite:<file> (embedded) or postgres://user:password@host:port/db',
  ],
  ['NODE_ENV', 'production', 'production, development or test'],
  ['LOG_LEVEL', 'info', LOG_LEVELS.join(', ')],
  ['WEB_DIST_DIR', 'packages/web/dist', 'built web app to serve at /; "none" serves the API only'],
  ['SHUTDOWN_TIMEOUT_MS', '10000', 'how long a shutdown waits for in-flight requests'],
  [
    'APP_BASE_URL',
    'http://127.0.0.1:<PORT>',
    'public URL of the hub, used in every emailed link; https unless the host is loopback',
  ],
  [
    'ALLOWED_ORIGINS',
    '(none)',
    'extra origins, comma-separated, allowed to send state-changing requests (CSRF allow-list)',
  ],
  ['SIGNUP_MODE', 'open', 'open (invitations and request access) or invite_only'],
  [
    'MFA_REQUIRED_ROLES',
    'admin',
    'comma-separated roles that must enrol TOTP before using the app (viewer, analyst, manager, admin)',
  ],
  ['SMTP_URL', '(none)', 'smtp://user:pass@host:port or smtps://…; unset: mail goes to the outbox'],
  ['MAIL_FROM', 'Umbrella Hub <no-reply@umbrella-hub.invalid>', 'sender of every email'],
  [
    'BOUNCE_WEBHOOK_SECRET',
    '(none)',
    'shared secret for the bounce webhook signature (HMAC-SHA256); unset: the webhook refuses all calls',
  ],
  [
    'SECRET_KEY',
    '(none)',
    'at least 32 characters; encrypts TOTP secrets and exports; unset: a key in SECRET_KEY_FILE',
  ],
  [
    'SECRET_KEY_FILE',
    'secret.key beside the SQLite file',
    'file holding a generated key when SECRET_KEY is unset (./data/secret.key on PostgreSQL)',
  ],
  [
    'TRUST_PROXY',
    'false',
    'false, true, or comma-separated proxy addresses/CIDRs whose X-Forwarded-For is trusted',
  ],
  ['SESSION_IDLE_MINUTES', '30', 'a session ends after this long without a request'],
  ['SESSION_ABSOLUTE_HOURS', '12', 'a session ends this long after sign-in, active or not'],
  [
    'BREACHED_PASSWORD_API_URL',
    '(none)',
    'HIBP range API, e.g. https://api.pwnedpasswords.com; unset: no breached-password check',
  ],
  [
    'MARKET_DATA_DIR',
    '(none)',
    'folder with prices/<SYMBOL>.csv and rates/<SERIES>.csv, imported at start-up when changed and read by the csv-dir provider',
  ],
  [
    'MARKET_DATA_PROVIDERS',
    'csv-dir,fmp,stooq',
    'price providers asked in order for symbols not stored: csv-dir (needs MARKET_DATA_DIR), fmp (needs FMP_API_KEY), stooq (keyless); "none" for stored data only',
  ],
  ['FMP_API_KEY', '(none)', 'Financial Modeling Prep API key; unset: the fmp provider is off'],
  ['FMP_BASE_URL', DEFAULT_FMP_BASE_URL, 'Financial Modeling Prep API base URL'],
  ['STOOQ_BASE_URL', DEFAULT_STOOQ_BASE_URL, 'Stooq base URL (keyless daily history)'],
  [
    'MARKET_DATA_TIMEOUT_MS',
    String(DEFAULT_REQUEST_TIMEOUT_MS),
    'how long a provider request may take before it counts as failed',
  ],
] as const;

const integer = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, `${name} must be a whole number from ${min} to ${max}`)
        .max(max, `${name} must be a whole number from ${min} to ${max}`),
    );

const environmentSchema = z.object({
  // 0 asks the system for any free port (tests).
  PORT: integer('PORT', 0, 65535).default(8000),
  HOST: z.string().trim().min(1, 'HOST must not be empty').default('127.0.0.1'),
  DATABASE_URL: z.string().trim().default(DEFAULT_DATABASE_URL),
  NODE_ENV: z
    .enum(['production', 'development', 'test'], {
      error: 'NODE_ENV must be one of production, development, test',
    })
    .default('production'),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
  WEB_DIST_DIR: z.string().trim().min(1).optional(),
  SHUTDOWN_TIMEOUT_MS: integer('SHUTDOWN_TIMEOUT_MS', 0, 600_000).default(10_000),
  APP_BASE_URL: z.string().trim().optional(),
  ALLOWED_ORIGINS: z.string().trim().optional(),
  SIGNUP_MODE: z
    .enum(['open', 'invite_only'], { error: 'SIGNUP_MODE must be open or invite_only' })
    .default('open'),
  MFA_REQUIRED_ROLES: z.string().trim().default('admin'),
  SMTP_URL: z
    .string()
    .trim()
    .regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().trim().default('Umbrella Hub <no-reply@umbrella-hub.invalid>'),
  BOUNCE_WEBHOOK_SECRET: z
    .string()
    .min(16, 'BOUNCE_WEBHOOK_SECRET must be at least 16 characters')
    .optional(),
  SECRET_KEY: z.string().min(32, 'SECRET_KEY must be at least 32 characters').optional(),
  SECRET_KEY_FILE: z.string().trim().optional(),
  TRUST_PROXY: z.string().trim().default('false'),
  SESSION_IDLE_MINUTES: integer('SESSION_IDLE_MINUTES', 1, 1440).default(30),
  SESSION_ABSOLUTE_HOURS: integer('SESSION_ABSOLUTE_HOURS', 1, 720).default(12),
  BREACHED_PASSWORD_API_URL: z
    .url({ error: 'BREACHED_PASSWORD_API_URL must be an http(s) URL' })
    .optional(),
  MARKET_DATA_DIR: z.string().trim().optional(),
  MARKET_DATA_PROVIDERS: z.string().trim().default(PROVIDER_NAMES.join(',')),
  FMP_API_KEY: z.string().trim().optional(),
  FMP_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'FMP_BASE_URL must be an http(s) URL' })
    .default(DEFAULT_FMP_BASE_URL),
  STOOQ_BASE_URL: z
    .url({ protocol: /^https?$/, error: 'STOOQ_BASE_URL must be an http(s) URL' })
    .default(DEFAULT_STOOQ_BASE_URL),
  MARKET_DATA_TIMEOUT_MS: integer('MARKET_DATA_TIMEOUT_MS', 100, 120_000).default(
    DEFAULT_REQUEST_TIMEOUT_MS,
  ),
});

type Environment = z.infer<typeof environmentSchema>;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function originOf(name: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError([`${name} is not a valid URL (got "${raw}")`]);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError([`${name} must be an http(s) URL (got "${raw}")`]);
  }
  return url;
}

function identityConfig(settings: Environment): IdentityConfig {
  const base = originOf(
    'APP_BASE_URL',
    settings.APP_BASE_URL ?? `http://127.0.0.1:${String(settings.PORT || 8000)}`,
  );
  const secure = base.protocol === 'https:';
  if (!secure && !LOOPBACK_HOSTS.has(base.hostname)) {
    throw new ConfigError([
      `APP_BASE_URL must use https unless its host is localhost or 127.0.0.1 (got "${base.href}")`,
    ]);
  }
  const extraOrigins = (settings.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => originOf('ALLOWED_ORIGINS', entry).origin);
  const roles = settings.MFA_REQUIRED_ROLES.split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && entry !== 'none');
  const unknownRole = roles.find((role) => !(ROLES as readonly string[]).includes(role));
  if (unknownRole !== undefined) {
    throw new ConfigError([
      `MFA_REQUIRED_ROLES: unknown role "${unknownRole}" (use ${ROLES.join(', ')} or none)`,
    ]);
  }
  const trust = settings.TRUST_PROXY;
  return {
    appBaseUrl: base.href.replace(/\/$/, ''),
    secureCookies: secure,
    allowedOrigins: [base.origin, ...extraOrigins],
    signupMode: settings.SIGNUP_MODE,
    mfaRequiredRoles: roles as Role[],
    smtpUrl: settings.SMTP_URL ?? null,
    mailFrom: settings.MAIL_FROM,
    bounceWebhookSecret: settings.BOUNCE_WEBHOOK_SECRET ?? null,
    secretKey: settings.SECRET_KEY ?? null,
    secretKeyFile: '',
    trustProxy:
      trust === 'false'
        ? false
        : trust === 'true'
          ? true
          : trust.split(',').map((entry) => entry.trim()),
    sessionIdleMinutes: settings.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: settings.SESSION_ABSOLUTE_HOURS,
    breachedPasswordApiUrl: settings.BREACHED_PASSWORD_API_URL?.replace(/\/$/, '') ?? null,
  };
}

function marketConfig(settings: Environment, cwd: string): ProviderSettings {
  let marketDataDir: string | null = null;
  if (settings.MARKET_DATA_DIR !== undefined) {
    marketDataDir = path.resolve(cwd, settings.MARKET_DATA_DIR);
    let isFolder = false;
    try {
      isFolder = fs.statSync(marketDataDir).isDirectory();
    } catch {
      // Reported below: the folder does not exist or cannot be read.
    }
    if (!isFolder) {
      throw new ConfigError([
        `MARKET_DATA_DIR must be an existing folder (got "${settings.MARKET_DATA_DIR}")`,
      ]);
    }
  }
  const names = settings.MARKET_DATA_PROVIDERS.split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '' && entry !== 'none');
  const unknown = names.find((name) => !(PROVIDER_NAMES as readonly string[]).includes(name));
  if (unknown !== undefined) {
    throw new ConfigError([
      `MARKET_DATA_PROVIDERS: unknown provider "${unknown}" (use ${PROVIDER_NAMES.join(', ')} or none)`,
    ]);
  }
  return {
    providers: [...new Set(names as ProviderName[])],
    marketDataDir,
    fmpApiKey: settings.FMP_API_KEY ?? null,
    fmpBaseUrl: settings.FMP_BASE_URL.replace(/\/$/, ''),
    stooqBaseUrl: settings.STOOQ_BASE_URL.replace(/\/$/, ''),
    requestTimeoutMs: settings.MARKET_DATA_TIMEOUT_MS,
  };
}

/** Masks the password of a connection URL so that it can be printed or logged. */
export function maskDatabaseUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

export function parseDatabaseUrl(raw: string, cwd: string): DatabaseConfig {
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file === '') {
      throw new ConfigError([
        `DATABASE_URL "sqlite:" needs a file path, e.g. ${DEFAULT_DATABASE_URL}`,
      ]);
    }
    return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(cwd, file) };
  }
  if (/^postgres(ql)?:\/\//.test(raw)) {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigError([`DATABASE_URL is not a valid URL (got "${maskDatabaseUrl(raw)}")`]);
    }
    if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
      throw new ConfigError([`DATABASE_URL has no host (got "${maskDatabaseUrl(raw)}")`]);
    }
    return { kind: 'postgres', url: raw };
  }
  throw new ConfigError([
    `DATABASE_URL must start with "sqlite:" or "postgres://" (got "${maskDatabaseUrl(raw)}")`,
  ]);
}

/**
 * Reads the configuration from an environment. Empty strings count as unset, as in most
 * twelve-factor tools, so `PORT= npm start` means the default.
 */
export function loadConfig(
  environment: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): AppConfig {
  const present = Object.fromEntries(
    Object.keys(environmentSchema.shape).flatMap((key) => {
      const value = environment[key];
      return value === undefined || value.trim() === '' ? [] : [[key, value]];
    }),
  );
  const result = environmentSchema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const got = present[name];
        const message = issue.message.startsWith(name)
          ? issue.message
          : `${name}: ${issue.message}`;
        return got === undefined ? message : `${message} (got "${maskDatabaseUrl(got)}")`;
      }),
    );
  }
  const settings = result.data;
  const webDist = settings.WEB_DIST_DIR;
  const database = parseDatabaseUrl(settings.DATABASE_URL, cwd);
  return {
    env: settings.NODE_ENV,
    host: settings.HOST,
    port: settings.PORT,
    database,
    logLevel: settings.LOG_LEVEL,
    webDistDir:
      webDist === undefined
        ? DEFAULT_WEB_DIST_DIR
        : webDist === 'none'
          ? null
          : path.resolve(cwd, webDist),
    shutdownTimeoutMs: settings.SHUTDOWN_TIMEOUT_MS,
    identity: {
      ...identityConfig(settings),
      // Unset: beside the SQLite file it protects, or ./data for PostgreSQL.
      secretKeyFile:
        settings.SECRET_KEY_FILE !== undefined
          ? path.resolve(cwd, settings.SECRET_KEY_FILE)
          : database.kind === 'sqlite' && database.file !== ':memory:'
            ? path.join(path.dirname(database.file), 'secret.key')
            : path.resolve(cwd, 'data/secret.key'),
    },
    market: marketConfig(settings, cwd),
  };
}

/** The effective configuration as printable pairs, secrets masked (`umbrella config`). */
export function describeConfig(config: AppConfig): [string, string][] {
  return [
    ['NODE_ENV', config.env],
    ['HOST', config.host],
    ['PORT', String(config.port)],
    [
      'DATABASE_URL',
      config.database.kind === 'sqlite'
        ? `sqlite:${config.database.file}`
        : maskDatabaseUrl(config.database.url),
    ],
    ['LOG_LEVEL', config.logLevel],
    ['WEB_DIST_DIR', config.webDistDir ?? 'none'],
    ['SHUTDOWN_TIMEOUT_MS', String(config.shutdownTimeoutMs)],
    ['APP_BASE_URL', config.identity.appBaseUrl],
    ['ALLOWED_ORIGINS', config.identity.allowedOrigins.join(',')],
    ['SIGNUP_MODE', config.identity.signupMode],
    ['MFA_REQUIRED_ROLES', config.identity.mfaRequiredRoles.join(',') || 'none'],
    [
      'SMTP_URL',
      config.identity.smtpUrl === null ? '(outbox)' : maskDatabaseUrl(config.identity.smtpUrl),
    ],
    ['MAIL_FROM', config.identity.mailFrom],
    ['BOUNCE_WEBHOOK_SECRET', config.identity.bounceWebhookSecret === null ? '(unset)' : '***'],
    [
      'SECRET_KEY',
      config.identity.secretKey === null ? `(file ${config.identity.secretKeyFile})` : '***',
    ],
    ['TRUST_PROXY', String(config.identity.trustProxy)],
    ['SESSION_IDLE_MINUTES', String(config.identity.sessionIdleMinutes)],
    ['SESSION_ABSOLUTE_HOURS', String(config.identity.sessionAbsoluteHours)],
    ['BREACHED_PASSWORD_API_URL', config.identity.breachedPasswordApiUrl ?? '(off)'],
    ['MARKET_DATA_DIR', config.market.marketDataDir ?? '(none)'],
    ['MARKET_DATA_PROVIDERS', config.market.providers.join(',') || 'none'],
    ['FMP_API_KEY', config.market.fmpApiKey === null ? '(unset)' : '***'],
    ['FMP_BASE_URL', config.market.fmpBaseUrl],
    ['STOOQ_BASE_URL', config.market.stooqBaseUrl],
    ['MARKET_DATA_TIMEOUT_MS', String(config.market.requestTimeoutMs)],
  ];
}
