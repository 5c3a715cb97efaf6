import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkNewPassword,
  checkPassword,
  hashPassword,
  hibpBreachCheck,
} from '../../src/modules/identity/passwords.js';

/** A Django hash built from its documented format (§6.1), independently of the verifier. */
function djangoHash(
  algorithm: 'pbkdf2_sha256' | 'pbkdf2_sha1',
  iterations: number,
  salt: string,
  password: string,
) {
  const [digest, length] = algorithm === 'pbkdf2_sha256' ? ['sha256', 32] : ['sha1', 20];
  const key = pbkdf2Sync(
    Buffer.from(password, 'utf8'),
    Buffer.from(salt, 'utf8'),
    iterations,
    length,
    digest,
  );
  return `${algorithm}$${String(iterations)}$${salt}$${key.toString('base64')}`;
}

const person = { email: 'priya.raman@umbrella-hub.example', firstName: 'Priya', lastName: 'Raman' };

// Scenario: the password rules of specs/identity.md D6, D9, D10 and §6, one check at a time.
describe('passwords', () => {
  it('A-08: Django PBKDF2 verifies at any iteration count, 12-char salts and pbkdf2_sha1', async () => {
    const cases = [
      djangoHash('pbkdf2_sha256', 150_000, 'abcdefghijkl', 'Old Django 2.2 password'),
      djangoHash('pbkdf2_sha256', 1, 'X', 'one iteration'),
      djangoHash('pbkdf2_sha1', 20_000, 'saltsaltsalt', 'sha one legacy'),
    ];
    expect(await checkPassword(cases[0] ?? '', 'Old Django 2.2 password')).toEqual({
      kind: 'match',
      legacy: true,
    });
    expect(await checkPassword(cases[1] ?? '', 'one iteration')).toEqual({
      kind: 'match',
      legacy: true,
    });
    expect(await checkPassword(cases[2] ?? '', 'sha one legacy')).toEqual({
      kind: 'match',
      legacy: true,
    });
    expect(await checkPassword(cases[0] ?? '', 'old Django 2.2 password')).toEqual({
      kind: 'mismatch',
    });
  });

  it('§6.3: unusable, unknown and malformed stored values never match and never throw', async () => {
    for (const stored of [
      '!abc',
      '',
      'md5$x$y',
      'bcrypt_sha256$$2b$12$x',
      'pbkdf2_sha256$0$s$h',
      'pbkdf2_sha256$x$s$h',
      '$argon2id$broken',
    ]) {
      const result = await checkPassword(stored, 'whatever password');
      expect(result.kind).toBe('unusable');
    }
  });

  it('A-04 / D10: passwords are hashed exactly as typed (NFC vs NFD, trailing space)', async () => {
    const composed = 'caf\u00e9 au lait 2024!';
    const decomposed = 'cafe\u0301 au lait 2024!';
    const hash = await hashPassword(composed);
    expect(hash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect((await checkPassword(hash, composed)).kind).toBe('match');
    expect((await checkPassword(hash, decomposed)).kind).toBe('mismatch');
    const spaced = await hashPassword('trailing space here ');
    expect((await checkPassword(spaced, 'trailing space here ')).kind).toBe('match');
    expect((await checkPassword(spaced, 'trailing space here')).kind).toBe('mismatch');
  });

  it('A-03: 12–128 characters, any Unicode and spaces; no composition rules', async () => {
    const accepted = [
      'correct horse battery', // spaces, lower case only
      '雨の日は図書館で本を読む時間', // 14 CJK characters
      '🦊🦊🦊 fox den 🌲🌲 trail', // emoji
      ' leading and trailing ',
      'x'.repeat(64).replace(/x/g, (_, i: number) => 'abcdefghij'[i % 10] ?? 'a'),
      'Ω'.repeat(1) + 'long passphrase '.repeat(7).slice(0, 127),
    ];
    for (const password of accepted) {
      expect([password, await checkNewPassword(password, person, null)]).toEqual([password, []]);
    }
    expect(await checkNewPassword('short pass', person, null)).toEqual([
      'password must be at least 12 characters (got 10)',
    ]);
    expect(await checkNewPassword('a'.repeat(129), person, null)).toEqual([
      'password must be at most 128 characters (got 129)',
    ]);
    // Code points, not UTF-16 units: 12 emoji are 12 characters.
    expect(await checkNewPassword('🦊🐻🐼🐨🐯🦁🐮🐷🐸🐵🐔🐧', person, null)).toEqual([]);
  });

  it('A-05: common, numeric, similar-to-identity and context-word passwords are refused', async () => {
    expect(await checkNewPassword('password123456', person, null)).toContain(
      'password is too common',
    );
    expect(await checkNewPassword('123456789012', person, null)).toContain(
      'password must not be entirely numeric',
    );
    const local = await checkNewPassword('priya.raman2025', person, null);
    expect(local.length).toBeGreaterThan(0);
    expect(await checkNewPassword('umbrellahub2025', person, null)).toEqual([
      'password is made only of your email, your name or the name of this app',
    ]);
  });

  it('A-06: a breach hit refuses the password; an unreachable service lets it through and warns', async () => {
    const password = 'tangerine orbit 4419 ladder';
    const sha1 = createHash('sha1').update(password).digest('hex').toUpperCase();
    const requested: string[] = [];
    // A local HTTP peer speaking the HIBP range API (https://haveibeenpwned.com/API/v3#PwnedPasswords).
    const server = createServer((request, response) => {
      requested.push(request.url ?? '');
      response.end(`0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n${sha1.slice(5)}:42\r\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const check = hibpBreachCheck(`http://127.0.0.1:${String(port)}`);
      expect(await checkNewPassword(password, person, check)).toEqual([
        'password appears in a known data breach; choose another',
      ]);
      // k-anonymity: only the first five hex characters of the SHA-1 leave the host.
      expect(requested).toEqual([`/range/${sha1.slice(0, 5)}`]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    let warned = 0;
    const down = hibpBreachCheck(`http://127.0.0.1:${String(port)}`, 500);
    expect(await checkNewPassword(password, person, down, () => (warned += 1))).toEqual([]);
    expect(warned).toBe(1);
  });
});
