import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteTestDatabase } from '../helpers/database.js';

const serverSource = fileURLToPath(new URL('../../src/', import.meta.url));

/** Runs src/main.ts or src/cli.ts as a real process, the way `npm start` and `umbrella` do. */
function run(
  script: 'main.ts' | 'cli.ts',
  args: string[],
  environment: Record<string, string>,
  input = '',
) {
  const result = spawnSync(
    process.execPath,
    ['--conditions=@hub/source', '--import', 'tsx', `${serverSource}${script}`, ...args],
    {
      env: {
        PATH: process.env.PATH ?? '',
        LOG_LEVEL: 'silent',
        WEB_DIST_DIR: 'none',
        ...environment,
      },
      input,
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectOneLineFailure(result: { code: number | null; stderr: string }, line: string) {
  expect(result.code).toBe(1);
  expect(result.stderr).toBe(`umbrella: ${line}\n`);
}

// Scenario: an operator starts the hub with a mistake in its settings or an unreachable
// database, and gets one line naming the problem and exit code 1 — never a stack trace.
describe('start-up failures and the umbrella command, as processes', () => {
  const database = createSqliteTestDatabase();
  afterAll(() => database.drop());

  it('a bad setting value', () => {
    expectOneLineFailure(
      run('main.ts', [], { PORT: 'http', DATABASE_URL: database.url }),
      'invalid configuration: PORT must be a whole number from 0 to 65535 (got "http")',
    );
  });

  it('a wrong DATABASE_URL', () => {
    expectOneLineFailure(
      run('main.ts', [], { DATABASE_URL: 'mongodb://hub:pw@db/umbrella' }),
      'invalid configuration: DATABASE_URL must start with "sqlite:" or "postgres://" (got "mongodb://hub:***@db/umbrella")',
    );
  });

  it('an unreachable PostgreSQL (nothing listens on port 1)', () => {
    const result = run('main.ts', [], { DATABASE_URL: 'postgres://hub:pw@127.0.0.1:1/umbrella' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^umbrella: cannot reach PostgreSQL at 127\.0\.0\.1:1\/umbrella: .*ECONNREFUSED.*\n$/,
    );
    expect(result.stderr).not.toContain('pw@');
  });

  it('a port another process already listens on', async () => {
    const occupant = net.createServer();
    await new Promise<void>((resolve) => occupant.listen(0, '127.0.0.1', resolve));
    const { port } = occupant.address() as net.AddressInfo;
    // Its own database: start-up migrates before it listens.
    const ownDatabase = createSqliteTestDatabase();
    try {
      const result = run('main.ts', [], { DATABASE_URL: ownDatabase.url, PORT: String(port) });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `umbrella: cannot listen: listen EADDRINUSE: address already in use 127.0.0.1:${String(port)}\n`,
      );
    } finally {
      occupant.close();
      await ownDatabase.drop();
    }
  });

  it('umbrella migrate applies once, then finds nothing to do; --status lists all applied', () => {
    const first = run('cli.ts', ['migrate'], { DATABASE_URL: database.url });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Applied \d+ migration\(s\): 20261121_01_identity_users, /);
    const second = run('cli.ts', ['migrate'], { DATABASE_URL: database.url });
    expect(second).toMatchObject({
      code: 0,
      stdout: 'Database is up to date: no migration to apply.\n',
    });
    const status = run('cli.ts', ['migrate', '--status'], { DATABASE_URL: database.url });
    expect(status.code).toBe(0);
    const lines = status.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) expect(line).toMatch(/^applied {2}\d{8}_\d{2}_[a-z]+_\w+ {2}\d{4}-/);
  });

  it('umbrella createadmin reads the password from stdin; umbrella config masks secrets', () => {
    const created = run(
      'cli.ts',
      ['createadmin', '--email', 'root@example.com'],
      { DATABASE_URL: database.url },
      'a sufficiently long pass\n',
    );
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/^Created admin root@example\.com \(user id \d+\)\.\n$/);

    const again = run(
      'cli.ts',
      ['createadmin', '--email', 'root@example.com'],
      { DATABASE_URL: database.url },
      'a sufficiently long pass\n',
    );
    expectOneLineFailure(again, 'a user with email root@example.com already exists');

    const config = run('cli.ts', ['config'], { DATABASE_URL: 'postgres://hub:s3cret@db/umbrella' });
    expect(config.code).toBe(0);
    expect(config.stdout).toMatch(/^DATABASE_URL +postgres:\/\/hub:\*\*\*@db\/umbrella$/m);
    expect(config.stdout).not.toContain('s3cret');
  });
});
