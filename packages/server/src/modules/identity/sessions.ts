import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdentityConfig } from '../../config.js';
import { randomToken, sha256Hex } from './crypto.js';
import type { IdentityRepository, SessionRow, UserRow } from './repository.js';

/** D7 / §3.7: at most this many live sessions per user; the oldest is evicted. */
export const MAX_SESSIONS_PER_USER = 10;
/** last_activity is written at most once a minute (§3.7 "Lifetime"). */
const ACTIVITY_WRITE_INTERVAL_MS = 60_000;
const USER_AGENT_MAX = 512;

export function sessionCookieName(config: IdentityConfig): string {
  // __Host- requires Secure; plain-HTTP localhost gets the unprefixed name (Secure relaxed).
  return config.secureCookies ? '__Host-umbrella_session' : 'umbrella_session';
}

export function setSessionCookie(reply: FastifyReply, config: IdentityConfig, token: string): void {
  reply.setCookie(sessionCookieName(config), token, {
    path: '/',
    httpOnly: true,
    secure: config.secureCookies,
    sameSite: 'lax',
    maxAge: config.sessionAbsoluteHours * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply, config: IdentityConfig): void {
  reply.clearCookie(sessionCookieName(config), {
    path: '/',
    httpOnly: true,
    secure: config.secureCookies,
    sameSite: 'lax',
  });
}

export function requestUserAgent(request: FastifyRequest): string {
  return (request.headers['user-agent'] ?? '').slice(0, USER_AGENT_MAX);
}

export interface ResolvedSession {
  readonly session: SessionRow;
  readonly user: UserRow;
}

/**
 * The session behind a cookie value, checked against the database on every request (S-12: no
 * cache): active, within its absolute and idle lifetimes, and its user still active and approved
 * (S-07, C-09). An expired session is marked so; any other miss returns null.
 */
export async function resolveSession(
  repository: IdentityRepository,
  config: IdentityConfig,
  token: string,
  now: Date,
): Promise<ResolvedSession | null> {
  if (token.length < 20 || token.length > 100) return null;
  const session = await repository.findSessionByTokenHash(sha256Hex(token));
  if (!session?.is_active) return null;
  const nowIso = now.toISOString();
  const idleLimit = new Date(now.getTime() - config.sessionIdleMinutes * 60_000).toISOString();
  if (session.expires_at <= nowIso || session.last_activity < idleLimit) {
    await repository.revokeSessionById(session.id, 'expired', nowIso);
    return null;
  }
  const user = await repository.findUserById(session.user_id);
  if (user === undefined || !user.is_active || !user.is_approved) {
    await repository.revokeSessionById(session.id, 'user_blocked', nowIso);
    return null;
  }
  if (now.getTime() - Date.parse(session.last_activity) >= ACTIVITY_WRITE_INTERVAL_MS) {
    await repository.updateSession(session.id, { last_activity: nowIso });
  }
  return { session, user };
}

/**
 * A new session after a successful password check (S-02: a fresh token; the caller discards any
 * earlier one). `mfaVerified` is false while a TOTP code is still due.
 */
export async function startSession(
  repository: IdentityRepository,
  config: IdentityConfig,
  request: FastifyRequest,
  userId: number,
  mfaVerified: boolean,
  now: Date,
): Promise<string> {
  const token = randomToken(32);
  const nowIso = now.toISOString();
  await repository.insertSession({
    token_hash: sha256Hex(token),
    user_id: userId,
    ip_address: request.ip,
    user_agent: requestUserAgent(request),
    created_at: nowIso,
    last_activity: nowIso,
    expires_at: new Date(now.getTime() + config.sessionAbsoluteHours * 3_600_000).toISOString(),
    is_active: true,
    revoked_at: null,
    revoke_reason: null,
    mfa_verified_at: mfaVerified ? nowIso : null,
    last_auth_at: nowIso,
  });
  const active = await repository.listActiveSessions(userId, nowIso);
  for (const old of active.slice(0, Math.max(0, active.length - MAX_SESSIONS_PER_USER))) {
    await repository.revokeSessionById(old.id, 'evicted', nowIso);
  }
  return token;
}

/** A new token for the same session (S-02 after MFA and re-authentication, S-08). */
export async function rotateSession(
  repository: IdentityRepository,
  sessionId: number,
  changes: { mfa_verified_at?: string; last_auth_at?: string },
): Promise<string> {
  const token = randomToken(32);
  await repository.updateSession(sessionId, { token_hash: sha256Hex(token), ...changes });
  return token;
}
