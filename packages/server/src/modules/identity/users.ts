import type { AdminUser, CurrentUser, UserStatus } from '@hub/core';
import type { IdentityConfig } from '../../config.js';
import type { UserRow } from './repository.js';

/** D4: derived from the legacy flags, never stored. */
export function userStatus(
  user: Pick<UserRow, 'is_active' | 'is_approved' | 'rejection_reason'>,
): UserStatus {
  if (!user.is_active) return 'inactive';
  if (user.is_approved) return 'approved';
  return user.rejection_reason !== '' ? 'rejected' : 'pending';
}

export function displayName(user: Pick<UserRow, 'first_name' | 'last_name' | 'email'>): string {
  const name = `${user.first_name} ${user.last_name}`.trim();
  return name === '' ? user.email : name;
}

export function toCurrentUser(user: UserRow, config: IdentityConfig): CurrentUser {
  return {
    id: user.id,
    email: user.email,
    first_name: user.first_name,
    last_name: user.last_name,
    role: user.role,
    is_superuser: Boolean(user.is_superuser),
    date_joined: user.date_joined,
    last_login: user.last_login,
    mfa_enabled: user.mfa_enabled_at !== null,
    mfa_enrolment_required:
      user.mfa_enabled_at === null && config.mfaRequiredRoles.includes(user.role),
  };
}

export function toAdminUser(
  user: UserRow,
  extras: { approvedBy: string | null; locked: boolean },
): AdminUser {
  return {
    id: user.id,
    email: user.email,
    first_name: user.first_name,
    last_name: user.last_name,
    role: user.role,
    status: userStatus(user),
    is_superuser: Boolean(user.is_superuser),
    date_joined: user.date_joined,
    last_login: user.last_login,
    login_count: user.login_count,
    approved_by: extras.approvedBy,
    approval_date: user.approval_date,
    rejection_reason: user.rejection_reason,
    mfa_enabled: user.mfa_enabled_at !== null,
    locked: extras.locked,
  };
}
