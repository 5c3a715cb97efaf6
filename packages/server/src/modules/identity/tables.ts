import type { ColumnType, Generated, SqlBool } from 'kysely';

export const ROLES = ['viewer', 'analyst', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

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
}

export interface IdentityTables {
  'identity.users': UsersTable;
}
