// What every benchmark shares: quantiles, waiting for a spawned hub, and the machine it ran on.
import os from 'node:os';

/** The q-quantile (nearest rank) of `values`; NaN for none. @param {number[]} values @param {number} q */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Polls `url` until it answers 2xx. @param {string} url @param {number} [intervalMs] */
export async function waitUntilReady(url, intervalMs = 5) {
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Recorded with every result, since figures mean little without the machine. */
export function machine() {
  return {
    node: process.version,
    cpus: os.cpus().length,
    platform: `${os.platform()} ${os.arch()}`,
    // Other work on a shared machine slows every figure: say how busy it was.
    loadAverage1m: os.loadavg()[0],
  };
}

/**
 * The identity.users row of an approved, active viewer, for benchmarks that put accounts straight
 * in the database. @param {string} email @param {string} passwordHash @param {string} now
 */
export function approvedViewerRow(email, passwordHash, now) {
  return {
    email,
    username: null,
    password: passwordHash,
    first_name: 'Bench',
    last_name: 'User',
    is_active: true,
    is_staff: false,
    is_superuser: false,
    is_approved: true,
    approval_date: now,
    approved_by_id: null,
    rejection_reason: '',
    last_login: null,
    last_login_ip: null,
    date_joined: now,
    created_at: now,
    updated_at: now,
    role: 'viewer',
    rejected_by_id: null,
    rejected_at: null,
    deactivated_at: null,
    deactivated_by_id: null,
    password_changed_at: now,
    mfa_enabled_at: null,
    totp_secret_enc: null,
  };
}
