/** Client-side checks of the sign-in form. Pure: the messages are shown under the fields. */
export interface SignInValues {
  email: string;
  password: string;
}

export type SignInErrors = Partial<Record<keyof SignInValues, string>>;

/** One "@", something before it, and a dotted domain after it, with no spaces. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export const EMAIL_REQUIRED = 'Enter your email address.';
export const EMAIL_INVALID = 'Enter a valid email address, like name@example.com.';
export const PASSWORD_REQUIRED = 'Enter your password.';

export function validateSignIn(values: SignInValues): SignInErrors {
  const errors: SignInErrors = {};
  const email = values.email.trim();
  if (email === '') errors.email = EMAIL_REQUIRED;
  else if (!EMAIL_PATTERN.test(email)) errors.email = EMAIL_INVALID;
  if (values.password === '') errors.password = PASSWORD_REQUIRED;
  return errors;
}
