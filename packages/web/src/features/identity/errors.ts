/**
 * How the identity pages word a failed request. Pure: the pages show the result in a
 * role="alert" Alert, as text.
 */

import { ApiError } from '../../api/client';
import { fieldErrorsByName } from './helpers';

export interface ErrorText {
  title: string;
  message: string;
}

/** Thrown by withReauth (useReauth) when the user closes the password dialog. */
export class ReauthCancelledError extends Error {
  constructor() {
    super('Re-authentication was cancelled.');
    this.name = 'ReauthCancelledError';
  }
}

export function isReauthCancelled(error: unknown): boolean {
  return error instanceof ReauthCancelledError;
}

export const INVALID_LINK = 'This link is invalid or has expired.';
export const INVALID_INVITATION = 'This invitation is invalid or has expired.';
export const INCOMPLETE_LINK =
  'This link is incomplete. Open the link from your email again, or copy the whole address into the browser.';
export const SIGN_IN_UNAVAILABLE =
  'Sign-in is not available yet: the identity module has not been installed.';

/** A generic wording: the server's detail when it has one, else `fallback`. */
export function describeError(error: unknown, fallback = 'Please try again.'): ErrorText {
  if (error instanceof ApiError) {
    if (error.status === 429) {
      return {
        title: 'Too many attempts',
        message: error.detail ?? 'Too many attempts. Wait a few minutes, then try again.',
      };
    }
    return { title: error.title, message: error.detail ?? fallback };
  }
  if (error instanceof Error) return { title: 'Something went wrong', message: error.message };
  return { title: 'Something went wrong', message: fallback };
}

/** True for the generic answer about an unknown, expired, revoked or used token (410). */
export function isInvalidToken(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'invalid_token' || error.status === 410);
}

/**
 * True when a token preview failed because of the token: 410, or any other 4xx (a malformed
 * token is refused with 400). 5xx and network failures are worth a retry instead.
 */
export function isRejectedToken(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500;
}

/** US-AUTH-1: the sign-in page's wording of each failure. */
export function describeSignInError(error: unknown): ErrorText {
  if (!(error instanceof ApiError)) return describeError(error, 'Sign-in failed.');
  if (error.status === 404) return { title: error.title, message: SIGN_IN_UNAVAILABLE };
  if (error.status === 401) {
    return { title: 'Sign-in failed', message: error.detail ?? 'Invalid email or password.' };
  }
  if (error.status === 403) {
    switch (error.code) {
      case 'pending_approval':
        return {
          title: 'Awaiting approval',
          message: error.detail ?? 'Your account is waiting for an administrator to approve it.',
        };
      case 'rejected':
        return {
          title: 'Request declined',
          message: error.detail ?? 'Your request for an account was declined.',
        };
      case 'inactive':
        return {
          title: 'Account disabled',
          message: error.detail ?? 'Your account has been disabled. Contact an administrator.',
        };
      default:
        break;
    }
  }
  if (error.status === 429) {
    return {
      title: 'Too many attempts',
      message: error.detail ?? 'Too many sign-in attempts. Wait a few minutes, then try again.',
    };
  }
  return describeError(error, 'Sign-in failed. Please try again.');
}

/** The sign-in second step's wording (POST /sessions/mfa). */
export function describeMfaError(error: unknown): ErrorText {
  if (error instanceof ApiError && error.status === 401) {
    return {
      title: 'Code not accepted',
      message:
        error.detail ??
        'The code is not correct, or this sign-in has expired. Try again, or start again.',
    };
  }
  return describeSignInError(error);
}

/** The server's field errors (problem.errors, paths like "body.password") keyed by field name. */
export function serverFieldErrors(error: unknown): Record<string, string> {
  return error instanceof ApiError ? fieldErrorsByName(error.errors) : {};
}
