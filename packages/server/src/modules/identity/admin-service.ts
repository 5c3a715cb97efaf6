import type { AdminUser, Role } from '@hub/core';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from '../../http/problem.js';
import {
  adminRepository,
  type AdminRepository,
  type LoginAttemptRow,
  type UserFilters,
  type UserWithApprover,
} from './admin-repository.js';
import { invalidToken, sendResetLink } from './auth-service.js';
import { audit, caller, type IdentityContext } from './context.js';
import { randomToken, sha256Hex } from './crypto.js';
import type { IdentityRepository, UserRow } from './repository.js';
import { emailKey } from './throttle.js';
import {
  deleteUserData,
  describeUserData,
  exportUserData,
  userDataStores,
  type UserDataRegistry,
} from './user-data.js';
import { displayName, toAdminUser } from './users.js';

/** US-ADM-5: the export link is valid for 7 days. */
export const EXPORT_LINK_DAYS = 7;
/** §3.9 suspicious activity: the window and the thresholds. */
export const SUSPICIOUS_WINDOW_HOURS = 24;
export const SUSPICIOUS_IP_MIN_EMAILS = 3;
export const SUSPICIOUS_ACCOUNT_MIN_FAILURES = 5;

export function userNotFound(id: number): HttpProblem {
  return new HttpProblem(404, 'User not found', `There is no user ${String(id)}.`);
}

function conflict(title: string, detail: string): HttpProblem {
  return new HttpProblem(409, title, detail);
}

function isActiveAdmin(user: UserRow): boolean {
  return user.role === 'admin' && Boolean(user.is_active) && Boolean(user.is_approved);
}

/** The admin view of a user: the approver's name, and whether the email is locked out now. */
export async function toAdminView(
  context: IdentityContext,
  found: UserWithApprover,
  admin: AdminRepository = adminRepository(context.db),
): Promise<AdminUser> {
  const key = emailKey(found.user.email);
  const locked = await admin.lockedKeys([key], context.clock().toISOString());
  return toAdminUser(found.user, {
    approvedBy: found.approver === null ? null : displayName(found.approver),
    locked: locked.has(key),
  });
}

/** One user as the admin area shows it; 404 when there is none. */
export async function loadAdminUser(context: IdentityContext, id: number): Promise<AdminUser> {
  const admin = adminRepository(context.db);
  const found = await admin.findUserWithApprover(id);
  if (found === undefined) throw userNotFound(id);
  return toAdminView(context, found, admin);
}

/** US-ADM-1: the directory, searched and filtered, one page. */
export async function listUsers(
  context: IdentityContext,
  filters: UserFilters,
  page: number,
  pageSize: number,
) {
  const admin = adminRepository(context.db);
  const result = await admin.searchUsers(filters, (page - 1) * pageSize, pageSize);
  const keys = result.items.map((found) => emailKey(found.user.email));
  const locked = await admin.lockedKeys(keys, context.clock().toISOString());
  return {
    items: result.items.map((found) =>
      toAdminUser(found.user, {
        approvedBy: found.approver === null ? null : displayName(found.approver),
        locked: locked.has(emailKey(found.user.email)),
      }),
    ),
    total: result.total,
    page,
    page_size: pageSize,
  };
}

/**
 * Runs an admin change on a user in one transaction, with the §3.10 guards checked inside it
 * against fresh rows: the active admins are locked first (PostgreSQL), then the target is read.
 */
async function changeUser<T>(
  context: IdentityContext,
  request: FastifyRequest,
  id: number,
  work: (parts: {
    repository: IdentityRepository;
    admin: AdminRepository;
    target: UserRow;
    actor: UserRow;
    /** The active admins other than the target. */
    otherActiveAdmins: number;
  }) => Promise<T>,
): Promise<T> {
  const actor = caller(request).user;
  return context.repository.transaction(async (repository) => {
    const admin = adminRepository(repository.db);
    const adminIds = await admin.lockActiveAdminIds();
    const target = await repository.findUserById(id);
    if (target === undefined) throw userNotFound(id);
    const otherActiveAdmins = adminIds.filter((adminId) => adminId !== target.id).length;
    return work({ repository, admin, target, actor, otherActiveAdmins });
  });
}

