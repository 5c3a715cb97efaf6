import type { IdentityRepository } from './repository.js';

/**
 * §3.6 limits. Counters live in the database (shared by every instance, never in process
 * memory) and are keyed on the normalised submitted email whether or not an account exists.
 */
export const LIMITS = {
  failedLoginsPerEmail: {
    max: 5,
    windowMs: 15 * 60_000,
    lockMs: 15 * 60_000,
    maxLockMs: 60 * 60_000,
  },
  failedLoginsPerIp: { max: 20, windowMs: 10 * 60_000, lockMs: 10 * 60_000 },
  authRequestsPerIp: { max: 60, windowMs: 60_000 },
  resetPerEmail: { max: 3, windowMs: 3_600_000 },
  resetPerIp: { max: 10, windowMs: 3_600_000 },
  accessRequestPerIp: { max: 5, windowMs: 3_600_000 },
  accessRequestPerEmail: { max: 3, windowMs: 24 * 3_600_000 },
  mfaAttemptsPerChallenge: { max: 5 },
  invitesPerInviter: { max: 50, windowMs: 24 * 3_600_000 },
  resendsPerInvite: { max: 3, windowMs: 24 * 3_600_000, minGapMs: 5 * 60_000 },
} as const;

export const emailKey = (email: string) => `login:email:${email.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `login:ip:${ip}`;

/** A fixed-window count; true while `max` is not exceeded. */
export async function withinLimit(
  repository: IdentityRepository,
  key: string,
  limit: { max: number; windowMs: number },
  now: Date,
): Promise<boolean> {
  const windowStart = new Date(now.getTime() - limit.windowMs).toISOString();
  const hits = await repository.hitCounter(key, now.toISOString(), windowStart);
  return hits <= limit.max;
}

/** When the key is locked, the moment the lock lifts; otherwise null. */
export async function lockedUntil(
  repository: IdentityRepository,
  key: string,
  now: Date,
): Promise<Date | null> {
  const row = await repository.findThrottle(key);
  if (row?.locked_until == null) return null;
  const until = new Date(row.locked_until);
  return until > now ? until : null;
}

/**
 * One failed login on a key: `max` failures inside the window lock it. Per email the lock
 * doubles (15, 30, 60 min) while failures continue; no lock is permanent (DependencyTrack#788).
 */
export async function recordFailure(
  repository: IdentityRepository,
  key: string,
  limit: { max: number; windowMs: number; lockMs: number; maxLockMs?: number },
  now: Date,
): Promise<void> {
  const row = await repository.findThrottle(key);
  const nowMs = now.getTime();
  const windowOpen = row !== undefined && Date.parse(row.window_start) > nowMs - limit.windowMs;
  const hits = (windowOpen ? row.hits : 0) + 1;
  // Lockouts keep counting only while failures keep coming (within a lock length of the last).
  const recentLock =
    row?.locked_until != null &&
    Date.parse(row.locked_until) > nowMs - (limit.maxLockMs ?? limit.lockMs);
  const lockouts = recentLock ? row.lockouts : 0;
  if (hits >= limit.max) {
    const lockMs = Math.min(limit.lockMs * 2 ** lockouts, limit.maxLockMs ?? limit.lockMs);
    await repository.saveThrottle({
      key,
      window_start: now.toISOString(),
      hits: 0,
      locked_until: new Date(nowMs + lockMs).toISOString(),
      lockouts: lockouts + 1,
    });
    return;
  }
  await repository.saveThrottle({
    key,
    window_start: windowOpen ? row.window_start : now.toISOString(),
    hits,
    locked_until: row?.locked_until ?? null,
    lockouts,
  });
}
