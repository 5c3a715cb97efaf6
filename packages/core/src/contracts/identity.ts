import { z } from 'zod';

/**
 * The identity hub's API contract (specs/identity.md): request bodies the server validates and
 * response shapes the web app reads. Field names are the API's (snake_case, as the legacy
 * columns); every route lives under /api/identity.
 */

export const ROLES = ['viewer', 'analyst', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** viewer < analyst < manager < admin. */
export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** D4: derived from the legacy flags, never stored. */
export const USER_STATUSES = ['approved', 'pending', 'rejected', 'inactive'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const INVITE_STATUSES = ['pending', 'used', 'revoked', 'bounced', 'expired'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

export const LOGIN_FAILURE_REASONS = [
  'invalid_password',
  'unknown_email',
  'inactive',
  'pending_approval',
  'rejected',
  'unusable_password',
  'locked_out',
  'rate_limited',
  'mfa_failed',
] as const;
export type LoginFailureReason = (typeof LOGIN_FAILURE_REASONS)[number];

/** The fixed template placeholder set (§3.2); anything else is refused on save. */
export const TEMPLATE_PLACEHOLDERS = [
  'app_name',
  'inviter_name',
  'inviter_email',
  'invitee_email',
  'role',
  'invite_link',
  'expires_at',
  'custom_message',
] as const;

// Control characters (C0, DEL, C1) never belong in an email address or a one-line name.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** V-01: ≤ 254, one @, no control characters; trimmed. IDN and +tag addresses are accepted. */
export const emailSchema = z
  .string()
  .trim()
  .max(254, 'email must be at most 254 characters')
  .refine((value) => !CONTROL_CHARACTERS.test(value), 'email must not contain control characters')
  .refine(
    (value) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/u.test(value),
    'email must be one address like name@example.com',
  );

/** A new password as typed (D10: never trimmed); the full D9 policy runs on the server. */
export const newPasswordSchema = z.string().min(1, 'password is required').max(1024);
/** A password being checked: any length the legacy system allowed, bounded against abuse. */
export const passwordSchema = z.string().min(1, 'password is required').max(1024);

export const personNameSchema = z
  .string()
  .trim()
  .max(150, 'must be at most 150 characters')
  .refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters');

/** One-time tokens travel in request bodies only, never in URLs the server logs. */
export const tokenSchema = z
  .string()
  .min(16, 'token is malformed')
  .max(128, 'token is malformed')
  .regex(/^[A-Za-z0-9_-]+$/, 'token is malformed');

export const totpCodeSchema = z
  .string()
  .trim()
  .regex(/^(\d{6}|[a-z0-9]{5}-[a-z0-9]{5})$/, 'code must be 6 digits or a recovery code');

// ---------------------------------------------------------------- sign-in and sessions

export const signInRequestSchema = z.object({
  email: z.string().max(1024),
  password: passwordSchema,
});
export const mfaChallengeRequestSchema = z.object({ code: totpCodeSchema });
export const reauthRequestSchema = z.object({
  password: passwordSchema,
  code: totpCodeSchema.optional(),
});

export const currentUserSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  role: roleSchema,
  is_superuser: z.boolean(),
  date_joined: z.string(),
  last_login: z.string().nullable(),
  mfa_enabled: z.boolean(),
  /** The role requires MFA and the user has not enrolled yet: only enrolment is open. */
  mfa_enrolment_required: z.boolean(),
});
export type CurrentUser = z.infer<typeof currentUserSchema>;

/** 200 from POST /sessions and /sessions/mfa, and GET /me. */
export const sessionStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('signed_in'), user: currentUserSchema }),
  /** The password was right; a TOTP or recovery code is due (POST /sessions/mfa). */
  z.object({ state: z.literal('mfa_required') }),
]);
export type SessionState = z.infer<typeof sessionStateSchema>;

/** GET /status: public facts the sign-in page needs. */
export const identityStatusSchema = z.object({
  admin_exists: z.boolean(),
  signup_mode: z.enum(['open', 'invite_only']),
});
export type IdentityStatus = z.infer<typeof identityStatusSchema>;

export const sessionInfoSchema = z.object({
  id: z.number().int(),
  ip_address: z.string().nullable(),
  user_agent: z.string(),
  device: z.string(),
  created_at: z.string(),
  last_activity: z.string(),
  expires_at: z.string(),
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const loginAttemptSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  ip_address: z.string().nullable(),
  user_agent: z.string(),
  success: z.boolean(),
  failure_reason: z.string(),
  attempted_at: z.string(),
  user_id: z.number().int().nullable(),
});
export type LoginAttempt = z.infer<typeof loginAttemptSchema>;

// ---------------------------------------------------------------- profile, password, email, MFA

export const profileUpdateSchema = z
  .object({
    first_name: personNameSchema.pipe(z.string().min(1, 'first name is required')),
    last_name: personNameSchema.pipe(z.string().min(1, 'last name is required')),
  })
  .strict();

