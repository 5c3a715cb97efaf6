/**
 * Pure helpers of the admin area (no React, no DOM): query strings for the list filters, badge
 * colours, the roles a viewer may grant, date and size formatting, template placeholder checks.
 * Covered by packages/web/test/admin-helpers.test.ts.
 */

import {
  INVITE_STATUSES,
  ROLES,
  TEMPLATE_PLACEHOLDERS,
  type InviteStatus,
  type Role,
  type UserStatus,
} from '@hub/core';
import { ApiError, type FieldError } from '../../api/client';

/** Every admin route lives under this prefix (docs/identity-api.md). */
export const ADMIN_API = '/api/identity/admin';

export type QueryValue = string | number | boolean | null | undefined;

/**
 * A query string ("?a=1&b=x") from the given parameters, in their order. Undefined, null and
 * empty (or blank) string values are left out; strings are trimmed. An empty result is "".
 */
export function buildQuery(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const text = typeof value === 'string' ? value.trim() : String(value);
    if (text === '') continue;
    search.append(key, text);
  }
  const query = search.toString();
  return query === '' ? '' : `?${query}`;
}

// ---------------------------------------------------------------- roles and sections

export interface Viewer {
  role: Role;
  is_superuser: boolean;
}

/** `is_superuser` is the break-glass flag that implies admin (D3). */
export function isAdmin(viewer: Viewer): boolean {
  return viewer.role === 'admin' || viewer.is_superuser;
}

/** D13: admins grant every role; managers only viewer and analyst; nobody else grants any. */
export function grantableRoles(viewer: Viewer): Role[] {
  if (isAdmin(viewer)) return [...ROLES];
  if (viewer.role === 'manager') return ['viewer', 'analyst'];
  return [];
}

export interface AdminSection {
  /** Relative to the admin page; '' is the index (the approval queue). */
  path: string;
  label: string;
  adminOnly: boolean;
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { path: '', label: 'Approval queue', adminOnly: false },
  { path: 'users', label: 'Users', adminOnly: false },
  { path: 'invitations', label: 'Invitations', adminOnly: false },
  { path: 'templates', label: 'Templates', adminOnly: true },
  { path: 'sessions', label: 'Sessions', adminOnly: true },
  { path: 'login-audit', label: 'Login audit', adminOnly: true },
  { path: 'audit', label: 'Audit log', adminOnly: true },
  { path: 'outbox', label: 'Mail outbox', adminOnly: true },
  { path: 'market-data', label: 'Market data', adminOnly: true },
  { path: 'margin', label: 'Margin calculations', adminOnly: true },
];

/** The sections a viewer sees in the admin navigation (managers: no admin-only ones). */
export function visibleSections(admin: boolean): AdminSection[] {
  return ADMIN_SECTIONS.filter((section) => admin || !section.adminOnly);
}

/** The first segment of the part of the URL below the admin page: "users/3" → "users". */
export function sectionOf(splat: string): string {
  return splat.split('/').find((segment) => segment !== '') ?? '';
}

/**
 * The URL of the admin page itself, given the current pathname and the part matched by the
 * route's splat: ("/admin/users", "users") → "/admin". A trailing slash is dropped.
 */
export function splatBase(pathname: string, splat: string): string {
  let base = pathname;
  if (splat !== '' && base.endsWith(splat)) base = base.slice(0, base.length - splat.length);
  base = base.replace(/\/+$/, '');
  return base === '' ? '/' : base;
}

/** A section's URL below the admin page's base: ("/admin", "users") → "/admin/users". */
export function sectionHref(base: string, path: string): string {
  if (path === '') return base;
  return `${base === '/' ? '' : base}/${path}`;
}

// ---------------------------------------------------------------- badges

/** Badge colours; shades are chosen so the (auto-contrast) text stays at 4.5:1 or more. */
const USER_STATUS_COLOURS: Record<UserStatus, string> = {
  approved: 'teal.9',
  pending: 'yellow.6',
  rejected: 'red.9',
  inactive: 'gray.7',
};

const INVITE_STATUS_COLOURS: Record<InviteStatus, string> = {
  pending: 'yellow.6',
  used: 'teal.9',
  revoked: 'gray.7',
  bounced: 'red.9',
  expired: 'grape.9',
};

export function userStatusColour(status: UserStatus): string {
  return USER_STATUS_COLOURS[status];
}

export function inviteStatusColour(status: InviteStatus): string {
  return INVITE_STATUS_COLOURS[status];
}

/** A login attempt's result badge: success teal, failure red. */
export function loginResultColour(success: boolean): string {
  return success ? 'teal.9' : 'red.9';
}

export function isInviteStatus(value: string): value is InviteStatus {
  return (INVITE_STATUSES as readonly string[]).includes(value);
}

/** Only a pending (or bounced, to correct the address) invite can be resent or revoked. */
export function inviteIsOpen(status: InviteStatus): boolean {
  return status === 'pending' || status === 'bounced';
}

// ---------------------------------------------------------------- formatting

