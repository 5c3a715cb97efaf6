import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

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
});

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
  return {
    env: settings.NODE_ENV,
    host: settings.HOST,
    port: settings.PORT,
    database: parseDatabaseUrl(settings.DATABASE_URL, cwd),
    logLevel: settings.LOG_LEVEL,
    webDistDir:
      webDist === undefined
        ? DEFAULT_WEB_DIST_DIR
        : webDist === 'none'
          ? null
          : path.resolve(cwd, webDist),
    shutdownTimeoutMs: settings.SHUTDOWN_TIMEOUT_MS,
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
  ];
}
