import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPlaceholder, scanText } from './secret-scanner.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The files a commit would hold: tracked ones and new ones git does not ignore, so that a secret
 * is caught before it is ever committed.
 */
function repositoryFiles(): string[] {
  const output = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return [...new Set(output.split('\0').filter((file) => file !== ''))];
}

/** Made up at run time, so that this file holds no secret-shaped literal itself. */
const fake = {
  privateKey: ['-----BEGIN', 'RSA PRIVATE', 'KEY-----'].join(' '),
  opensshKey: ['-----BEGIN', 'OPENSSH PRIVATE', 'KEY-----'].join(' '),
  awsKeyId: 'AKIA' + 'Q3EXAMPLE7NDZP4M'.replace('EXAMPLE', 'RW9TB2H'),
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'Rq4v9ZmW1L',
  github: 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
  databasePassword: 'Tr0ub4dor' + '-horse-77',
  fmpKey: '9f8e7d6c5b4a' + '39281706f5e4d3c2',
};

// Scenario: someone pastes a key, a production connection string or an API key into a file of
// the repository; `npm test` must refuse it (specs/identity.md K-01, ASVS 5.0 13.3.1).
describe('secret scan of the repository', () => {
  it('K-01: the scanner finds private keys, AWS and GitHub keys, URL passwords and literal setting values', () => {
    const text = [
      fake.privateKey,
      fake.opensshKey,
      `aws_access_key_id = ${fake.awsKeyId}`,
      `aws_secret_access_key = ${fake.awsSecret}`,
      `token: ${fake.github}`,
      `DATABASE_URL=postgres://umbrella:${fake.databasePassword}@db.prod.internal:5432/umbrella`,
      `FMP_API_KEY=${fake.fmpKey}`,
      `SECRET_KEY="${fake.databasePassword}${fake.fmpKey}"`,
      `SMTP_PASSWORD: ${fake.databasePassword}`,
    ].join('\n');
    const findings = scanText('deploy/.env.production', text);
    expect(findings.map((finding) => [finding.line, finding.rule])).toEqual([
      [1, 'private key'],
      [2, 'private key'],
      [3, 'AWS access key id'],
      [4, 'AWS secret access key'],
      [5, 'GitHub token'],
      [6, 'password in a connection URL'],
      [7, 'literal value for a secret setting'],
      [8, 'literal value for a secret setting'],
      [9, 'literal value for a secret setting'],
    ]);
    // The report masks what it found.
    for (const finding of findings.filter((entry) => entry.line >= 6)) {
      expect(finding.excerpt).not.toContain(fake.databasePassword);
      expect(finding.excerpt).not.toContain(fake.fmpKey);
    }
  });

  it('K-01: in code, a quoted literal given to a secret setting is found; a variable is not', () => {
    const code = [
      `const config = { FMP_API_KEY: '${fake.fmpKey}' };`,
      'const other = { SECRET_KEY: process.env.SECRET_KEY, BOUNCE_WEBHOOK_SECRET: secret };',
    ].join('\n');
    expect(scanText('packages/server/src/probe.ts', code).map((finding) => finding.line)).toEqual([
      1,
    ]);
  });

  it('K-01: placeholders of docs and test fixtures are not findings (the allow-list)', () => {
    for (const value of [
      'pw',
      's3cret',
      'secret',
      '${DB_PASSWORD}',
      '$SECRET_KEY',
      '<your key>',
      '***',
    ]) {
      expect(isPlaceholder(value), value).toBe(true);
    }
    expect(isPlaceholder('test-only-secret-key-not-for-deployment-0123456789')).toBe(true);
    expect(isPlaceholder(fake.fmpKey)).toBe(false);
    const docs = [
      'export DATABASE_URL=postgres://umbrella:secret@db.internal:5432/umbrella',
      'DATABASE_URL=postgres://hub:${DB_PASSWORD}@db/umbrella',
      'FMP_API_KEY=<your key>',
      'SECRET_KEY=$(openssl rand -hex 32)',
    ].join('\n');
    expect(scanText('README.md', docs)).toEqual([]);
  });

  it('K-01: no tracked or new file of the repository holds a secret', () => {
    const files = repositoryFiles();
    // A sanity bound: the listing really came from git.
    expect(files).toContain('package.json');
    const findings = files.flatMap((file) => {
      const absolute = path.join(repoRoot, file);
      if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) return [];
      const bytes = fs.readFileSync(absolute);
      if (bytes.subarray(0, 8000).includes(0)) return []; // binary
      return scanText(file, bytes.toString('utf8'));
    });
    expect(findings).toEqual([]);
  });
});
