import { z } from 'zod';
import { checkNewPasswordLength, hashPassword } from './passwords.js';
import type { IdentityRepository } from './repository.js';

/** A request the identity rules refuse; the message names the field and the reason. */
export class IdentityError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'IdentityError';
  }
}

const emailSchema = z.email().max(254);

/** Django's normalize_email: the domain is lower-cased, the local part kept as typed (D5). */
export function normalizeEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? email : email.slice(0, at) + email.slice(at).toLowerCase();
}

/**
 * The first admin (or another one) from the command line: approved, role admin, is_staff (D3).
 * MFA enrolment is forced at first sign-in once identity's MFA lands.
 */
export async function createAdmin(
  users: IdentityRepository,
  input: { email: string; password: string },
  now: Date,
): Promise<{ id: number; email: string }> {
  const email = normalizeEmail(input.email.trim());
  if (!emailSchema.safeParse(email).success) {
    throw new IdentityError('email', `email "${input.email}" is not a valid email address`);
  }
  const passwordProblem = checkNewPasswordLength(input.password);
  if (passwordProblem !== null) throw new IdentityError('password', passwordProblem);
  if ((await users.findUserByEmail(email)) !== undefined) {
    throw new IdentityError('email', `a user with email ${email} already exists`);
  }
  const timestamp = now.toISOString();
  const id = await users.insertUser({
    email,
    username: null,
    password: await hashPassword(input.password),
    is_active: true,
    is_staff: true,
    is_superuser: false,
    is_approved: true,
    approval_date: timestamp,
    approved_by_id: null,
    last_login: null,
    last_login_ip: null,
    date_joined: timestamp,
    created_at: timestamp,
    updated_at: timestamp,
    role: 'admin',
    rejected_by_id: null,
    rejected_at: null,
    deactivated_at: null,
    deactivated_by_id: null,
    password_changed_at: timestamp,
    mfa_enabled_at: null,
    totp_secret_enc: null,
  });
  return { id, email };
}
