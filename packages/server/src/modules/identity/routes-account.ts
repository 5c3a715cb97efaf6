import {
  acceptedMessageSchema,
  currentUserSchema,
  emailChangeSchema,
  forgotPasswordSchema,
  identityStatusSchema,
  loginAttemptSchema,
  mfaChallengeRequestSchema,
  mfaEnableRequestSchema,
  mfaSetupResponseSchema,
  passwordChangeSchema,
  profileUpdateSchema,
  reauthRequestSchema,
  recoveryCodesResponseSchema,
  resetPasswordSchema,
  sessionInfoSchema,
  sessionStateSchema,
  signInRequestSchema,
  tokenRequestSchema,
} from '@hub/core';
import Bowser from 'bowser';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpProblem } from '../../http/problem.js';
import { idParamsSchema } from '../../http/params.js';
import {
  changePassword,
  completeMfaChallenge,
  invalidToken,
  limitAuthRequests,
  reauthenticate,
  requestPasswordReset,
  resetPassword,
  signIn,
} from './auth-service.js';
import { audit, caller, type IdentityContext } from './context.js';
import { randomToken, sha256Hex } from './crypto.js';
import { enrolmentStepMatches, newRecoveryCodes, newTotpSecret, otpauthUrl } from './mfa.js';
import type { SessionRow } from './repository.js';
import { clearSessionCookie, rotateSession, setSessionCookie } from './sessions.js';
import { toCurrentUser } from './users.js';

const EMAIL_CHANGE_HOURS = 24;
const RECENT_ATTEMPTS = 20;
const tags = ['identity'];

function device(userAgent: string): string {
  if (userAgent === '') return 'Unknown device';
  const parsed = Bowser.parse(userAgent);
  const browser = [parsed.browser.name, parsed.browser.version?.split('.')[0]]
    .filter(Boolean)
    .join(' ');
  const os = [parsed.os.name, parsed.os.versionName ?? parsed.os.version].filter(Boolean).join(' ');
  return [browser, os].filter((part) => part !== '').join(' on ') || 'Unknown device';
}

export function toSessionInfo(session: SessionRow, currentId: number | null) {
  return {
    id: session.id,
    ip_address: session.ip_address,
    user_agent: session.user_agent,
    device: device(session.user_agent),
    created_at: session.created_at,
    last_activity: session.last_activity,
    expires_at: session.expires_at,
    current: session.id === currentId,
  };
}

