import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createSqliteTestDatabase } from '../helpers/database.js';

// Scenario: the hub is stopped (deploy, SIGTERM) while a user's request is still running. The
// request finishes, new connections are refused, and the database is closed.
describe('graceful shutdown', () => {
  const database = createSqliteTestDatabase();
  afterAll(() => database.drop());

  it('finishes the in-flight request, then closes the database', async () => {
    const app = await buildApp(
      loadConfig({
        DATABASE_URL: database.url,
        LOG_LEVEL: 'silent',
        WEB_DIST_DIR: 'none',
        SECRET_KEY: 'graceful-shutdown-test-key-0123456789abcdef',
      }),
    );
    let release: () => void = () => undefined;
    const requestStarted = new Promise<void>((started) => {
      app.get('/api/probe/slow', { config: { access: 'public' } }, async () => {
        started();
        await new Promise<void>((resolve) => (release = resolve));
        return { finished: true };
      });
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;

    const inFlight = fetch(`http://127.0.0.1:${port}/api/probe/slow`);
    await requestStarted;
    const closing = app.close();
    release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ finished: true });
    await closing;

    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    await expect(app.hub.database.ping()).rejects.toThrow();
  });

  it('exits with code 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@hub/source',
        '--import',
        'tsx',
        fileURLToPath(new URL('../../src/main.ts', import.meta.url)),
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: database.url,
          PORT: '0',
          WEB_DIST_DIR: 'none',
          LOG_LEVEL: 'info',
        },
      },
    );
    let output = '';
    const listening = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Server listening at')) resolve();
      });
      child.on('exit', (code) => {
        reject(new Error(`server exited with ${String(code)} before listening: ${output}`));
      });
    });
    await listening;
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output).toContain('"signal":"SIGTERM"');
  });
});