/** §3.10 guards: never yourself, never the last active admin. */
function guardAdminChange(
  parts: { target: UserRow; actor: UserRow; otherActiveAdmins: number },
  verb: 'demote' | 'deactivate' | 'delete',
): void {
  if (parts.target.id === parts.actor.id) {
    throw conflict(
      `You cannot ${verb} yourself`,
      `An admin cannot ${verb} their own account; ask another admin.`,
    );
  }
  if (isActiveAdmin(parts.target) && parts.otherActiveAdmins === 0) {
    throw conflict(
      'The last admin must stay',
      `This is the only active admin: promote another user to admin before you ${verb} this one.`,
    );
  }
}

/** US-ADM-2: audited; the user's sessions end (S-07); MFA enrolment follows from the role. */
export async function changeRole(
  context: IdentityContext,
  request: FastifyRequest,
  id: number,
  role: Role,
): Promise<AdminUser> {
  await changeUser(context, request, id, async (parts) => {
    const { repository, target } = parts;
    if (target.role === role) return;
    // Every change of an admin's role is a demotion (admin is the highest role).
    if (target.role === 'admin' || target.id === parts.actor.id) guardAdminChange(parts, 'demote');
    const now = context.clock().toISOString();
    await repository.updateUser(target.id, { role, updated_at: now });
    const sessions = await repository.revokeSessions(target.id, 'role_change', now);
    await audit(
      context,
      request,
      {
        action: 'user.role_change',
        targetType: 'user',
        targetId: target.id,
        details: {
          before: target.role,
          after: role,
          sessions_revoked: sessions,
          mfa_enrolment_required:
            target.mfa_enabled_at === null && context.config.mfaRequiredRoles.includes(role),
        },
      },
      repository,
    );
  });
  return loadAdminUser(context, id);
}

/** US-ADM-3: login blocked, sessions revoked, pending invites invalid, saved work kept (D17). */
export async function deactivateUser(
  context: IdentityContext,
  request: FastifyRequest,
  id: number,
): Promise<AdminUser> {
  await changeUser(context, request, id, async (parts) => {
    const { repository, admin, target, actor } = parts;
    guardAdminChange(parts, 'deactivate');
    if (!target.is_active) return;
    const now = context.clock().toISOString();
    await repository.updateUser(target.id, {
      is_active: false,
      deactivated_at: now,
      deactivated_by_id: actor.id,
      updated_at: now,
    });
    const sessions = await repository.revokeSessions(target.id, 'deactivated', now);
    const invites = await admin.revokePendingInvitesCreatedBy(target.id, actor.id, now);
    await audit(
      context,
      request,
      {
        action: 'user.deactivate',
        targetType: 'user',
        targetId: target.id,
        details: { sessions_revoked: sessions, invites_revoked: invites },
      },
      repository,
    );
  });
  return loadAdminUser(context, id);
}

/** US-ADM-3: login works again; revoked sessions stay revoked. */
export async function reactivateUser(
  context: IdentityContext,
  request: FastifyRequest,
  id: number,
): Promise<AdminUser> {
  await changeUser(context, request, id, async ({ repository, target }) => {
    if (target.is_active) return;
    const now = context.clock().toISOString();
    await repository.updateUser(target.id, {
      is_active: true,
      deactivated_at: null,
      deactivated_by_id: null,
      updated_at: now,
    });
    await audit(
      context,
      request,
      {
        action: 'user.reactivate',
        targetType: 'user',
        targetId: target.id,
        details: { deactivated_at: target.deactivated_at },
      },
      repository,
    );
  });
  return loadAdminUser(context, id);
}

/** US-ADM-4: the email's lockout ends (the throttle row goes). */
export async function unlockUser(
  context: IdentityContext,
  request: FastifyRequest,
  id: number,
): Promise<AdminUser> {
  await changeUser(context, request, id, async ({ repository, admin, target }) => {
    const key = emailKey(target.email);
    const now = context.clock().toISOString();
    const wasLocked = (await admin.lockedKeys([key], now)).has(key);
    await repository.deleteThrottle(key);
    await audit(
      context,
      request,
      {
        action: 'user.unlock',
        targetType: 'user',
        targetId: target.id,
        details: { was_locked: wasLocked },
      },
      repository,
    );
  });
  return loadAdminUser(context, id);
}

