import { randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { sha256Hex } from './crypto.js';
import type { IdentityContext } from './context.js';
import type { IdentityRepository, UserRow } from './repository.js';

/** RFC 6238 defaults every authenticator app understands: SHA-1, 6 digits, 30 s. */
const PERIOD_SECONDS = 30;
/** One step either side, for clock drift. */
const WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function newTotpSecret(): Secret {
  return new Secret({ size: 20 });
}

export function otpauthUrl(secret: Secret, email: string): string {
  return new TOTP({
    issuer: 'Umbrella Hub',
    label: email,
    secret,
    period: PERIOD_SECONDS,
  }).toString();
}

/** The code an authenticator shows at `at` (tests and the e2e journey compute codes with it). */
export function totpCode(secretBase32: string, at: Date): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secretBase32),
    period: PERIOD_SECONDS,
    timestamp: at.getTime(),
  });
}

/** The time step a code belongs to, or null when it matches none in the window. */
function matchingStep(secretBase32: string, code: string, at: Date): number | null {
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secretBase32),
    period: PERIOD_SECONDS,
    timestamp: at.getTime(),
    window: WINDOW,
  });
  return delta === null ? null : Math.floor(at.getTime() / 1000 / PERIOD_SECONDS) + delta;
}

/** Ten single-use codes like `k7m2p-9xq4r`, shown once; only their SHA-256 is stored. */
export function newRecoveryCodes(): string[] {
  const part = () =>
    Array.from({ length: 5 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join(
      '',
    );
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => `${part()}-${part()}`);
}

/**
 * A TOTP code (each time step accepted once: a replayed code fails, A-11) or an unused
 * recovery code (single use). Returns false for anything else.
 */
export async function verifySecondFactor(
  context: IdentityContext,
  repository: IdentityRepository,
  user: UserRow,
  code: string,
): Promise<boolean> {
  if (user.totp_secret_enc === null) return false;
  const now = context.clock();
  if (/^\d{6}$/.test(code)) {
    const step = matchingStep(context.box.open(user.totp_secret_enc), code, now);
    if (step === null || (user.totp_last_step !== null && step <= user.totp_last_step))
      return false;
    return repository.advanceTotpStep(user.id, step, user.totp_last_step);
  }
  return repository.useRecoveryCode(user.id, sha256Hex(code.toLowerCase()), now.toISOString());
}

export function enrolmentStepMatches(secretBase32: string, code: string, at: Date): number | null {
  return matchingStep(secretBase32, code, at);
}
