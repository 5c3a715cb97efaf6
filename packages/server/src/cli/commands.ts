import type { Readable, Writable } from 'node:stream';
import { read } from 'read';
import { describeConfig, loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest, migrationStatus } from '../db/migrator.js';
import { identityRepository } from '../modules/identity/repository.js';
import { createAdmin, IdentityError } from '../modules/identity/service.js';

type Environment = Readonly<Record<string, string | undefined>>;

export interface CliIo {
  readonly stdin: Readable & { isTTY?: boolean };
  readonly stdout: Writable;
  readonly stderr: Writable;
}

function line(stream: Writable, text: string): void {
  stream.write(`${text}\n`);
}

/** `umbrella migrate [--status]`. */
export async function migrate(
  environment: Environment,
  io: CliIo,
  options: { status: boolean },
): Promise<void> {
  const database = await openDatabase(loadConfig(environment).database);
  try {
    if (options.status) {
      for (const state of await migrationStatus(database.db)) {
        line(
          io.stdout,
          `${state.appliedAt === null ? 'pending' : 'applied'}  ${state.name}${state.appliedAt === null ? '' : `  ${state.appliedAt}`}`,
        );
      }
      return;
    }
    const applied = await migrateToLatest(database.db);
    line(
      io.stdout,
      applied.length === 0
        ? 'Database is up to date: no migration to apply.'
        : `Applied ${String(applied.length)} migration(s): ${applied.join(', ')}`,
    );
  } finally {
    await database.close();
  }
}

/**
 * The password comes from a hidden prompt on a terminal, or from standard input otherwise
 * (`echo "$PASSWORD" | umbrella createadmin --email …`); only the line ending is removed (D10).
 */
async function readPassword(io: CliIo): Promise<string> {
  if (io.stdin.isTTY === true) {
    const first = await read({
      prompt: 'Password: ',
      silent: true,
      replace: '*',
      input: io.stdin,
      output: io.stdout,
    });
    const again = await read({
      prompt: 'Password (again): ',
      silent: true,
      replace: '*',
      input: io.stdin,
      output: io.stdout,
    });
    if (first !== again) throw new IdentityError('password', 'the two passwords do not match');
    return first;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (firstLine === '') throw new IdentityError('password', 'no password on standard input');
  return firstLine;
}

/** `umbrella createadmin --email …`: migrates if needed, then creates an approved admin. */
export async function createAdminCommand(
  environment: Environment,
  io: CliIo,
  options: { email: string },
  now: () => Date = () => new Date(),
): Promise<void> {
  const database = await openDatabase(loadConfig(environment).database);
  try {
    await migrateToLatest(database.db);
    const password = await readPassword(io);
    const admin = await createAdmin(
      identityRepository(database.db),
      { email: options.email, password },
      now(),
    );
    line(io.stdout, `Created admin ${admin.email} (user id ${String(admin.id)}).`);
  } finally {
    await database.close();
  }
}

/** `umbrella config`: the effective configuration, secrets masked. */
export function printConfig(environment: Environment, io: CliIo): void {
  const pairs = describeConfig(loadConfig(environment));
  const width = Math.max(...pairs.map(([name]) => name.length));
  for (const [name, value] of pairs) line(io.stdout, `${name.padEnd(width)}  ${value}`);
}
