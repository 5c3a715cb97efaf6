import type { ColumnType, Generated, SqlBool } from 'kysely';

import type { Role } from '@hub/core';

export { ROLES, type Role } from '@hub/core';

/** ISO-8601 UTC text on both databases (see db/database.ts). */
type Timestamp = string;
/** boolean on PostgreSQL, 0/1 on SQLite; written as a boolean. */
type Flag = ColumnType<SqlBool, boolean | undefined, boolean>;

/**
 * identity.users: the legacy Django `authentication_user` columns, kept so that the import is
 * 1:1 and `id` keeps the values margin data refers to, plus the port's new columns
 * (specs/identity.md §5).
 */
export interface UsersTable {
  id: Generated<number>;
  email: string;
  username: string | null;
  /** Password hash: argon2id for new passwords, Django pbkdf2 for imported ones. */
  password: string;
  first_name: ColumnType<string, string | undefined, string>;
  last_name: ColumnType<string, string | undefined, string>;
  is_active: Flag;
  is_staff: Flag;
  is_superuser: Flag;
  is_approved: Flag;
  approval_date: Timestamp | null;
  approved_by_id: number | null;
  rejection_reason: ColumnType<string, string | undefined, string>;
  last_login: Timestamp | null;
  last_login_ip: string | null;
  login_count: ColumnType<number, number | undefined, number>;
  date_joined: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  role: Role;
  rejected_by_id: number | null;
  rejected_at: Timestamp | null;
  deactivated_at: Timestamp | null;
  deactivated_by_id: number | null;
  password_changed_at: Timestamp | null;
  mfa_enabled_at: Timestamp | null;
  totp_secret_enc: string | null;
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
}

/** identity.sessions (legacy authentication_usersession): only SHA-256 of the token is kept. */
export interface SessionsTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  ip_address: string | null;
  user_agent: string;
  created_at: Timestamp;
  last_activity: Timestamp;
  expires_at: Timestamp;
  is_active: Flag;
  revoked_at: Timestamp | null;
  revoke_reason: string | null;
  mfa_verified_at: Timestamp | null;
  last_auth_at: Timestamp;
}

/** identity.login_attempts (legacy authentication_loginattempt), the security audit log. */
export interface LoginAttemptsTable {
  id: Generated<number>;
  email: string;
  ip_address: string | null;
  user_agent: string;
  success: Flag;
  failure_reason: string;
  attempted_at: Timestamp;
  user_id: number | null;
}

/** identity.invites (legacy authentication_invitetoken): token replaced by its SHA-256. */
export interface InvitesTable {
  id: Generated<number>;
  token_hash: string;
  email: string;
  invite_type: Role;
  custom_message: string;
  created_by_id: number | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  email_sent_at: Timestamp | null;
  email_bounced: Flag;
  bounce_reason: string;
  revoked_at: Timestamp | null;
  revoked_by_id: number | null;
  resend_count: number;
  accepted_user_id: number | null;
  template_id: number | null;
  /** Message-ID of the last email sent for it, to match bounces. */
  message_id: string | null;
}

/** identity.invite_templates (legacy authentication_invitetemplate). */
export interface InviteTemplatesTable {
  id: Generated<number>;
  name: string;
  invite_type: Role;
  subject: string;
  message_template: string;
  is_active: Flag;
  created_at: Timestamp;
  created_by_id: number | null;
  updated_at: Timestamp | null;
  updated_by_id: number | null;
}

/** Append-only admin audit trail (§3.9); actor_id is a plain number so rows outlive users. */
export interface AuditEventsTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: number | null;
  action: string;
  target_type: string;
  target_id: string | null;
  ip: string | null;
  /** JSON text: before and after. */
  details: string;
}

export const TOKEN_PURPOSES = [
  'password_reset',
  'email_verify',
  'email_change',
  'signup_verify',
] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

export interface OneTimeTokensTable {
  id: Generated<number>;
  purpose: TokenPurpose;
  token_hash: string;
  user_id: number | null;
  email: string;
  /** JSON text: what the token carries (names for sign-up, the new address for a change). */
  payload: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface MfaRecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  created_at: Timestamp;
  used_at: Timestamp | null;
}

/** Shared throttle and lockout state (§3.6): one row per key, fixed windows. */
export interface ThrottlesTable {
  key: string;
  window_start: Timestamp;
  hits: number;
  locked_until: Timestamp | null;
  lockouts: number;
}

/** Every email the hub sends; bodies are kept only when there is no SMTP (the outbox). */
export interface MailMessagesTable {
  id: Generated<number>;
  message_id: string;
  to_address: string;
  subject: string;
  text_body: string | null;
  html_body: string | null;
  purpose: string;
  invite_id: number | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  error: string | null;
  transport: 'outbox' | 'smtp';
}

/** A deleted user's saved work waiting for its one-time download (D17). */
export interface UserExportsTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  email: string;
  archive_enc: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/**
 * A row exists only inside the retention purge's own transaction: the audit tables' triggers
 * allow DELETE while one is visible (L-04, migration 0003).
 */
export interface AuditPurgeGrantsTable {
  id: Generated<number>;
  granted_at: Timestamp;
}

export interface IdentityTables {
  'identity.users': UsersTable;
  'identity.sessions': SessionsTable;
  'identity.login_attempts': LoginAttemptsTable;
  'identity.invites': InvitesTable;
  'identity.invite_templates': InviteTemplatesTable;
  'identity.audit_events': AuditEventsTable;
  'identity.one_time_tokens': OneTimeTokensTable;
  'identity.mfa_recovery_codes': MfaRecoveryCodesTable;
  'identity.throttles': ThrottlesTable;
  'identity.mail_messages': MailMessagesTable;
  'identity.user_exports': UserExportsTable;
  'identity.audit_purge_grants': AuditPurgeGrantsTable;
}