/** US-ADM-4: TOTP and recovery codes are cleared; a role that requires MFA must enrol again. */
export async function resetMfa(
  context: IdentityContext,
  request: FastifyRequest,
  id: number,
): Promise<AdminUser> {
  await changeUser(context, request, id, async ({ repository, target }) => {
    const now = context.clock().toISOString();
    await repository.updateUser(target.id, {
      mfa_enabled_at: null,
      totp_secret_enc: null,
      totp_last_step: null,
      updated_at: now,
    });
    await repository.replaceRecoveryCodes(target.id, [], now);
    await audit(
      context,
      request,
      {
        action: 'mfa.reset',
        targetType: 'user',
        targetId: target.id,
        details: { by: 'admin', was_enabled: target.mfa_enabled_at !== null },
      },
      repository,
    );
  });
  return loadAdminUser(context, id);
}

/** US-ADM-4 / §3.8: a reset or set-password link goes to the user; the admin never sees it. */
export async function sendAdminResetLink(
  context: IdentityContext,
  request: FastifyRequest,
  id: number,
): Promise<void> {
  const user = await context.repository.findUserById(id);
  if (user === undefined) throw userNotFound(id);
  await sendResetLink(context, user, 'admin_reset');
  await audit(context, request, {
    action: 'user.reset_link_sent',
    targetType: 'user',
    targetId: user.id,
  });
}

/** US-SES-4 / S-10: every session of the user ends (an admin acting on themselves keeps this one). */
export async function revokeUserSessions(
  context: IdentityContext,
  request: FastifyRequest,
  id: number,
): Promise<void> {
  const identity = caller(request);
  const user = await context.repository.findUserById(id);
  if (user === undefined) throw userNotFound(id);
  const count = await context.repository.revokeSessions(
    user.id,
    'admin_revoked',
    context.clock().toISOString(),
    user.id === identity.user.id ? identity.session.id : null,
  );
  await audit(context, request, {
    action: 'session.revoke_all',
    targetType: 'user',
    targetId: user.id,
    details: { count },
  });
}

/** US-SES-4: one session ends; 404 when it is unknown or already over. */
export async function revokeSession(
  context: IdentityContext,
  request: FastifyRequest,
  sessionId: number,
): Promise<void> {
  const now = context.clock().toISOString();
  const session = await context.repository.findSessionById(sessionId);
  if (session === undefined || !session.is_active || session.expires_at <= now) {
    throw new HttpProblem(
      404,
      'Session not found',
      `There is no active session ${String(sessionId)}.`,
    );
  }
  await context.repository.revokeSessionById(session.id, 'admin_revoked', now);
  await audit(context, request, {
    action: 'session.revoke',
    targetType: 'session',
    targetId: session.id,
    details: { user_id: session.user_id },
  });
}

/** D12 / C-10: the user's saved work as metadata (counts, sizes, names), never its content. */
export async function savedWork(
  context: IdentityContext,
  id: number,
  registry: UserDataRegistry = userDataStores,
) {
  const user = await context.repository.findUserById(id);
  if (user === undefined) throw userNotFound(id);
  return { stores: await describeUserData(registry, user.id) };
}

/**
 * US-ADM-5 export offer: the archive of the user's saved work is sealed, stored apart from the
 * user's rows, and a one-time link (32 random bytes, hashed, 7 days) is emailed to the user.
 * The admin sees neither the link nor the archive.
 */
export async function sendUserExport(
  context: IdentityContext,
  request: FastifyRequest,
  id: number,
  registry: UserDataRegistry = userDataStores,
): Promise<void> {
  const user = await context.repository.findUserById(id);
  if (user === undefined) throw userNotFound(id);
  const now = context.clock();
  const nowIso = now.toISOString();
  const archive = {
    exported_at: nowIso,
    user: {
      id: user.id,
      email: user.email,
      first_name: user.first_name,
      last_name: user.last_name,
      role: user.role,
      date_joined: user.date_joined,
      last_login: user.last_login,
    },
    stores: await exportUserData(registry, user.id),
  };
  const counts = Object.fromEntries(
    (await describeUserData(registry, user.id)).map((store) => [store.name, store.count]),
  );
  const token = randomToken(32);
  await context.repository.transaction(async (repository) => {
    const admin = adminRepository(repository.db);
    await admin.purgeExpiredExports(nowIso);
    await admin.supersedeExports(user.id, nowIso);
    await admin.insertExport({
      token_hash: sha256Hex(token),
      user_id: user.id,
      email: user.email,
      archive_enc: context.box.seal(JSON.stringify(archive)),
      created_at: nowIso,
      expires_at: new Date(now.getTime() + EXPORT_LINK_DAYS * 86_400_000).toISOString(),
      used_at: null,
    });
    await audit(
      context,
      request,
      {
        action: 'user.export_sent',
        targetType: 'user',
        targetId: user.id,
        details: { stores: counts },
      },
      repository,
    );
  });
  await context.mailer.send({
    to: user.email,
    subject: 'Your Umbrella Hub data export',
    text: `An administrator prepared an export of your saved work in Umbrella Hub. Download it within ${String(EXPORT_LINK_DAYS)} days; the link works once:\n\n${context.config.appBaseUrl}/export#${token}\n\nIf you did not expect this, contact an administrator.`,
    purpose: 'user_export',
  });
}

