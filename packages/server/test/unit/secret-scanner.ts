/**
 * K-01 (specs/identity.md §4.7): secrets come from the environment, never from the repository.
 * A small scanner for the kinds of secret this project could leak: private keys, cloud and
 * service tokens, credentials inside connection URLs, and literal values given to the settings
 * that hold secrets (SECRET_KEY, FMP_API_KEY, BOUNCE_WEBHOOK_SECRET, SMTP passwords, …).
 */

export interface SecretFinding {
  readonly path: string;
  readonly line: number;
  readonly rule: string;
  /** The matched text with the secret part masked, so that the report leaks nothing itself. */
  readonly excerpt: string;
}

/**
 * Values that are obviously not secrets: what docs, examples and test fixtures use. A value is a
 * placeholder when it equals one of these (any case) or contains one of the marker words.
 */
const PLACEHOLDER_VALUES = new Set([
  '',
  'pw',
  'pass',
  'password',
  'secret',
  's3cret',
  'changeme',
  'change-me',
  'postgres',
  'umbrella',
  'hub',
  'user',
  'redacted',
  '[redacted]',
  'none',
  'null',
  'undefined',
]);
/** Fixture values chosen to be recognised in leak tests; each is a fake by construction. */
const FIXTURE_VALUES = new Set([
  // packages/server/test/integration/problem-details.test.ts: a 5xx must not echo it.
  'hunter2',
  // packages/server/test/unit/market-provider-api-key-secrecy.test.ts: the key no error may show.
  'secret-fmp-key-0d9c7e21',
]);
const PLACEHOLDER_WORDS = [
  's3cret',
  'test',
  'fake',
  'dummy',
  'example',
  'placeholder',
  'fixture',
  'not-for',
  'your-',
  'your_',
  'xxx',
  '***',
  '...',
  '…',
];

/**
 * `${…}`, `$VAR`, `$(command)`, `<…>`, `%VAR%`, `{{…}}` and `process.env…` stand for a value
 * given elsewhere.
 */
const INDIRECTION =
  /^(?:\$\{.*\}?|\$[A-Za-z_][A-Za-z0-9_]*|\$\(.*|<.*>?|%[A-Za-z_]+%|\{\{.*|process\.env\b.*)$/;

export function isPlaceholder(value: string): boolean {
  const lower = value.trim().toLowerCase();
  if (PLACEHOLDER_VALUES.has(lower) || FIXTURE_VALUES.has(lower)) return true;
  if (INDIRECTION.test(value.trim())) return true;
  return PLACEHOLDER_WORDS.some((word) => lower.includes(word));
}

const CODE_FILE = /\.(?:[cm]?[jt]sx?)$/;

interface Rule {
  readonly name: string;
  readonly pattern: RegExp;
  /** The capture group holding the secret; its value decides placeholders and is masked. */
  readonly secretGroup?: number;
  /** Only literal values count: in code files the value must be quoted. */
  readonly quotedInCode?: boolean;
  readonly minLength?: number;
}

const RULES: readonly Rule[] = [
  {
    name: 'private key',
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g,
  },
  {
    name: 'AWS access key id',
    pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g,
  },
  {
    name: 'AWS secret access key',
    pattern: /aws_?secret_?access_?key\s*[:=]\s*["'`]?([A-Za-z0-9/+=]{40})\b/gi,
    secretGroup: 1,
  },
  {
    name: 'GitHub token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/g,
  },
  { name: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { name: 'Stripe live key', pattern: /\b[rs]k_live_[A-Za-z0-9]{16,}/g },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  {
    name: 'password in a connection URL',
    pattern:
      /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|smtps?|https?|ftp):\/\/[^\s:@/'"`]+:([^\s@/'"`]+)@/gi,
    secretGroup: 1,
  },
  {
    name: 'literal value for a secret setting',
    pattern:
      /\b([A-Z0-9_]*(?:SECRET|API_KEY|ACCESS_KEY|PRIVATE_KEY|AUTH_TOKEN|[A-Z0-9]_PASSWORD)[A-Z0-9_]*)["']?\s*[:=]\s*(["'`]?)([^\s"'`,;)}]+)\2/g,
    secretGroup: 3,
    quotedInCode: true,
    minLength: 8,
  },
];

/** Every secret-looking string in one file's text. */
export function scanText(path: string, text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const inCode = CODE_FILE.test(path);
  const lines = text.split('\n');
  lines.forEach((content, index) => {
    for (const rule of RULES) {
      for (const match of content.matchAll(rule.pattern)) {
        const secret = rule.secretGroup === undefined ? match[0] : (match[rule.secretGroup] ?? '');
        if (rule.secretGroup !== undefined && isPlaceholder(secret)) continue;
        if (rule.minLength !== undefined && secret.length < rule.minLength) continue;
        if (rule.quotedInCode === true && inCode && (match[2] ?? '') === '') continue;
        findings.push({
          path,
          line: index + 1,
          rule: rule.name,
          excerpt: match[0].replace(secret, `${secret.slice(0, 4)}…(${String(secret.length)})`),
        });
      }
    }
  });
  return findings;
}
