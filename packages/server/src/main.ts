import { pathToFileURL } from 'node:url';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { describeFailure } from './cli/failure.js';
import { loadConfig } from './config.js';

/**
 * `npm start` and `umbrella serve`: migrate, then serve until SIGINT/SIGTERM; then stop taking
 * requests, let in-flight ones finish (up to SHUTDOWN_TIMEOUT_MS) and close the database.
 * Start-up failures with a known cause print one line and exit 1.
 */
export async function startServer(environment: NodeJS.ProcessEnv): Promise<void> {
  try {
    const config = loadConfig(environment);
    const app = await buildApp(config);
    // Installed before listening, so that a signal during start-up also closes cleanly.
    const shutdown = closeWithGrace(
      { delay: config.shutdownTimeoutMs },
      async ({ signal, err }) => {
        if (err !== undefined) app.log.error({ err }, 'shutting down after an uncaught error');
        else app.log.info({ signal }, 'shutting down');
        await app.close();
      },
    );
    try {
      await app.listen({ host: config.host, port: config.port });
    } catch (error) {
      shutdown.uninstall();
      await app.close();
      throw error;
    }
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
