import { createHash, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

const pbkdf2Async = promisify(pbkdf2);

/** @node-rs/argon2's `Algorithm.Argon2id`, a const enum that isolated modules cannot import. */
const ARGON2ID = 2;

/** argon2id with ASVS 5.0 Appendix C's "t=2, m ≥ 19456 KiB, p=1" row (specs/identity.md D6). */
export const ARGON2ID_PARAMETERS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** D9: 12 to 128 characters for a new password. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** The stored password is exactly what was typed (D10): no trimming, no normalisation. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID_PARAMETERS);
}

export function verifyArgon2Password(storedHash: string, password: string): Promise<boolean> {
  return verify(storedHash, password);
}

/** NIST SP 800-63B §5.1.1.2: "each Unicode code point SHALL be counted as a single character". */
function codePointCount(text: string): number {
  const surrogatePairs = text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0;
  return text.length - surrogatePairs;
}

export function checkNewPasswordLength(password: string): string | null {
  const length = codePointCount(password);
  if (length < PASSWORD_MIN_LENGTH) {
    return `password must be at least ${String(PASSWORD_MIN_LENGTH)} characters (got ${String(length)})`;
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return `password must be at most ${String(PASSWORD_MAX_LENGTH)} characters (got ${String(length)})`;
  }
  return null;
}

// ---------------------------------------------------------------- Django hashes (§6.1–6.3)

const DJANGO_PBKDF2 = {
  pbkdf2_sha256: { digest: 'sha256', keyLength: 32 },
  pbkdf2_sha1: { digest: 'sha1', keyLength: 20 },
} as const;

/** Django PBKDF2 work is ~0.15 s of CPU each: at most this many run at once (§6.1 "Speed"). */
const MAX_CONCURRENT_PBKDF2 = 4;
let runningPbkdf2 = 0;
const waitingPbkdf2: (() => void)[] = [];

async function withPbkdf2Slot<T>(work: () => Promise<T>): Promise<T> {
  if (runningPbkdf2 >= MAX_CONCURRENT_PBKDF2) {
    await new Promise<void>((resolve) => waitingPbkdf2.push(resolve));
  }
  runningPbkdf2 += 1;
  try {
    return await work();
  } finally {
    runningPbkdf2 -= 1;
    waitingPbkdf2.shift()?.();
  }
}

async function verifyDjangoPbkdf2(stored: string, password: string): Promise<boolean | null> {
  const parts = stored.split('$');
  if (parts.length !== 4) return null;
  const [algorithm, iterationsText, salt, encoded] = parts as [string, string, string, string];
  if (algorithm !== 'pbkdf2_sha256' && algorithm !== 'pbkdf2_sha1') return null;
  const scheme = DJANGO_PBKDF2[algorithm];
  if (!/^[1-9]\d{0,8}$/.test(iterationsText) || salt === '') return null;
  const expected = Buffer.from(encoded, 'base64');
  if (expected.length !== scheme.keyLength) return null;
  // The salt is used as text, not base64-decoded; the password as its raw UTF-8 bytes.
  const derived = await withPbkdf2Slot(() =>
    pbkdf2Async(
      Buffer.from(password, 'utf8'),
      Buffer.from(salt, 'utf8'),
      Number(iterationsText),
      scheme.keyLength,
      scheme.digest,
    ),
  );
  return timingSafeEqual(derived, expected);
}

export type PasswordCheck =
  | { readonly kind: 'match'; readonly legacy: boolean }
  | { readonly kind: 'mismatch' }
  /** `!` passwords, unknown hashers and unparsable values never match (§6.2, §6.3). */
  | { readonly kind: 'unusable'; readonly reason: 'unusable' | 'unsupported_hash_algorithm' };

/** Whether a stored value could ever match: argon2id or a well-formed Django PBKDF2 hash. */
export function isUsablePasswordHash(stored: string): boolean {
  if (stored.startsWith('$argon2id$')) return true;
  const parts = stored.split('$');
  return (
    parts.length === 4 &&
    (parts[0] === 'pbkdf2_sha256' || parts[0] === 'pbkdf2_sha1') &&
    /^[1-9]\d{0,8}$/.test(parts[1] ?? '')
  );
}

let dummyHash: Promise<string> | undefined;

/** A verification with nothing to find, so that a miss costs what a hit costs. */
export async function verifyDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyArgon2Password(await dummyHash, password);
}

