import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';

/**
 * A hub of its own for each test: the built server (`npm run build`) on a free port with a fresh
 * SQLite file, so that journeys which need a first admin (the CLI makes exactly one, A-09) or
 * special settings (SMTP) never depend on what another test left behind.
 */
export interface Hub {
  readonly url: string;
  readonly databaseUrl: string;
  readonly dataDir: string;
  /** Everything the server printed, for the failure report. */
  readonly output: () => string;
}

export interface HubOptions {
  /** Extra environment for the server, e.g. SMTP_URL. */
  readonly env?: Readonly<Record<string, string>>;
}

const root = path.resolve(import.meta.dirname, '../..');
const serverMain = path.join(root, 'packages/server/dist/main.js');
const cliMain = path.join(root, 'packages/server/bin/umbrella.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('no port'));
        else resolve(address.port);
      });
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the hub exited with ${String(child.exitCode)}:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the hub did not become ready within 60 s:\n${output()}`);
}

export async function startHub(options: HubOptions = {}): Promise<Hub & { stop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'umbrella-e2e-hub-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${String(port)}`;
  const databaseUrl = `sqlite:${path.join(dataDir, 'hub.sqlite3')}`;
  let printed = '';
  const child = spawn(process.execPath, [serverMain], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      // Journeys never reach the internet: prices come from MARKET_DATA_DIR (inherited) and uploads.
      MARKET_DATA_PROVIDERS: 'csv-dir',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const output = () => printed;
  try {
    await waitUntilReady(url, child, output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    databaseUrl,
    dataDir,
    output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs the `umbrella` CLI against the hub's database; resolves with its exit code and output. */
export async function runCli(
  hub: Hub,
  args: readonly string[],
  stdin = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: hub.databaseUrl, LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      resolve({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

/**
 * `test` with a fresh hub per test; `baseURL` points at it, so `page.goto('/sign-in')` works.
 * Use `test.use({ hubOptions: { env: {...} } })` for special settings.
 */
export const test = base.extend<{ hubOptions: HubOptions; hub: Hub }>({
  hubOptions: [{}, { option: true }],
  hub: async ({ hubOptions }, use, testInfo) => {
    const hub = await startHub(hubOptions);
    try {
      await use(hub);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('hub output', { body: hub.output(), contentType: 'text/plain' });
      }
      await hub.stop();
    }
  },
  baseURL: async ({ hub }, use) => {
    await use(hub.url);
  },
});

export { expect } from '@playwright/test';