export const passwordChangeSchema = z.object({
  current_password: passwordSchema,
  new_password: newPasswordSchema,
});
export const emailChangeSchema = z.object({ new_email: emailSchema });
export const tokenRequestSchema = z.object({ token: tokenSchema });

export const mfaSetupResponseSchema = z.object({ secret: z.string(), otpauth_url: z.string() });
export const mfaEnableRequestSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'code must be 6 digits'),
});
export const recoveryCodesResponseSchema = z.object({ recovery_codes: z.array(z.string()) });

// ---------------------------------------------------------------- reset and request access

export const forgotPasswordSchema = z.object({ email: z.string().max(1024) });
export const resetPasswordSchema = z.object({
  token: tokenSchema,
  new_password: newPasswordSchema,
  code: totpCodeSchema.optional(),
});
export const accessRequestSchema = z.object({
  email: emailSchema,
  first_name: personNameSchema,
  last_name: personNameSchema,
});
export const accessRequestCompleteSchema = z.object({
  token: tokenSchema,
  password: newPasswordSchema,
});
export const acceptedMessageSchema = z.object({ message: z.string() });

// ---------------------------------------------------------------- invitations

export const invitePreviewSchema = z.object({
  email: z.string(),
  role: roleSchema,
  inviter_name: z.string(),
  expires_at: z.string(),
  custom_message: z.string(),
});
export type InvitePreview = z.infer<typeof invitePreviewSchema>;

export const inviteAcceptSchema = z.object({
  token: tokenSchema,
  first_name: personNameSchema.pipe(z.string().min(1, 'first name is required')),
  last_name: personNameSchema.pipe(z.string().min(1, 'last name is required')),
  password: newPasswordSchema,
});

export const inviteCreateSchema = z.object({
  email: emailSchema,
  invite_type: roleSchema,
  template_id: z.number().int().positive().optional(),
  custom_message: z
    .string()
    .max(1000, 'custom_message must be at most 1000 characters')
    .default(''),
  expires_in_days: z.number().int().min(1).max(30).default(7),
});
export const inviteResendSchema = z.object({ email: emailSchema.optional() });

export const invitationSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  invite_type: roleSchema,
  status: z.enum(INVITE_STATUSES),
  custom_message: z.string(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  expires_at: z.string(),
  used_at: z.string().nullable(),
  email_sent_at: z.string().nullable(),
  email_bounced: z.boolean(),
  bounce_reason: z.string(),
  revoked_at: z.string().nullable(),
  resend_count: z.number().int(),
  template_id: z.number().int().nullable(),
});
export type Invitation = z.infer<typeof invitationSchema>;

export const templateInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'name is required')
    .max(100, 'name must be at most 100 characters'),
  invite_type: roleSchema,
  subject: z
    .string()
    .min(1, 'subject is required')
    .max(200, 'subject must be at most 200 characters'),
  message_template: z
    .string()
    .min(1, 'message_template is required')
    .max(10_000, 'message_template must be at most 10000 characters'),
  is_active: z.boolean().default(true),
});
export const templateSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  invite_type: roleSchema,
  subject: z.string(),
  message_template: z.string(),
  is_active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string().nullable(),
});
export type InviteTemplate = z.infer<typeof templateSchema>;

/** The bounce webhook body, signed with X-Umbrella-Signature: sha256=<hex HMAC of the body>. */
export const bounceReportSchema = z.object({
  message_id: z.string().min(1).max(998),
  reason: z.string().max(10_000),
});

// ---------------------------------------------------------------- admin

export const adminUserSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  role: roleSchema,
  status: z.enum(USER_STATUSES),
  is_superuser: z.boolean(),
  date_joined: z.string(),
  last_login: z.string().nullable(),
  login_count: z.number().int(),
  approved_by: z.string().nullable(),
  approval_date: z.string().nullable(),
  rejection_reason: z.string(),
  mfa_enabled: z.boolean(),
  locked: z.boolean(),
});
export type AdminUser = z.infer<typeof adminUserSchema>;

export const roleChangeSchema = z.object({ role: roleSchema });
export const approveSchema = z.object({ role: roleSchema });
export const rejectSchema = z.object({
  reason: z
    .string()
    .trim()
    .min(1, 'reason is required')
    .max(1000, 'reason must be at most 1000 characters'),
  share_reason: z.boolean().default(false),
});
export const deleteUserSchema = z.object({ confirm_email: z.string().max(1024) });

export const savedWorkSummarySchema = z.object({
  stores: z.array(
    z.object({
      name: z.string(),
      count: z.number().int(),
      bytes: z.number().int(),
      items: z.array(z.string()),
    }),
  ),
});

export const auditEventSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor_id: z.number().int().nullable(),
  action: z.string(),
  target_type: z.string(),
  target_id: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.unknown(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const outboxMessageSchema = z.object({
  id: z.number().int(),
  to_address: z.string(),
  subject: z.string(),
  text_body: z.string().nullable(),
  purpose: z.string(),
  created_at: z.string(),
  sent_at: z.string().nullable(),
  error: z.string().nullable(),
});
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

/** Every list answers { items, total, page, page_size }. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    page_size: z.number().int(),
  });
}
export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
});
