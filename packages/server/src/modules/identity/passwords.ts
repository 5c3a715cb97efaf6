import { hash, verify } from '@node-rs/argon2';

/** @node-rs/argon2's `Algorithm.Argon2id`, a const enum that isolated modules cannot import. */
const ARGON2ID = 2;

/** argon2id with ASVS 5.0 Appendix C's "t=2, m ≥ 19456 KiB, p=1" row (specs/identity.md D6). */
export const ARGON2ID_PARAMETERS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** D9: 12 to 128 characters for a new password; the rest of the policy lands with issue 3. */
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