/** POST /exports/download: the archive once; afterwards (or after 7 days) 410 and purged. */
export async function downloadExport(context: IdentityContext, token: string): Promise<string> {
  const admin = adminRepository(context.db);
  const now = context.clock().toISOString();
  await admin.purgeExpiredExports(now);
  const row = await admin.findExportByTokenHash(sha256Hex(token));
  if (row?.used_at !== null || row.expires_at <= now || row.archive_enc === '') {
    throw invalidToken('export link');
  }
  if (!(await admin.consumeExport(row.id, now))) throw invalidToken('export link');
  return context.box.open(row.archive_enc);
}

/**
 * US-ADM-5 hard deletion in one transaction: every store's rows, the identity rows that are the
 * user's, references set to NULL, then the user row; `user.delete` records counts, never content.
 */
export async function deleteUser(
  context: IdentityContext,
  request: FastifyRequest,
  id: number,
  confirmEmail: string,
  registry: UserDataRegistry = userDataStores,
): Promise<void> {
  const now = context.clock().toISOString();
  await changeUser(context, request, id, async (parts) => {
    const { repository, target, actor } = parts;
    guardAdminChange(parts, 'delete');
    if (confirmEmail.trim().toLowerCase() !== target.email.toLowerCase()) {
      throw new HttpProblem(
        400,
        'Confirmation does not match',
        "Type the user's email address to confirm the deletion.",
        [{ path: 'body.confirm_email', message: "does not match the user's email" }],
      );
    }
    const admin = adminRepository(repository.db);
    const exportSent = await admin.exportSent(target.id, now);
    const stores = await deleteUserData(registry, target.id, repository.db);
    const counts = await admin.eraseUser(target, actor.id, emailKey(target.email), now);
    await audit(
      context,
      request,
      {
        action: 'user.delete',
        targetType: 'user',
        targetId: target.id,
        details: { ...counts, stores, export_sent: exportSent },
      },
      repository,
    );
  });
}

/** §3.9: many emails failing from one address, or many failures on one account, in 24 h. */
export async function suspiciousActivity(context: IdentityContext) {
  const admin = adminRepository(context.db);
  const since = new Date(
    context.clock().getTime() - SUSPICIOUS_WINDOW_HOURS * 3_600_000,
  ).toISOString();
  const [ips, accounts] = await Promise.all([
    admin.suspiciousIps(since, SUSPICIOUS_IP_MIN_EMAILS),
    admin.suspiciousAccounts(since, SUSPICIOUS_ACCOUNT_MIN_FAILURES),
  ]);
  return { ips, accounts };
}

export function toLoginAttempt(row: LoginAttemptRow) {
  return { ...row, success: Boolean(row.success) };
}

/**
 * One CSV cell (RFC 4180, always quoted). A value a spreadsheet would read as a formula
 * (starting with = + - @, tab or CR) gets a leading apostrophe (OWASP CSV injection).
 */
export function csvCell(value: string | number | boolean | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export const LOGIN_ATTEMPT_CSV_COLUMNS = [
  'id',
  'attempted_at',
  'email',
  'ip_address',
  'user_agent',
  'success',
  'failure_reason',
  'user_id',
] as const;

export function loginAttemptsCsv(rows: readonly LoginAttemptRow[]): string {
  const lines = [LOGIN_ATTEMPT_CSV_COLUMNS.map((column) => csvCell(column)).join(',')];
  for (const row of rows) {
    const attempt = toLoginAttempt(row);
    lines.push(LOGIN_ATTEMPT_CSV_COLUMNS.map((column) => csvCell(attempt[column])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Audit details are stored as JSON text; they are answered as JSON again. */
export function parseDetails(details: string): unknown {
  try {
    return JSON.parse(details) as unknown;
  } catch {
    return details;
  }
}
