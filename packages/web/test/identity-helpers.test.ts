import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client';
import {
  describeSignInError,
  isInvalidToken,
  SIGN_IN_UNAVAILABLE,
} from '../src/features/identity/errors';
import {
  fieldErrorsByName,
  hasRole,
  isCodeShaped,
  newPasswordError,
  normaliseCode,
  openDuringMfaEnrolment,
  safeNext,
  signInPath,
  tokenFromHash,
} from '../src/features/identity/helpers';

describe('safeNext (W-05: only same-origin relative paths)', () => {
  it('keeps a relative path with its query and hash', () => {
    expect(safeNext('/account')).toBe('/account');
    expect(safeNext('/admin/users?status=pending#top')).toBe('/admin/users?status=pending#top');
  });

  it('sends everything else to /', () => {
    for (const next of [
      null,
      undefined,
      '',
      'https://evil.example',
      'http://evil.example/sign-in',
      '//evil.example',
      '//evil.example/account',
      '/\\evil.example',
      'javascript:alert(1)',
      'account',
      ' /account',
      '/account\n',
    ]) {
      expect(safeNext(next)).toBe('/');
    }
  });

  it('builds the sign-in address that comes back to a page', () => {
    expect(signInPath('/admin/users?page=2')).toBe('/sign-in?next=%2Fadmin%2Fusers%3Fpage%3D2');
    expect(signInPath('/')).toBe('/sign-in');
    expect(signInPath('//evil.example')).toBe('/sign-in');
  });
});

describe('tokenFromHash', () => {
  it('takes the hash without its "#"', () => {
    expect(tokenFromHash('#AbC_def-0123456789xyz')).toBe('AbC_def-0123456789xyz');
    expect(tokenFromHash('AbC_def')).toBe('AbC_def');
  });

  it('is null when there is no token or it is not base64url', () => {
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#')).toBeNull();
    expect(tokenFromHash('#abc def')).toBeNull();
    expect(tokenFromHash('#abc%20def')).toBeNull();
    expect(tokenFromHash('#abc/def')).toBeNull();
  });
});

describe('codes, field errors, roles, passwords', () => {
  it('normalises a typed TOTP or recovery code', () => {
    expect(normaliseCode(' 123 456 ')).toBe('123456');
    expect(normaliseCode('ABCDE-12345')).toBe('abcde-12345');
    expect(isCodeShaped('123456')).toBe(true);
    expect(isCodeShaped('abcde-12345')).toBe(true);
    expect(isCodeShaped('12345')).toBe(false);
    expect(isCodeShaped('1234567')).toBe(false);
    expect(isCodeShaped('abcde12345')).toBe(false);
  });

  it('keys problem field errors by body field, first message first', () => {
    expect(
      fieldErrorsByName([
        { path: 'body.password', message: 'This password is too common.' },
        { path: 'body.password', message: 'second' },
        { path: 'body.first_name', message: 'must be at most 150 characters' },
        { path: 'query.page', message: 'not a body field' },
        { path: 'body', message: 'no field' },
      ]),
    ).toEqual({
      password: 'This password is too common.',
      first_name: 'must be at most 150 characters',
    });
  });

  it('orders roles viewer < analyst < manager < admin; a superuser is an admin', () => {
    const user = (role: 'viewer' | 'analyst' | 'manager' | 'admin', is_superuser = false) => ({
      role,
      is_superuser,
    });
    expect(hasRole(user('manager'), 'manager')).toBe(true);
    expect(hasRole(user('admin'), 'manager')).toBe(true);
    expect(hasRole(user('analyst'), 'manager')).toBe(false);
    expect(hasRole(user('viewer'), 'viewer')).toBe(true);
    expect(hasRole(user('viewer', true), 'admin')).toBe(true);
  });

  it('checks the D9 length of a new password in characters, never trimming it', () => {
    expect(newPasswordError('')).toBe('Enter a password.');
    expect(newPasswordError('a'.repeat(11))).toBe('Use at least 12 characters.');
    expect(newPasswordError('a'.repeat(12))).toBeUndefined();
    expect(newPasswordError('saffron kite 9 ledger')).toBeUndefined();
    expect(newPasswordError('😀'.repeat(12))).toBeUndefined();
    expect(newPasswordError('a'.repeat(128))).toBeUndefined();
    expect(newPasswordError('a'.repeat(129))).toBe('Use at most 128 characters.');
  });

  it('lets a user who must enrol in MFA reach only enrolment and emailed-link pages', () => {
    expect(openDuringMfaEnrolment('/account/mfa')).toBe(true);
    expect(openDuringMfaEnrolment('/invite/abc')).toBe(true);
    expect(openDuringMfaEnrolment('/reset-password')).toBe(true);
    expect(openDuringMfaEnrolment('/')).toBe(false);
    expect(openDuringMfaEnrolment('/account')).toBe(false);
    expect(openDuringMfaEnrolment('/admin')).toBe(false);
    expect(openDuringMfaEnrolment('/margin')).toBe(false);
  });
});

describe('sign-in error wording (US-AUTH-1)', () => {
  const problem = (status: number, code?: string, detail?: string) =>
    new ApiError({
      type: 'about:blank',
      title: 'Problem',
      status,
      ...(code === undefined ? {} : { code }),
      ...(detail === undefined ? {} : { detail }),
    });

  it('shows the status-specific messages only for the 403 codes', () => {
    expect(describeSignInError(problem(403, 'pending_approval')).title).toBe('Awaiting approval');
    expect(describeSignInError(problem(403, 'rejected')).title).toBe('Request declined');
    expect(describeSignInError(problem(403, 'inactive')).title).toBe('Account disabled');
    expect(describeSignInError(problem(401, undefined, 'Invalid email or password'))).toEqual({
      title: 'Sign-in failed',
      message: 'Invalid email or password',
    });
    expect(describeSignInError(problem(429)).title).toBe('Too many attempts');
    expect(describeSignInError(problem(404)).message).toBe(SIGN_IN_UNAVAILABLE);
  });

  it('treats 410 or code invalid_token as the generic invalid-token answer, not a 400', () => {
    expect(isInvalidToken(problem(410))).toBe(true);
    expect(isInvalidToken(problem(400, 'invalid_token'))).toBe(true);
    expect(isInvalidToken(problem(400))).toBe(false);
    expect(isInvalidToken(new Error('x'))).toBe(false);
  });
});
