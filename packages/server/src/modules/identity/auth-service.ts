import type { LoginFailureReason } from '@hub/core';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from '../../http/problem.js';
import { audit, type IdentityContext, type RequestIdentity } from './context.js';
import { randomToken, sha256Hex } from './crypto.js';
import { verifySecondFactor } from './mfa.js';
import {
  checkNewPassword,
  checkPassword,
  hashPassword,
  isUsablePasswordHash,
  verifyDummy,
} from './passwords.js';
import type { UserRow } from './repository.js';
import { requestUserAgent, rotateSession, startSession } from './sessions.js';
import { emailKey, ipKey, LIMITS, lockedUntil, recordFailure, withinLimit } from './throttle.js';
import { userStatus } from './users.js';

/** one status and one body for every credential failure. */
export function invalidCredentials(): HttpProblem {
  return new HttpProblem(
    401,
    'Invalid email or password',
    'Invalid email or password.',
    undefined,
    'invalid_credentials',
  );
}

export function invalidToken(what = 'link'): HttpProblem {
  return new HttpProblem(
    410,
    `Invalid or expired ${what}`,
    `This ${what} is invalid or has expired.`,
    undefined,
    'invalid_token',
  );
}

const STATUS_REFUSALS = {
  pending: [
    'pending_approval',
    'Awaiting approval',
    'Your account is awaiting approval by an administrator.',
  ],
  rejected: ['rejected', 'Request declined', 'Your request for access was declined.'],
  inactive: [
    'inactive',
    'Account disabled',
    'Your account has been disabled. Contact an administrator.',
  ],
} as const;

export const RESET_TOKEN_MINUTES = 30;

async function recordAttempt(
  context: IdentityContext,
  request: FastifyRequest,
  email: string,
  outcome: { success: true } | { success: false; reason: LoginFailureReason },
  userId: number | null,
): Promise<void> {
  await context.repository.insertLoginAttempt({
    email: email.slice(0, 254),
    ip_address: request.ip,
    user_agent: requestUserAgent(request),
    success: outcome.success,
    failure_reason: outcome.success ? '' : outcome.reason,
    attempted_at: context.clock().toISOString(),
    user_id: userId,
  });
}

/** §3.6 "All auth endpoints per IP: 60 per min" → 429. */
export async function limitAuthRequests(
  context: IdentityContext,
  request: FastifyRequest,
): Promise<void> {
  const now = context.clock();
  if (
    !(await withinLimit(context.repository, `auth:ip:${request.ip}`, LIMITS.authRequestsPerIp, now))
  ) {
    throw new HttpProblem(
      429,
      'Too many requests',
      'Too many requests from this address; wait a minute.',
      undefined,
      'rate_limited',
      { 'Retry-After': '60' },
    );
  }
}

async function countFailure(context: IdentityContext, request: FastifyRequest, email: string) {
  const now = context.clock();
  await recordFailure(context.repository, emailKey(email), LIMITS.failedLoginsPerEmail, now);
  await recordFailure(context.repository, ipKey(request.ip), LIMITS.failedLoginsPerIp, now);
}

export type SignInOutcome =
  | { readonly kind: 'signed_in'; readonly token: string; readonly user: UserRow }
  | { readonly kind: 'mfa_required'; readonly token: string };

/**
 * US-AUTH-1 in the spec's order: rate limits → lookup by lower(email) → password (a dummy
 * verification when there is nothing to verify) → status gate → MFA → session.
 */
