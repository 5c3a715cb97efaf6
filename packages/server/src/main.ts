import { pathToFileURL } from 'node:url';
import closeWithGrace from 'close-with-grace';
import { serve } from './cli/commands.js';
import { describeFailure } from './cli/failure.js';

/**
 * Serves the hub until SIGINT/SIGTERM, then stops taking requests, lets in-flight ones finish
 * (up to SHUTDOWN_TIMEOUT_MS) and closes the database. Start-up failures with a known cause
 * print one line and exit 1.
 */
export async function startServer(environment: NodeJS.ProcessEnv): Promise<void> {
  try {
    const { app, config } = await serve(environment);
    closeWithGrace({ delay: config.shutdownTimeoutMs }, async ({ signal, err }) => {
      if (err !== undefined) app.log.error({ err }, 'shutting down after an uncaught error');
      else app.log.info({ signal }, 'shutting down');
      await app.close();
    });
  } catch (error) {
    const known = describeFailure(error);
    if (known === null) throw error;
    process.stderr.write(`umbrella: ${known}\n`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await startServer(process.env);
}
