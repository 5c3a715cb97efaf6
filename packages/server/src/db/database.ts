import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, sql, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import { maskDatabaseUrl } from '../config.js';
import type { HubTables } from './tables.js';
import { SqliteCompatPlugin, TransactionalSqliteDialect } from './sqlite-compat.js';

export type DatabaseKind = DatabaseConfig['kind'];

export interface HubDatabase {
  readonly kind: DatabaseKind;
  readonly db: Kysely<HubTables>;
  /** Succeeds when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The database cannot be opened or reached; the message says which and why, without secrets. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** How long to wait for a PostgreSQL connection before calling it unreachable. */
const PG_CONNECT_TIMEOUT_MS = 5_000;
/** How long SQLite waits on a lock held by another connection (another process, a backup). */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

const PG_TYPE_TIMESTAMPTZ = 1184;
const PG_TYPE_TIMESTAMP = 1114;
const PG_TYPE_INT8 = 20;
const PG_TYPE_NUMERIC = 1700;

/**
 * Timestamps are ISO-8601 UTC strings on both databases ("2026-11-21T20:04:22.123Z"): SQLite
 * stores that text, and PostgreSQL's timestamptz text (session time zone UTC) is turned into it,
 * so repositories and tests see one format.
 */
export function pgTimestampToIso(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?([+-]\d{2})?(?::?(\d{2}))?$/.exec(
    text,
  );
  if (match === null) return text;
  const [, date, time, fraction = '', hours = '+00', minutes = '00'] = match;
  const millis = (fraction + '000').slice(1, 4);
  return new Date(`${date}T${time}.${millis}${hours}:${minutes}`).toISOString();
}

function postgresTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(PG_TYPE_TIMESTAMPTZ, pgTimestampToIso);
  types.setTypeParser(PG_TYPE_TIMESTAMP, pgTimestampToIso);
  // Counts and sums come back as int8; every count here is far below 2^53.
  types.setTypeParser(PG_TYPE_INT8, Number);
  types.setTypeParser(PG_TYPE_NUMERIC, Number);
  return types;
}

function describePgTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port === '' ? '5432' : parsed.port}${parsed.pathname}`;
  } catch {
    return maskDatabaseUrl(url);
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      error.message === '' && error instanceof AggregateError ? 'connection failed' : error.message;
    return code !== undefined && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(error);
}

/** How many distinct SQL texts keep their prepared statement (the hub issues a few hundred). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; on a hot path that costs as much as running it. The SQL text
 * of a query is the same each time (values are bound), so its statement is kept and reused,
 * least recently used first out. A statement still being iterated (a streamed query) is busy and
 * cannot be shared: that caller gets a fresh one.
 */
function withStatementCache(connection: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => connection.close(),
    prepare(text: string) {
      const cached = statements.get(text);
      if (cached !== undefined) {
        if (cached.busy) return connection.prepare(text);
        // Re-inserting moves it to the end: Map keeps insertion order, so the first is the oldest.
        statements.delete(text);
        statements.set(text, cached);
        return cached;
      }
      const statement = connection.prepare(text);
      statements.set(text, statement);
      if (statements.size > STATEMENT_CACHE_SIZE) {
        const oldest = statements.keys().next();
        if (oldest.done !== true) statements.delete(oldest.value);
      }
      return statement;
    },
  };
}

function openSqlite(file: string): HubDatabase {
  let connection: SQLite.Database;
  try {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    connection = new SQLite(file, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    connection.pragma('journal_mode = WAL');
    connection.pragma('foreign_keys = ON');
    connection.pragma('synchronous = NORMAL');
  } catch (error) {
    throw new DatabaseUnavailableError(`cannot open SQLite database ${file}: ${reasonOf(error)}`, {
      cause: error,
    });
  }
  const db = new Kysely<HubTables>({
    dialect: new TransactionalSqliteDialect({ database: withStatementCache(connection) }),
    plugins: [new SqliteCompatPlugin()],
  });
  return {
    kind: 'sqlite',
    db,
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

async function openPostgres(
  url: string,
  onIdleError: (error: Error) => void,
): Promise<HubDatabase> {
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    // One time zone for every session, so that timestamptz text is always UTC.
    options: '-c timezone=UTC',
    types: postgresTypes(),
    max: 10,
  });
  // Without a listener a dropped idle connection would crash the process.
  pool.on('error', onIdleError);
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseUnavailableError(
      `cannot reach PostgreSQL at ${describePgTarget(url)}: ${reasonOf(error)}`,
      { cause: error },
    );
  }
  const db = new Kysely<HubTables>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

export async function openDatabase(
  config: DatabaseConfig,
  onIdleError: (error: Error) => void = () => undefined,
): Promise<HubDatabase> {
  return config.kind === 'sqlite' ? openSqlite(config.file) : openPostgres(config.url, onIdleError);
}

/** For migrations, which run on both databases and must pick dialect-specific DDL. */
export function isPostgres<DB>(db: Kysely<DB>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