export async function signIn(
  context: IdentityContext,
  request: FastifyRequest,
  input: { email: string; password: string },
): Promise<SignInOutcome> {
  const { repository } = context;
  const email = input.email.trim();
  const now = context.clock();
  const ipLock = await lockedUntil(repository, ipKey(request.ip), now);
  if (ipLock !== null) {
    await recordAttempt(context, request, email, { success: false, reason: 'rate_limited' }, null);
    const seconds = Math.ceil((ipLock.getTime() - now.getTime()) / 1000);
    throw new HttpProblem(
      429,
      'Too many failed sign-ins',
      'Too many failed sign-ins from this address; try again later.',
      undefined,
      'rate_limited',
      { 'Retry-After': String(seconds) },
    );
  }
  const user = email === '' ? undefined : await repository.findUserByEmail(email);
  if ((await lockedUntil(repository, emailKey(email), now)) !== null) {
    await verifyDummy(input.password);
    await recordAttempt(
      context,
      request,
      email,
      { success: false, reason: 'locked_out' },
      user?.id ?? null,
    );
    throw invalidCredentials();
  }
  if (user === undefined) {
    await verifyDummy(input.password);
    await recordAttempt(context, request, email, { success: false, reason: 'unknown_email' }, null);
    await countFailure(context, request, email);
    throw invalidCredentials();
  }
  const check = await checkPassword(user.password, input.password);
  if (check.kind !== 'match') {
    if (check.kind === 'unusable' && check.reason === 'unsupported_hash_algorithm') {
      context.log.warn({ userId: user.id }, 'unsupported_hash_algorithm');
    }
    const reason = check.kind === 'unusable' ? 'unusable_password' : 'invalid_password';
    await recordAttempt(context, request, email, { success: false, reason }, user.id);
    await countFailure(context, request, email);
    throw invalidCredentials();
  }
  const status = userStatus(user);
  if (status !== 'approved') {
    const [reason, title, detail] = STATUS_REFUSALS[status];
    await recordAttempt(context, request, email, { success: false, reason }, user.id);
    throw new HttpProblem(403, title, detail, undefined, reason);
  }
  if (check.legacy) await upgradeLegacyHash(context, user, input.password);
  // S-02 / ASVS 7.2.4: any session this browser held before is discarded.
  if (request.identity !== null) {
    await repository.revokeSessionById(request.identity.session.id, 'rotated', now.toISOString());
  }
  if (user.mfa_enabled_at !== null) {
    const token = await startSession(repository, context.config, request, user.id, false, now);
    return { kind: 'mfa_required', token };
  }
  const token = await startSession(repository, context.config, request, user.id, true, now);
  await completeSignIn(context, request, user, email);
  return { kind: 'signed_in', token, user };
}

/** §6.3: re-hash to argon2id with a compare-and-swap; a failed upgrade never fails the login. */
async function upgradeLegacyHash(context: IdentityContext, user: UserRow, password: string) {
  try {
    const upgraded = await hashPassword(password);
    if (await context.repository.replacePasswordHash(user.id, user.password, upgraded)) {
      await audit(context, null, {
        action: 'password_upgraded',
        targetType: 'user',
        targetId: user.id,
        actorId: user.id,
        details: { from: user.password.split('$')[0] },
      });
    }
  } catch (error) {
    context.log.error({ err: error, userId: user.id }, 'legacy password upgrade failed');
  }
}

async function completeSignIn(
  context: IdentityContext,
  request: FastifyRequest,
  user: UserRow,
  email: string,
): Promise<void> {
  const now = context.clock().toISOString();
  await recordAttempt(context, request, email, { success: true }, user.id);
  await context.repository.recordSuccessfulLogin(user.id, request.ip, now);
  await context.repository.deleteThrottle(emailKey(email));
  // a login invalidates outstanding reset links.
  await context.repository.expireTokens('password_reset', { userId: user.id }, now);
}

/** The second sign-in step: 5 wrong codes end the session, and sign-in starts again. */
export async function completeMfaChallenge(
  context: IdentityContext,
  request: FastifyRequest,
  identity: RequestIdentity,
  code: string,
): Promise<{ token: string; user: UserRow }> {
  if (!identity.mfaPending) {
    throw new HttpProblem(409, 'No code is due', 'This session is already signed in.');
  }
  const { repository } = context;
  const now = context.clock();
  if (await verifySecondFactor(context, repository, identity.user, code)) {
    const token = await rotateSession(repository, identity.session.id, {
      mfa_verified_at: now.toISOString(),
      last_auth_at: now.toISOString(),
    });
    await repository.deleteThrottle(`mfa:${String(identity.session.id)}`);
    await completeSignIn(context, request, identity.user, identity.user.email);
    return { token, user: identity.user };
  }
  await recordAttempt(
    context,
    request,
    identity.user.email,
    { success: false, reason: 'mfa_failed' },
    identity.user.id,
  );
  const within = await withinLimit(
    repository,
    `mfa:${String(identity.session.id)}`,
    { max: LIMITS.mfaAttemptsPerChallenge.max - 1, windowMs: 3_600_000 },
    now,
  );
  if (!within) {
    await repository.revokeSessionById(identity.session.id, 'mfa_failed', now.toISOString());
    throw new HttpProblem(
      401,
      'Too many wrong codes',
      'Too many wrong codes: sign in again.',
      undefined,
      'mfa_restart',
    );
  }
  throw new HttpProblem(
    401,
    'Wrong code',
    'That code is not valid. Check your authenticator and try again.',
    undefined,
    'mfa_failed',
  );
}

