import { ConfigError } from '../config.js';
import { DatabaseUnavailableError } from '../db/database.js';
import { MigrationError } from '../db/migrator.js';
import { IdentityError } from '../modules/identity/service.js';
import { MarketError } from '../modules/market/service.js';
import { DataCommandError } from './data.js';

/**
 * The one line an operator sees when start-up or a command fails for a known reason, or null
 * for a bug (which then gets its stack trace).
 */
export function describeFailure(error: unknown): string | null {
  if (
    error instanceof ConfigError ||
    error instanceof DatabaseUnavailableError ||
    error instanceof MigrationError ||
    error instanceof IdentityError ||
    error instanceof MarketError ||
    error instanceof DataCommandError
  ) {
    return error.message;
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (
    error instanceof Error &&
    (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL')
  ) {
    return `cannot listen: ${error.message}`;
  }
  return null;
}
