import { fileURLToPath } from 'node:url';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * Test projects. The server's integration suites run once per database: always on SQLite, and
 * on PostgreSQL too when TEST_DATABASE_URL points at a server (CI sets it).
 */
const alias = {
  '@hub/core': fileURLToPath(new URL('packages/core/src/index.ts', import.meta.url)),
};

function project(name: string, include: string[], env: Record<string, string> = {}) {
  return {
    // Inherit the root's timeouts.
    extends: true,
    resolve: { alias },
    test: { name, include, env, environment: 'node' },
  } satisfies TestProjectInlineConfiguration;
}

const integration = ['packages/server/test/integration/**/*.test.ts'];

export default defineConfig({
  test: {
    projects: [
      project('core', ['packages/core/test/**/*.test.ts']),
      project('server', [
        'packages/server/test/unit/**/*.test.ts',
        'packages/server/test/parity/**/*.test.ts',
      ]),
      project('server:sqlite', integration, { HUB_TEST_DATABASE: 'sqlite' }),
      ...(process.env.TEST_DATABASE_URL
        ? [project('server:postgres', integration, { HUB_TEST_DATABASE: 'postgres' })]
        : []),
      project('web', ['packages/web/test/**/*.test.ts']),
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