/** Dispatch on the stored value's prefix (§6.3). Never throws for a malformed stored value. */
export async function checkPassword(stored: string, password: string): Promise<PasswordCheck> {
  if (stored.startsWith('$argon2id$')) {
    try {
      return (await verifyArgon2Password(stored, password))
        ? { kind: 'match', legacy: false }
        : { kind: 'mismatch' };
    } catch {
      await verifyDummy(password);
      return { kind: 'unusable', reason: 'unsupported_hash_algorithm' };
    }
  }
  if (stored.startsWith('pbkdf2_sha256$') || stored.startsWith('pbkdf2_sha1$')) {
    const result = await verifyDjangoPbkdf2(stored, password);
    if (result === null) {
      await verifyDummy(password);
      return { kind: 'unusable', reason: 'unsupported_hash_algorithm' };
    }
    return result ? { kind: 'match', legacy: true } : { kind: 'mismatch' };
  }
  await verifyDummy(password);
  return {
    kind: 'unusable',
    reason: stored.startsWith('!') || stored === '' ? 'unusable' : 'unsupported_hash_algorithm',
  };
}

// ---------------------------------------------------------------- new-password policy (D9)

const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common']);
/** Words of this product that make a password guessable here (A-05 "context words"). */
const APP_WORDS = ['umbrella', 'hub', 'umbrellahub', 'margin', 'backtest', 'password'];
/** Django's UserAttributeSimilarityValidator default. */
const MAX_SIMILARITY = 0.7;

/** Python's SequenceMatcher.quick_ratio: 2·|multiset intersection| / (|a| + |b|). */
function quickRatio(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const char of b) counts.set(char, (counts.get(char) ?? 0) + 1);
  let matches = 0;
  for (const char of a) {
    const left = counts.get(char) ?? 0;
    if (left > 0) {
      matches += 1;
      counts.set(char, left - 1);
    }
  }
  const total = Array.from(a).length + Array.from(b).length;
  return total === 0 ? 0 : (2 * matches) / total;
}

/** True when `letters` is nothing but context words run together ("umbrellahub", "priyaraman"). */
function madeOfWords(letters: string, words: readonly string[]): boolean {
  if (letters === '') return false;
  const reachable = new Array<boolean>(letters.length + 1).fill(false);
  reachable[0] = true;
  for (let end = 1; end <= letters.length; end += 1) {
    reachable[end] = words.some(
      (word) =>
        word.length <= end && reachable[end - word.length] === true && letters.endsWith(word, end),
    );
  }
  return reachable[letters.length] === true;
}

export interface PasswordContext {
  readonly email: string;
  readonly firstName?: string;
  readonly lastName?: string;
}

/** Number of breaches the password appears in; null when the service could not answer. */
export type BreachCheck = (password: string) => Promise<number | null>;

/** HIBP's k-anonymity range API: only the first five hex characters of SHA-1 leave the host. */
export function hibpBreachCheck(baseUrl: string, timeoutMs = 3000): BreachCheck {
  return async (password) => {
    const digest = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
    try {
      const response = await fetch(`${baseUrl}/range/${digest.slice(0, 5)}`, {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { 'Add-Padding': 'true' },
      });
      if (!response.ok) return null;
      const suffix = digest.slice(5);
      for (const line of (await response.text()).split(/\r?\n/)) {
        const [candidate, count] = line.split(':');
        if (candidate?.trim().toUpperCase() === suffix) return Number(count?.trim() ?? '0');
      }
      return 0;
    } catch {
      return null;
    }
  };
}

/**
 * Every reason a new password is refused (D9, A-03, A-05, A-06); empty when it is accepted.
 * The password is judged exactly as typed; comparisons with lists are lower-cased, as Django's.
 */
export async function checkNewPassword(
  password: string,
  context: PasswordContext,
  breachCheck: BreachCheck | null,
  onBreachCheckUnavailable: () => void = () => undefined,
): Promise<string[]> {
  const lengthProblem = checkNewPasswordLength(password);
  if (lengthProblem !== null) return [lengthProblem];
  const problems: string[] = [];
  const lowered = password.toLowerCase();
  if (/^\d+$/.test(password)) problems.push('password must not be entirely numeric');
  const stem = lowered.replace(/[\d\W_]+$/u, '');
  if (COMMON_PASSWORDS.has(lowered.trim()) || (stem.length >= 4 && COMMON_PASSWORDS.has(stem))) {
    problems.push('password is too common');
  }
  const attributes = [context.email, context.firstName ?? '', context.lastName ?? '']
    .map((value) => value.toLowerCase())
    .filter((value) => value !== '');
  const attributeParts = attributes.flatMap((value) => [
    value,
    ...value.split(/\W+/u).filter((part) => part.length >= 3),
  ]);
  if (attributeParts.some((part) => quickRatio(lowered, part) >= MAX_SIMILARITY)) {
    problems.push('password is too similar to your email or name');
  } else if (madeOfWords(lowered.replace(/[^\p{L}]+/gu, ''), [...APP_WORDS, ...attributeParts])) {
    problems.push('password is made only of your email, your name or the name of this app');
  }
  if (problems.length === 0 && breachCheck !== null) {
    const breaches = await breachCheck(password);
    if (breaches === null) onBreachCheckUnavailable();
    else if (breaches > 0) problems.push('password appears in a known data breach; choose another');
  }
  return problems;
}
