/**
 * Pure helpers of the identity pages (no DOM, no React), unit-tested in test/identity-*.test.ts.
 */

import { roleRank, type CurrentUser, type FieldError, type Role } from '@hub/core';

/** Every identity route lives under this prefix (docs/identity-api.md). */
export const IDENTITY_API = '/api/identity';

/**
 * W-05: the page to open after signing in. Only a same-origin relative path is allowed: it must
 * start with exactly one "/" (not "//", which a browser reads as another host), and may not
 * contain a backslash (browsers treat "/\evil.example" like "//evil.example") or control
 * characters. Anything else, including absolute URLs with a scheme, yields "/".
 */
export function safeNext(next: string | null | undefined): string {
  if (next === null || next === undefined || next === '') return '/';
  if (!next.startsWith('/') || next.startsWith('//')) return '/';
  if (next.includes('\\')) return '/';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(next)) return '/';
  return next;
}

/** The sign-in address that brings the user back to `path` afterwards. */
export function signInPath(path: string): string {
  const next = safeNext(path);
  return next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`;
}

/**
 * The one-time token of an emailed link (`/reset-password#<token>`): the location's hash without
 * its "#", or null when there is none or it has characters a token never has. Tokens are
 * base64url (docs/identity-api.md), so no decoding is needed.
 */
export function tokenFromHash(hash: string): string | null {
  const token = (hash.startsWith('#') ? hash.slice(1) : hash).trim();
  if (token === '' || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  return token;
}

/**
 * A TOTP or recovery code as typed: surrounding and inner spaces removed (people copy "123 456"),
 * letters lower-cased (recovery codes are lower-case, e.g. "abcde-12345").
 */
export function normaliseCode(input: string): string {
  return input.replace(/\s+/g, '').toLowerCase();
}

/** True for a 6-digit TOTP code or a recovery code ("abcde-12345"), after normaliseCode. */
export function isCodeShaped(code: string): boolean {
  return /^(\d{6}|[a-z0-9]{5}-[a-z0-9]{5})$/.test(code);
}

/**
 * The field errors of a problem (`errors: [{path: "body.password", message}]`) keyed by field
 * name ("password"). The first message for a field wins; paths outside the body are skipped.
 */
export function fieldErrorsByName(errors: readonly FieldError[]): Record<string, string> {
  const byName: Record<string, string> = {};
  for (const error of errors) {
    const parts = error.path.split('.');
    const [scope, name] = parts;
    if (scope !== 'body' || name === undefined || name === '') continue;
    byName[name] ??= error.message;
  }
  return byName;
}

/** is_superuser is a break-glass flag that implies admin (D3). */
export function effectiveRole(user: Pick<CurrentUser, 'role' | 'is_superuser'>): Role {
  return user.is_superuser ? 'admin' : user.role;
}

/** True when the user's role is `role` or above (viewer < analyst < manager < admin). */
export function hasRole(user: Pick<CurrentUser, 'role' | 'is_superuser'>, role: Role): boolean {
  return roleRank(effectiveRole(user)) >= roleRank(role);
}

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  viewer: 'Viewer',
  analyst: 'Analyst',
  manager: 'Manager',
  admin: 'Admin',
};

/**
 * Pages a user who still has to enrol in MFA may open: the enrolment page itself and the public
 * pages of emailed links. Everything else sends them to /account/mfa (D8).
 */
const OPEN_DURING_MFA_ENROLMENT = [
  '/account/mfa',
  '/sign-in',
  '/invite',
  '/request-access',
  '/forgot-password',
  '/reset-password',
  '/confirm-email',
  '/export',
];

export function openDuringMfaEnrolment(pathname: string): boolean {
  return OPEN_DURING_MFA_ENROLMENT.some(
    (prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`),
  );
}

/** Client-side checks of a new password (D9 length only; the server applies the full policy). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_HINT = `Use ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters. A passphrase of a few words works well; spaces are allowed.`;

export function newPasswordError(password: string): string | undefined {
  if (password === '') return 'Enter a password.';
  // Count characters as the user sees them (code points), not UTF-16 units.
  const length = Array.from(password).length;
  if (length < PASSWORD_MIN_LENGTH) {
    return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  }
  if (length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  return undefined;
}

export function confirmPasswordError(password: string, confirm: string): string | undefined {
  if (confirm === '') return 'Enter the password again.';
  return confirm === password ? undefined : 'The passwords do not match.';
}

/** A date and time in the reader's locale; the raw text when it is not a date. */
export function formatDateTime(iso: string | null | undefined, fallback = 'Never'): string {
  if (iso === null || iso === undefined || iso === '') return fallback;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(
    date,
  );
}

/** A date in the reader's locale; the raw text when it is not a date. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'long' }).format(date);
}