/** Sign-in, sign-out, the caller's own account, password reset and email change. */
export function registerAccountRoutes(root: FastifyInstance, context: IdentityContext): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { config, repository } = context;
  const signedIn = (user: Parameters<typeof toCurrentUser>[0]) => ({
    state: 'signed_in' as const,
    user: toCurrentUser(user, config),
  });

  app.get(
    '/api/identity/status',
    {
      config: { access: 'public' },
      schema: { tags, response: { 200: identityStatusSchema } },
    },
    async () => ({
      admin_exists: (await repository.countActiveAdmins()) > 0,
      signup_mode: config.signupMode,
    }),
  );

  app.post(
    '/api/identity/sessions',
    {
      config: { access: 'public' },
      bodyLimit: 100_000,
      schema: { tags, body: signInRequestSchema, response: { 200: sessionStateSchema } },
    },
    async (request, reply) => {
      await limitAuthRequests(context, request);
      const outcome = await signIn(context, request, request.body);
      setSessionCookie(reply, config, outcome.token);
      return outcome.kind === 'mfa_required'
        ? { state: 'mfa_required' as const }
        : signedIn(outcome.user);
    },
  );

  app.post(
    '/api/identity/sessions/mfa',
    {
      config: { access: 'mfa_challenge' },
      schema: { tags, body: mfaChallengeRequestSchema, response: { 200: sessionStateSchema } },
    },
    async (request, reply) => {
      await limitAuthRequests(context, request);
      const { token, user } = await completeMfaChallenge(
        context,
        request,
        caller(request),
        request.body.code,
      );
      setSessionCookie(reply, config, token);
      return signedIn(user);
    },
  );

  app.delete(
    '/api/identity/sessions/current',
    {
      config: { access: 'public' },
      schema: { tags },
    },
    async (request, reply) => {
      if (request.identity !== null) {
        await repository.revokeSessionById(
          request.identity.session.id,
          'logout',
          context.clock().toISOString(),
        );
      }
      clearSessionCookie(reply, config);
      reply.header('Clear-Site-Data', '"cookies", "storage"');
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/identity/me',
    {
      config: { access: 'public' },
      schema: { tags, response: { 200: sessionStateSchema } },
    },
    (request) => {
      const identity = request.identity;
      if (identity === null) {
        throw new HttpProblem(
          401,
          'Sign in first',
          'You are not signed in.',
          undefined,
          'unauthenticated',
        );
      }
      return identity.mfaPending ? { state: 'mfa_required' as const } : signedIn(identity.user);
    },
  );

  app.patch(
    '/api/identity/me',
    {
      config: { access: { role: 'viewer' } },
      schema: { tags, body: profileUpdateSchema, response: { 200: currentUserSchema } },
    },
    async (request) => {
      const { user } = caller(request);
      await repository.updateUser(user.id, {
        ...request.body,
        updated_at: context.clock().toISOString(),
      });
      const updated = await repository.findUserById(user.id);
      if (updated === undefined) throw new HttpProblem(404, 'Not found');
      return toCurrentUser(updated, config);
    },
  );

  app.post(
    '/api/identity/me/reauth',
    {
      config: { access: { role: 'viewer', duringMfaEnrolment: true } },
      schema: { tags, body: reauthRequestSchema },
    },
    async (request, reply) => {
      await limitAuthRequests(context, request);
      const token = await reauthenticate(context, request, caller(request), request.body);
      setSessionCookie(reply, config, token);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/identity/me/password',
    {
      // S-11: a stale session must re-authenticate (password and, with MFA, a code) first; the
      // current password alone would let a hijacked session of an MFA user skip the code.
      config: { access: { role: 'viewer', duringMfaEnrolment: true, freshAuth: true } },
      schema: { tags, body: passwordChangeSchema },
    },
    async (request, reply) => {
      await limitAuthRequests(context, request);
      const token = await changePassword(context, request, caller(request), request.body);
      setSessionCookie(reply, config, token);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/identity/me/email',
    {
      config: { access: { role: 'viewer', freshAuth: true } },
      schema: { tags, body: emailChangeSchema, response: { 202: acceptedMessageSchema } },
    },
    async (request, reply) => {
      const { user } = caller(request);
      const newEmail = request.body.new_email;
      const existing = await repository.findUserByEmail(newEmail);
      if (existing !== undefined) {
        throw new HttpProblem(409, 'Address in use', 'Another account already uses this address.', [
          { path: 'body.new_email', message: 'is already in use' },
        ]);
      }
      const now = context.clock();
      const token = randomToken(32);
      await repository.expireTokens('email_change', { userId: user.id }, now.toISOString());
      await repository.insertToken({
        purpose: 'email_change',
        token_hash: sha256Hex(token),
        user_id: user.id,
        email: newEmail,
        payload: JSON.stringify({ new_email: newEmail }),
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + EMAIL_CHANGE_HOURS * 3_600_000).toISOString(),
        used_at: null,
      });
      await context.mailer.send({
        to: newEmail,
        subject: 'Confirm your new Umbrella Hub email address',
        text: `To use ${newEmail} for your Umbrella Hub account, open this link within ${String(EMAIL_CHANGE_HOURS)} hours:\n\n${config.appBaseUrl}/confirm-email#${token}`,
        purpose: 'email_change',
      });
      return reply.code(202).send({ message: `We sent a confirmation link to ${newEmail}.` });
    },
  );

  app.post(
    '/api/identity/email/confirm',
    {
      config: { access: 'public' },
      schema: { tags, body: tokenRequestSchema, response: { 200: acceptedMessageSchema } },
    },
    async (request) => {
      await limitAuthRequests(context, request);
      const now = context.clock().toISOString();
      const token = await repository.findUsableToken(
        'email_change',
        sha256Hex(request.body.token),
        now,
      );
      const user =
        token?.user_id == null ? undefined : await repository.findUserById(token.user_id);
      if (token === undefined || user === undefined) throw invalidToken('confirmation link');
      const newEmail = z
        .object({ new_email: z.string() })
        .parse(JSON.parse(token.payload)).new_email;
      const taken = await repository.findUserByEmail(newEmail);
      if (taken !== undefined && taken.id !== user.id) {
        throw new HttpProblem(409, 'Address in use', 'Another account already uses this address.');
      }
      await repository.transaction(async (trx) => {
        if (!(await trx.consumeToken(token.id, now))) throw invalidToken('confirmation link');
        await trx.updateUser(user.id, { email: newEmail, updated_at: now });
        await audit(
          context,
          request,
          {
            action: 'email.change',
            targetType: 'user',
            targetId: user.id,
            actorId: user.id,
            details: { before: user.email, after: newEmail },
          },
          trx,
        );
      });
      await context.mailer.send({
        to: user.email,
        subject: 'Your Umbrella Hub email address was changed',
        text: `The email address of your Umbrella Hub account was changed from ${user.email} to ${newEmail}. If this was not you, contact an administrator.`,
        purpose: 'email_changed',
      });
      return { message: `Your email address is now ${newEmail}.` };
    },
  );

  app.get(
    '/api/identity/me/sessions',
    {
      config: { access: { role: 'viewer', duringMfaEnrolment: true } },
      schema: { tags, response: { 200: z.array(sessionInfoSchema) } },
    },
    async (request) => {
      const { user, session } = caller(request);
      const sessions = await repository.listActiveSessions(user.id, context.clock().toISOString());
      return sessions.map((row) => toSessionInfo(row, session.id));
    },
  );

  app.delete(
    '/api/identity/me/sessions/:id',
    {
      config: { access: { role: 'viewer', freshAuth: true } },
      schema: { tags, params: idParamsSchema },
    },
    async (request, reply) => {
      const { user } = caller(request);
      const target = await repository.findSessionById(request.params.id);
      // C-03: another user's session is "not found", never "forbidden" (no existence oracle).
      if (target?.user_id !== user.id || !target.is_active) {
        throw new HttpProblem(
          404,
          'Session not found',
          `You have no active session ${String(request.params.id)}.`,
        );
      }
      await repository.revokeSessionById(target.id, 'user_revoked', context.clock().toISOString());
      await audit(context, request, {
        action: 'session.revoke',
        targetType: 'session',
        targetId: target.id,
      });
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/identity/me/sessions/revoke-others',
    {
      config: { access: { role: 'viewer', freshAuth: true } },
      schema: { tags },
    },
    async (request, reply) => {
      const { user, session } = caller(request);
      const now = context.clock().toISOString();
      const count = await repository.revokeSessions(
        user.id,
        'user_revoked_others',
        now,
        session.id,
      );
      await audit(context, request, {
        action: 'session.revoke_all',
        targetType: 'user',
        targetId: user.id,
        details: { count },
      });
      setSessionCookie(reply, config, await rotateCurrent(context, session.id));
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/identity/me/login-attempts',
    {
      config: { access: { role: 'viewer' } },
      schema: { tags, response: { 200: z.array(loginAttemptSchema) } },
    },
    async (request) => {
      const rows = await repository.recentLoginAttempts(caller(request).user.id, RECENT_ATTEMPTS);
      return rows.map((row) => ({ ...row, success: Boolean(row.success) }));
    },
  );

  app.post(
    '/api/identity/me/mfa/setup',
    {
      config: { access: { role: 'viewer', duringMfaEnrolment: true, freshAuth: true } },
      schema: { tags, response: { 200: mfaSetupResponseSchema } },
    },
    async (request) => {
      const { user } = caller(request);
      if (user.mfa_enabled_at !== null) {
        throw new HttpProblem(
          409,
          'Already enrolled',
          'Two-factor authentication is already on; disable it first to change the device.',
        );
      }
      const secret = newTotpSecret();
      await repository.updateUser(user.id, {
        totp_secret_enc: context.box.seal(secret.base32),
        totp_last_step: null,
      });
      return { secret: secret.base32, otpauth_url: otpauthUrl(secret, user.email) };
    },
  );

  app.post(
    '/api/identity/me/mfa/enable',
    {
      config: { access: { role: 'viewer', duringMfaEnrolment: true } },
      schema: {
        tags,
        body: mfaEnableRequestSchema,
        response: { 200: recoveryCodesResponseSchema },
      },
    },
    async (request, reply) => {
      const { user, session } = caller(request);
      if (user.mfa_enabled_at !== null || user.totp_secret_enc === null) {
        throw new HttpProblem(
          409,
          'Nothing to enable',
          'Start the set-up first (POST /api/identity/me/mfa/setup).',
        );
      }
      const now = context.clock();
      const step = enrolmentStepMatches(
        context.box.open(user.totp_secret_enc),
        request.body.code,
        now,
      );
      if (step === null) {
        throw new HttpProblem(
          400,
          'Wrong code',
          'That code does not match; check the time on your device and try again.',
          [{ path: 'body.code', message: 'does not match' }],
          'mfa_failed',
        );
      }
      const codes = newRecoveryCodes();
      const nowIso = now.toISOString();
      const token = await repository.transaction(async (trx) => {
        await trx.updateUser(user.id, {
          mfa_enabled_at: nowIso,
          totp_last_step: step,
          updated_at: nowIso,
        });
        await trx.replaceRecoveryCodes(
          user.id,
          codes.map((code) => sha256Hex(code)),
          nowIso,
        );
        await audit(
          context,
          request,
          { action: 'mfa.enrol', targetType: 'user', targetId: user.id },
          trx,
        );
        return rotateCurrent(context, session.id, { mfa_verified_at: nowIso }, trx);
      });
      setSessionCookie(reply, config, token);
      return { recovery_codes: codes };
    },
  );

  app.post(
    '/api/identity/me/mfa/disable',
    {
      config: { access: { role: 'viewer', freshAuth: true } },
      schema: { tags },
    },
    async (request, reply) => {
      const { user } = caller(request);
      if (config.mfaRequiredRoles.includes(user.role)) {
        throw new HttpProblem(
          409,
          'Two-factor authentication is required',
          `The ${user.role} role must keep two-factor authentication on.`,
        );
      }
      const now = context.clock().toISOString();
      await repository.transaction(async (trx) => {
        await trx.updateUser(user.id, {
          mfa_enabled_at: null,
          totp_secret_enc: null,
          totp_last_step: null,
          updated_at: now,
        });
        await trx.replaceRecoveryCodes(user.id, [], now);
        await audit(
          context,
          request,
          { action: 'mfa.reset', targetType: 'user', targetId: user.id, details: { by: 'self' } },
          trx,
        );
      });
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/identity/me/mfa/recovery-codes',
    {
      config: { access: { role: 'viewer', freshAuth: true } },
      schema: { tags, response: { 200: recoveryCodesResponseSchema } },
    },
    async (request) => {
      const { user } = caller(request);
      if (user.mfa_enabled_at === null) {
        throw new HttpProblem(
          409,
          'Two-factor authentication is off',
          'Enable two-factor authentication first.',
        );
      }
      const codes = newRecoveryCodes();
      await repository.replaceRecoveryCodes(
        user.id,
        codes.map((code) => sha256Hex(code)),
        context.clock().toISOString(),
      );
      return { recovery_codes: codes };
    },
  );

  app.post(
    '/api/identity/password/forgot',
    {
      config: { access: 'public' },
      bodyLimit: 100_000,
      schema: { tags, body: forgotPasswordSchema, response: { 202: acceptedMessageSchema } },
    },
    async (request, reply) => {
      await requestPasswordReset(context, request, request.body.email);
      return reply.code(202).send({
        message: 'If an account uses this address, we sent it a link to reset the password.',
      });
    },
  );

  app.post(
    '/api/identity/password/reset',
    {
      config: { access: 'public' },
      bodyLimit: 100_000,
      schema: { tags, body: resetPasswordSchema, response: { 200: acceptedMessageSchema } },
    },
    async (request, reply) => {
      await limitAuthRequests(context, request);
      await resetPassword(context, request, request.body);
      reply.header('Referrer-Policy', 'no-referrer');
      return { message: 'Your password has been changed. Sign in with the new password.' };
    },
  );
}

function rotateCurrent(
  context: IdentityContext,
  sessionId: number,
  changes: { mfa_verified_at?: string } = {},
  repository = context.repository,
): Promise<string> {
  return rotateSession(repository, sessionId, changes);
}