/** §3.7: a password (and a code when MFA is on) refreshes last_auth_at and rotates the token. */
export async function reauthenticate(
  context: IdentityContext,
  request: FastifyRequest,
  identity: RequestIdentity,
  input: { password: string; code?: string | undefined },
): Promise<string> {
  const check = await checkPassword(identity.user.password, input.password);
  if (check.kind !== 'match') {
    await countFailure(context, request, identity.user.email);
    throw new HttpProblem(
      401,
      'Wrong password',
      'The password is not correct.',
      undefined,
      'invalid_credentials',
    );
  }
  if (identity.user.mfa_enabled_at !== null) {
    if (input.code === undefined) {
      throw new HttpProblem(
        401,
        'Code required',
        'Enter the code from your authenticator app.',
        undefined,
        'mfa_required',
      );
    }
    if (!(await verifySecondFactor(context, context.repository, identity.user, input.code))) {
      throw new HttpProblem(401, 'Wrong code', 'That code is not valid.', undefined, 'mfa_failed');
    }
  }
  return rotateSession(context.repository, identity.session.id, {
    last_auth_at: context.clock().toISOString(),
  });
}

export async function passwordProblems(
  context: IdentityContext,
  password: string,
  person: { email: string; firstName?: string; lastName?: string },
  field: string,
): Promise<void> {
  const problems = await checkNewPassword(password, person, context.breachCheck, () => {
    context.log.warn('breached-password service unavailable; password accepted (fail-open)');
  });
  if (problems.length > 0) {
    throw new HttpProblem(
      400,
      'Password not accepted',
      problems.join('; '),
      problems.map((message) => ({ path: field, message })),
      'password_policy',
    );
  }
}

/** US-SES-3 / S-08: a new password ends every other session and rotates the current one. */
export async function changePassword(
  context: IdentityContext,
  request: FastifyRequest,
  identity: RequestIdentity,
  input: { current_password: string; new_password: string },
): Promise<string> {
  const check = await checkPassword(identity.user.password, input.current_password);
  if (check.kind !== 'match') {
    await countFailure(context, request, identity.user.email);
    throw new HttpProblem(
      400,
      'Wrong current password',
      'The current password is not correct.',
      [{ path: 'body.current_password', message: 'is not correct' }],
      'invalid_credentials',
    );
  }
  const user = identity.user;
  await passwordProblems(
    context,
    input.new_password,
    { email: user.email, firstName: user.first_name, lastName: user.last_name },
    'body.new_password',
  );
  const now = context.clock().toISOString();
  const hash = await hashPassword(input.new_password);
  const token = await context.repository.transaction(async (repository) => {
    await repository.updateUser(user.id, {
      password: hash,
      password_changed_at: now,
      updated_at: now,
    });
    await repository.revokeSessions(user.id, 'password_change', now, identity.session.id);
    await repository.expireTokens('password_reset', { userId: user.id }, now);
    await audit(
      context,
      request,
      { action: 'password.change', targetType: 'user', targetId: user.id },
      repository,
    );
    return rotateSession(repository, identity.session.id, { last_auth_at: now });
  });
  await context.mailer.send({
    to: user.email,
    subject: 'Your Umbrella Hub password was changed',
    text: `Your password was changed on ${now}. If this was not you, reset your password at ${context.config.appBaseUrl}/forgot-password and contact an administrator.`,
    purpose: 'password_changed',
  });
  return token;
}

