/**
 * The admin area's calls to /api/identity/admin (docs/identity-api.md), all through the one HTTP
 * client, with the answers checked against the @hub/core contracts.
 */

import {
  adminUserSchema,
  auditEventSchema,
  invitationSchema,
  loginAttemptSchema,
  outboxMessageSchema,
  pageOf,
  savedWorkSummarySchema,
  sessionInfoSchema,
  templateSchema,
  type Role,
} from '@hub/core';
import { z } from 'zod';
import { apiDelete, apiGet, apiPatch, apiPost } from '../../api/client';
import { ADMIN_API, buildQuery, type QueryValue } from './adminHelpers';

export const adminUserPageSchema = pageOf(adminUserSchema);
export const invitationPageSchema = pageOf(invitationSchema);
export const templateListSchema = z.array(templateSchema);
export const loginAttemptPageSchema = pageOf(loginAttemptSchema);
export const auditEventPageSchema = pageOf(auditEventSchema);
export const outboxPageSchema = pageOf(outboxMessageSchema);

/** GET /admin/sessions: session info plus the owner's email (and id, when the server sends it). */
export const adminSessionSchema = sessionInfoSchema
  .partial({ current: true, expires_at: true })
  .extend({ user_email: z.string(), user_id: z.number().int().optional() });
export type AdminSession = z.infer<typeof adminSessionSchema>;
export const adminSessionPageSchema = pageOf(adminSessionSchema);

/** GET /admin/suspicious; `emails` may be a count or the list of addresses. */
export const suspiciousSchema = z.object({
  ips: z.array(
    z.object({
      ip: z.string().nullable(),
      emails: z.union([z.number().int(), z.array(z.string())]),
      failures: z.number().int(),
    }),
  ),
  accounts: z.array(z.object({ email: z.string(), failures: z.number().int() })),
});
export type Suspicious = z.infer<typeof suspiciousSchema>;

export type SavedWorkSummary = z.infer<typeof savedWorkSummarySchema>;

/** Every admin query key starts with this, so one invalidation refreshes the whole area. */
export const ADMIN_KEY = 'admin';

export function adminKey(resource: string, params: Record<string, QueryValue> = {}) {
  return [ADMIN_KEY, resource, params] as const;
}

function get<T>(
  path: string,
  params: Record<string, QueryValue>,
  schema: { parse: (value: unknown) => T },
  signal: AbortSignal,
): Promise<T> {
  return apiGet(`${ADMIN_API}${path}${buildQuery(params)}`, schema, { signal });
}

// ---------------------------------------------------------------- reads

export interface UserFilters extends Record<string, QueryValue> {
  search: string;
  status: string;
  role: string;
  page: number;
  page_size: number;
}

export const fetchUsers = (filters: UserFilters, signal: AbortSignal) =>
  get('/users', filters, adminUserPageSchema, signal);

export const fetchAccessRequests = (page: number, signal: AbortSignal) =>
  get('/access-requests', { page }, adminUserPageSchema, signal);

export const fetchInvitations = (status: string, page: number, signal: AbortSignal) =>
  get('/invitations', { status, page }, invitationPageSchema, signal);

export const fetchTemplates = (signal: AbortSignal) =>
  get('/templates', {}, templateListSchema, signal);

export const fetchSavedWork = (userId: number, signal: AbortSignal) =>
  get(`/users/${userId}/saved-work`, {}, savedWorkSummarySchema, signal);

export const fetchSessions = (userId: string, page: number, signal: AbortSignal) =>
  get('/sessions', { user_id: userId, page }, adminSessionPageSchema, signal);

export interface LoginAttemptFilters extends Record<string, QueryValue> {
  email: string;
  ip: string;
  success: string;
  reason: string;
  from: string;
  to: string;
}

export const fetchLoginAttempts = (
  filters: LoginAttemptFilters,
  page: number,
  signal: AbortSignal,
) => get('/login-attempts', { ...filters, page }, loginAttemptPageSchema, signal);

/** The CSV export of the login attempts with the same filters (no page: all matching rows). */
export function loginAttemptsCsvHref(filters: LoginAttemptFilters): string {
  return `${ADMIN_API}/login-attempts.csv${buildQuery(filters)}`;
}

export const fetchSuspicious = (signal: AbortSignal) =>
  get('/suspicious', {}, suspiciousSchema, signal);

export const fetchAuditEvents = (action: string, page: number, signal: AbortSignal) =>
  get('/audit-events', { action, page }, auditEventPageSchema, signal);

export const fetchOutbox = (page: number, signal: AbortSignal) =>
  get('/outbox', { page }, outboxPageSchema, signal);

// ---------------------------------------------------------------- changes

export const approveUser = (id: number, role: Role) =>
  apiPost(`${ADMIN_API}/users/${id}/approve`, { role }, adminUserSchema);

export const rejectUser = (id: number, reason: string, shareReason: boolean) =>
  apiPost(
    `${ADMIN_API}/users/${id}/reject`,
    { reason, share_reason: shareReason },
    adminUserSchema,
  );

export const changeRole = (id: number, role: Role) =>
  apiPatch(`${ADMIN_API}/users/${id}/role`, { role }, adminUserSchema);

export type UserAction = 'deactivate' | 'reactivate' | 'unlock' | 'mfa-reset';

/** POST /admin/users/:id/{deactivate,reactivate,unlock,mfa-reset} → the updated user. */
export const userAction = (id: number, action: UserAction) =>
  apiPost(`${ADMIN_API}/users/${id}/${action}`, {}, adminUserSchema);

export const sendResetLink = (id: number) =>
  apiPost<unknown>(`${ADMIN_API}/users/${id}/reset-link`, {});

export const revokeUserSessions = (id: number) =>
  apiPost<unknown>(`${ADMIN_API}/users/${id}/revoke-sessions`, {});

export const sendExport = (id: number) => apiPost<unknown>(`${ADMIN_API}/users/${id}/export`, {});

export const deleteUser = (id: number, confirmEmail: string) =>
  apiDelete<unknown>(`${ADMIN_API}/users/${id}`, { confirm_email: confirmEmail });

export interface InviteInput {
  email: string;
  invite_type: Role;
  template_id?: number | undefined;
  custom_message: string;
  expires_in_days: number;
}

export const createInvitation = (input: InviteInput) =>
  apiPost(`${ADMIN_API}/invitations`, input, invitationSchema);

export const resendInvitation = (id: number, email: string | undefined) =>
  apiPost(
    `${ADMIN_API}/invitations/${id}/resend`,
    email === undefined ? {} : { email },
    invitationSchema,
  );

export const revokeInvitation = (id: number) =>
  apiPost(`${ADMIN_API}/invitations/${id}/revoke`, {}, invitationSchema);

export interface TemplateInput {
  name: string;
  invite_type: Role;
  subject: string;
  message_template: string;
  is_active: boolean;
}

export const createTemplate = (input: TemplateInput) =>
  apiPost(`${ADMIN_API}/templates`, input, templateSchema);

export const updateTemplate = (id: number, input: Partial<TemplateInput>) =>
  apiPatch(`${ADMIN_API}/templates/${id}`, input, templateSchema);

export const revokeSession = (id: number) => apiDelete<unknown>(`${ADMIN_API}/sessions/${id}`);