/** "First Last", or "" when both are empty. */
export function fullName(person: { first_name: string; last_name: string }): string {
  return `${person.first_name} ${person.last_name}`.trim();
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * "YYYY-MM-DD HH:MM" in the browser's time zone, or in UTC (then suffixed " UTC").
 * null becomes "—"; a string that is not a date is returned as it is.
 */
export function formatDateTime(iso: string | null, zone: 'local' | 'UTC' = 'local'): string {
  if (iso === null || iso === '') return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (zone === 'UTC') {
    return (
      `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())} ` +
      `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())} UTC`
    );
  }
  return (
    `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ` +
    `${pad2(date.getHours())}:${pad2(date.getMinutes())}`
  );
}

/** Bytes as "512 B", "1.5 KB", "2.0 MB" (powers of 1024, one decimal above bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)} GB`;
}

/** An audit event's details as indented JSON text ("" when there are none). */
export function detailsText(details: unknown): string {
  if (details === undefined || details === null) return '';
  if (typeof details === 'string') return details;
  try {
    // undefined for values JSON cannot hold (a function, a symbol).
    const text = JSON.stringify(details, null, 2) as string | undefined;
    return text ?? '';
  } catch {
    return '(details that cannot be shown as JSON)';
  }
}

/** The number of pages for a total, at least 1. */
export function pageCount(total: number, pageSize: number): number {
  if (pageSize <= 0) return 1;
  return Math.max(1, Math.ceil(total / pageSize));
}

/** "n / max characters" under a text area. */
export function characterCount(text: string, max: number): string {
  return `${text.length} / ${max} characters`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The error of a from/to date filter (YYYY-MM-DD, as date inputs give them), or undefined when
 * both are empty or valid and from is not after to.
 */
export function dateRangeError(from: string, to: string): string | undefined {
  if ((from !== '' && !ISO_DATE.test(from)) || (to !== '' && !ISO_DATE.test(to))) {
    return 'Enter dates as YYYY-MM-DD.';
  }
  if (from !== '' && to !== '' && from > to) return 'The to date must not be before the from date.';
  return undefined;
}

// ---------------------------------------------------------------- templates

/** The allowed placeholders as users write them: "{{ app_name }}". */
export const PLACEHOLDER_EXAMPLES: readonly string[] = TEMPLATE_PLACEHOLDERS.map(
  (name) => `{{ ${name} }}`,
);

/**
 * Placeholder names used in a template that are not in the fixed set (§3.2), each once, in
 * order of first use. Whitespace inside the braces is optional.
 */
export function unknownPlaceholders(template: string): string[] {
  const allowed = new Set<string>(TEMPLATE_PLACEHOLDERS);
  const unknown: string[] = [];
  for (const match of template.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)) {
    const name = match[1] ?? '';
    if (!allowed.has(name) && !unknown.includes(name)) unknown.push(name);
  }
  return unknown;
}

/** The message under a template that uses placeholders outside the fixed set. */
export function unknownPlaceholderMessage(names: readonly string[]): string {
  const list = names.map((name) => `{{ ${name} }}`).join(', ');
  return `Unknown placeholders: ${list}. Use only the listed placeholders.`;
}

export function activeLabel(active: boolean): string {
  return active ? 'Active' : 'Inactive';
}

// ---------------------------------------------------------------- confirmation and errors

/** The typed confirmation matches the user's email, ignoring case and surrounding spaces. */
export function confirmEmailMatches(typed: string, email: string): boolean {
  const value = typed.trim();
  return value !== '' && value.toLowerCase() === email.trim().toLowerCase();
}

/** Messages keyed by field name; a field without an error has no key. */
export type FieldErrorMap = Partial<Record<string, string>>;

export interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
}

/** A server field path ("body.email", "query.from") without its request-part prefix. */
function fieldKey(path: string): string {
  const segments = path.split(/[./]/).filter((segment) => segment !== '');
  const first = segments[0];
  if (first === 'body' || first === 'query' || first === 'params') segments.shift();
  return segments[0] ?? '';
}

/**
 * Field errors keyed by the field name (zod issues: the first path segment; server errors:
 * the segment after "body." or "query."). The first message per field wins; issues without a
 * path are keyed "".
 */
export function fieldErrors(issues: readonly (IssueLike | FieldError)[]): FieldErrorMap {
  const errors: FieldErrorMap = {};
  for (const issue of issues) {
    const key =
      typeof issue.path === 'string'
        ? fieldKey(issue.path)
        : issue.path.length > 0
          ? String(issue.path[0])
          : '';
    errors[key] ??= issue.message;
  }
  return errors;
}

export interface ErrorDescription {
  title: string;
  detail: string | undefined;
  fieldErrors: FieldError[];
}

/** What an error alert shows: the problem's title, detail and field errors. */
export function describeError(error: unknown): ErrorDescription {
  if (error instanceof ApiError) {
    return { title: error.title, detail: error.detail, fieldErrors: error.errors };
  }
  if (error instanceof Error) {
    return { title: 'Something went wrong', detail: error.message, fieldErrors: [] };
  }
  return { title: 'Something went wrong', detail: undefined, fieldErrors: [] };
}