/** US-AUTH reset request: always the same answer; the work happens after it (A-12 timing). */
export async function requestPasswordReset(
  context: IdentityContext,
  request: FastifyRequest,
  rawEmail: string,
): Promise<void> {
  const email = rawEmail.trim();
  const ip = request.ip;
  context.background.run(async () => {
    const now = context.clock();
    const { repository } = context;
    const ipOk = await withinLimit(repository, `reset:ip:${ip}`, LIMITS.resetPerIp, now);
    const emailOk = await withinLimit(
      repository,
      `reset:email:${email.toLowerCase()}`,
      LIMITS.resetPerEmail,
      now,
    );
    if (!ipOk || !emailOk || email === '') return;
    const user = await repository.findUserByEmail(email);
    // Django's PasswordResetForm.get_users: active and a usable password.
    if (user === undefined || !user.is_active || !isUsablePasswordHash(user.password)) {
      return;
    }
    await sendResetLink(context, user, 'password_reset');
  });
  return Promise.resolve();
}

/** A single-use, 30-minute reset link; older links die (§3.8). */
export async function sendResetLink(
  context: IdentityContext,
  user: UserRow,
  purpose: 'password_reset' | 'admin_reset',
): Promise<void> {
  const now = context.clock();
  const token = randomToken(32);
  await context.repository.expireTokens('password_reset', { userId: user.id }, now.toISOString());
  await context.repository.insertToken({
    purpose: 'password_reset',
    token_hash: sha256Hex(token),
    user_id: user.id,
    email: user.email,
    payload: '{}',
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + RESET_TOKEN_MINUTES * 60_000).toISOString(),
    used_at: null,
  });
  const link = `${context.config.appBaseUrl}/reset-password#${token}`;
  await context.mailer.send({
    to: user.email,
    subject:
      purpose === 'admin_reset'
        ? 'Set your Umbrella Hub password'
        : 'Reset your Umbrella Hub password',
    text: `To choose a new password for ${user.email}, open this link within ${String(RESET_TOKEN_MINUTES)} minutes:\n\n${link}\n\nIf you did not ask for this, ignore this email.`,
    purpose,
  });
}

/** Completes a reset: MFA is not bypassed, every session ends (§3.8). */
export async function resetPassword(
  context: IdentityContext,
  request: FastifyRequest,
  input: { token: string; new_password: string; code?: string | undefined },
): Promise<void> {
  const { repository } = context;
  const now = context.clock();
  const token = await repository.findUsableToken(
    'password_reset',
    sha256Hex(input.token),
    now.toISOString(),
  );
  const user = token?.user_id == null ? undefined : await repository.findUserById(token.user_id);
  if (token === undefined || user === undefined) throw invalidToken('reset link');
  await passwordProblems(
    context,
    input.new_password,
    { email: user.email, firstName: user.first_name, lastName: user.last_name },
    'body.new_password',
  );
  if (user.mfa_enabled_at !== null) {
    if (input.code === undefined) {
      throw new HttpProblem(
        401,
        'Code required',
        'Enter the code from your authenticator app to finish the reset.',
        undefined,
        'mfa_required',
      );
    }
    const ok = await verifySecondFactor(context, repository, user, input.code);
    if (!ok) {
      const within = await withinLimit(
        repository,
        `reset-mfa:${String(token.id)}`,
        { max: LIMITS.mfaAttemptsPerChallenge.max - 1, windowMs: 3_600_000 },
        now,
      );
      if (!within) await repository.consumeToken(token.id, now.toISOString());
      throw new HttpProblem(401, 'Wrong code', 'That code is not valid.', undefined, 'mfa_failed');
    }
  }
  const hash = await hashPassword(input.new_password);
  const nowIso = now.toISOString();
  await repository.transaction(async (trx) => {
    if (!(await trx.consumeToken(token.id, nowIso))) throw invalidToken('reset link');
    await trx.updateUser(user.id, {
      password: hash,
      password_changed_at: nowIso,
      updated_at: nowIso,
    });
    await trx.revokeSessions(user.id, 'password_reset', nowIso);
    await trx.expireTokens('password_reset', { userId: user.id }, nowIso);
    await audit(
      context,
      request,
      { action: 'password.reset', targetType: 'user', targetId: user.id, actorId: user.id },
      trx,
    );
  });
  await repository.deleteThrottle(emailKey(user.email));
  await context.mailer.send({
    to: user.email,
    subject: 'Your Umbrella Hub password was reset',
    text: `The password of ${user.email} was reset on ${nowIso}, and every session was signed out. If this was not you, contact an administrator.`,
    purpose: 'password_changed',
  });
}
