import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { APP_VERSION } from './http/meta.js';
import { createAdminCommand, migrate, printConfig, type CliIo } from './cli/commands.js';
import { dataImportCommand, dataListCommand } from './cli/data.js';
import { describeFailure } from './cli/failure.js';
import { startServer } from './main.js';

/** The `umbrella` command. Known failures print one line and exit 1; bugs print their stack. */
export function buildCli(environment: NodeJS.ProcessEnv, io: CliIo): Command {
  const program = new Command('umbrella')
    .description('Umbrella Hub: one login, one database, four tools.')
    .version(APP_VERSION)
    .showHelpAfterError();

  program
    .command('serve')
    .description('migrate the database, then serve the hub (what npm start runs)')
    .action(() => startServer(environment));

  program
    .command('migrate')
    .description('apply pending database migrations (safe to run again)')
    .option('--status', 'list every migration as applied or pending, and change nothing', false)
    .action((options: { status: boolean }) => migrate(environment, io, options));

  program
    .command('createadmin')
    .description('create an admin account; the password is prompted for, or read from stdin')
    .requiredOption('--email <email>', 'email address of the new admin')
    .action((options: { email: string }) => createAdminCommand(environment, io, options));

  program
    .command('config')
    .description('print the effective configuration, secrets masked')
    .action(() => {
      printConfig(environment, io);
    });

  const data = program
    .command('data')
    .description('market data: import CSV files, list what is stored');
  data
    .command('import')
    .description(
      'import price and rate CSV files; a folder imports its prices/ and rates/ subfolders or its *.csv files',
    )
    .argument(
      '<paths...>',
      'CSV files or folders (SPY.csv: prices of SPY; EFFR.csv, FEDFUNDS.csv, TB3MS.csv: rates)',
    )
    .option(
      '--skip-bad-rows',
      'leave out bad rows (and list them) instead of rejecting the file',
      false,
    )
    .action((paths: string[], options: { skipBadRows: boolean }) =>
      dataImportCommand(environment, io, paths, options),
    );
  data
    .command('list')
    .description(
      'list the stored symbols and rate series with their ranges and the dataset version',
    )
    .action(() => dataListCommand(environment, io));

  return program;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildCli(process.env, io).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    const known = describeFailure(error);
    io.stderr.write(
      `umbrella: ${known ?? (error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
    );
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
