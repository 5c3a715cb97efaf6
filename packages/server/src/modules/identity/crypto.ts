import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IdentityConfig } from '../../config.js';

/** A URL-safe random secret (K-02: CSPRNG only). 32 bytes → 43 characters, 48 → 64. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Tokens and session ids are stored only as their SHA-256 (S-01, I-01). */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time comparison of two strings of any length. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

export function hmacSha256Hex(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

/**
 * AES-256-GCM for TOTP secrets and export archives, with a key derived (HKDF) from SECRET_KEY
 * or from a generated key file. Output: base64url(iv ‖ tag ‖ ciphertext).
 */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export function secretBox(keyMaterial: string): SecretBox {
  const key = Buffer.from(
    hkdfSync('sha256', keyMaterial, 'umbrella-hub', 'identity secret box v1', 32),
  );
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed) {
      const raw = Buffer.from(sealed, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** SECRET_KEY, or the key file (created with mode 0600 on first start, like a generated key). */
export async function loadKeyMaterial(config: IdentityConfig): Promise<string> {
  if (config.secretKey !== null) return config.secretKey;
  try {
    const stored = (await readFile(config.secretKeyFile, 'utf8')).trim();
    if (stored.length >= 32) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const generated = randomToken(48);
  await mkdir(path.dirname(config.secretKeyFile), { recursive: true });
  await writeFile(config.secretKeyFile, `${generated}\n`, { mode: 0o600, flag: 'wx' }).catch(
    (error: unknown) => {
      // Another instance wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    },
  );
  await chmod(config.secretKeyFile, 0o600);
  return (await readFile(config.secretKeyFile, 'utf8')).trim();
}
