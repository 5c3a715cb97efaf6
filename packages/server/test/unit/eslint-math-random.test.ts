import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Lints `code` with the repository's eslint.config.js as the text of the file at `filePath`.
 * Typed linting only accepts files its tsconfig knows, so the snippet stands in for an existing
 * file's content (in memory; nothing is written).
 */
const eslint = new ESLint({ cwd: repoRoot });
async function lint(code: string, filePath: string) {
  const [result] = await eslint.lintText(code, { filePath: `${repoRoot}${filePath}` });
  return (result?.messages ?? []).map((message) => ({
    rule: message.ruleId,
    line: message.line,
    message: message.message,
  }));
}

const SNIPPET = [
  'export const a = Math.random();',
  "export const b = Math['random']();",
  'const { random } = Math;',
  'export const c = random();',
  '',
].join('\n');

/** Typed linting builds a TypeScript program first: seconds, more on a busy machine. */
const LINT_TIMEOUT_MS = 120_000;

// Scenario: someone reaches for Math.random in server or engine code, for a token, an id or a
// jitter (specs/identity.md K-02, ASVS 5.0 11.5.1: CSPRNG only).
describe('Math.random is banned where secrets are made', () => {
  it(
    'K-02: in packages/server/src the repository config reports every form, pointing to node:crypto',
    async () => {
      const messages = await lint(SNIPPET, 'packages/server/src/modules/identity/crypto.ts');
      const banned = messages.filter((message) => message.rule === 'no-restricted-properties');
      expect(banned.map((message) => message.line)).toEqual([1, 2, 3]);
      for (const message of banned) {
        expect(message.message).toContain('crypto.randomBytes');
        expect(message.message).toContain('randomInt');
      }
    },
    LINT_TIMEOUT_MS,
  );

  it(
    'K-02: in packages/core/src too',
    async () => {
      const messages = await lint(SNIPPET, 'packages/core/src/index.ts');
      expect(
        messages
          .filter((message) => message.rule === 'no-restricted-properties')
          .map((m) => m.line),
      ).toEqual([1, 2, 3]);
    },
    LINT_TIMEOUT_MS,
  );

  it(
    'K-02: crypto.randomInt is fine (the positive control)',
    async () => {
      const messages = await lint(
        "import { randomInt } from 'node:crypto';\nexport const d = randomInt(10);\n",
        'packages/server/src/modules/identity/crypto.ts',
      );
      expect(messages).toEqual([]);
    },
    LINT_TIMEOUT_MS,
  );
});
