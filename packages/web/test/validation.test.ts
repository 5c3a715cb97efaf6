import { describe, expect, it } from 'vitest';
import {
  EMAIL_INVALID,
  EMAIL_REQUIRED,
  PASSWORD_REQUIRED,
  validateSignIn,
} from '../src/features/identity/validation';

describe('validateSignIn', () => {
  it('accepts a plain address and a non-empty password', () => {
    expect(validateSignIn({ email: 'ana.lyst@example.com', password: 'x' })).toEqual({});
    expect(validateSignIn({ email: '  a@b.co  ', password: ' ' })).toEqual({});
  });

  it('asks for missing fields', () => {
    expect(validateSignIn({ email: '', password: '' })).toEqual({
      email: EMAIL_REQUIRED,
      password: PASSWORD_REQUIRED,
    });
  });

  it('rejects addresses without one @, a local part or a dotted domain', () => {
    for (const email of [
      'not-an-email',
      'a@b',
      '@example.com',
      'a@@example.com',
      'a b@example.com',
      'a@example.',
    ]) {
      expect(validateSignIn({ email, password: 'x' })).toEqual({ email: EMAIL_INVALID });
    }
  });
});
