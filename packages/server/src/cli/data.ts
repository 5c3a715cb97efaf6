import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrator.js';
import { readImportPaths } from '../modules/market/data-dir.js';
import { marketRepository } from '../modules/market/repository.js';
import {
  createMarketService,
  formatIssue,
  MarketError,
  type MarketLog,
} from '../modules/market/service.js';
import type { CliIo } from './commands.js';

type Environment = Readonly<Record<string, string | undefined>>;

/** A data command that cannot run (a path that cannot be read, nothing to import). */
export class DataCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataCommandError';
  }
}

const quiet: MarketLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

function line(stream: CliIo['stdout'], text: string): void {
  stream.write(`${text}\n`);
}

async function withMarket<T>(
  environment: Environment,
  work: (service: ReturnType<typeof createMarketService>) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(loadConfig(environment).database);
  try {
    await migrateToLatest(database.db);
    // The CLI imports and lists stored data only: no provider is asked.
    return await work(
      createMarketService({
        repository: marketRepository(database.db),
        clock: () => new Date(),
        sources: [],
        log: quiet,
      }),
    );
  } finally {
    await database.close();
  }
}

/**
 * `umbrella data import <file-or-folder>… [--skip-bad-rows]`: all files or none (unless
 * --skip-bad-rows); prints what each file did and the dataset version, or every issue and exits 1.
 */
export async function dataImportCommand(
  environment: Environment,
  io: CliIo,
  paths: readonly string[],
  options: { skipBadRows: boolean },
): Promise<void> {
  let files;
  try {
    files = await readImportPaths(paths);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataCommandError(`cannot read the files to import: ${reason}`);
  }
  if (files.length === 0) throw new DataCommandError(`no .csv files in ${paths.join(', ')}`);
  await withMarket(environment, async (service) => {
    let result;
    try {
      result = await service.importFiles(files, { skipBadRows: options.skipBadRows });
    } catch (error) {
      if (error instanceof MarketError) {
        for (const issue of error.issues) line(io.stderr, formatIssue(issue));
      }
      throw error;
    }
    for (const file of result.files) {
      line(
        io.stdout,
        `${file.file}: ${file.kind} ${file.target}, ${String(file.rows_read)} rows: ` +
          `${String(file.rows_inserted)} new, ${String(file.rows_updated)} changed, ` +
          `${String(file.rows_unchanged)} unchanged, ${String(file.skipped.length)} skipped`,
      );
      for (const issue of file.skipped) line(io.stdout, `  skipped ${formatIssue(issue)}`);
    }
    line(
      io.stdout,
      `Dataset version ${result.dataset_version}${result.changed ? ' (changed)' : ' (unchanged)'}`,
    );
  });
}

/** `umbrella data list`: every stored symbol and rate series with its range. */
export async function dataListCommand(environment: Environment, io: CliIo): Promise<void> {
  await withMarket(environment, async (service) => {
    const catalog = await service.catalog();
    line(io.stdout, `Dataset version ${catalog.dataset_version}`);
    if (catalog.symbols.length === 0 && catalog.rates.length === 0) {
      line(
        io.stdout,
        'No market data stored. Import some with `umbrella data import <file-or-folder>`.',
      );
      return;
    }
    for (const row of catalog.symbols) {
      line(
        io.stdout,
        `${row.symbol.padEnd(8)} ${row.first_date}..${row.last_date}  ${String(row.bar_count).padStart(6)} bars  ` +
          `${String(row.dividend_count).padStart(4)} dividends  ${row.source.padEnd(7)}  ${row.imported_at}`,
      );
    }
    for (const row of catalog.rates) {
      line(
        io.stdout,
        `${row.series.padEnd(8)} ${row.first_date}..${row.last_date}  ${String(row.point_count).padStart(6)} rates  ${row.imported_at}`,
      );
    }
  });
}
