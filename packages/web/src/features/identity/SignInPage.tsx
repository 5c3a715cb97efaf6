import {
  Alert,
  Anchor,
  Button,
  Code,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { sessionStateSchema, type SessionState } from '@hub/core';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { ApiError, apiPost } from '../../api/client';
import { useIdentityStatus } from './api';
import { ErrorAlert } from './components';
import { describeMfaError, describeSignInError, type ErrorText } from './errors';
import { IDENTITY_API, isCodeShaped, normaliseCode, safeNext } from './helpers';
import { useSession, useSetSessionUser } from './session';
import { validateSignIn, type SignInErrors, type SignInValues } from './validation';

export { SIGN_IN_UNAVAILABLE } from './errors';

export const CODE_INVALID =
  'Enter the 6-digit code from your authenticator app, or a recovery code.';

/** /sign-in: email and password, then an authentication code when the account uses MFA. */
export function SignInPage() {
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get('next'));
  const { user } = useSession();
  const setSessionUser = useSetSessionUser();
  const status = useIdentityStatus();

  const [step, setStep] = useState<'password' | 'mfa'>('password');
  const [values, setValues] = useState<SignInValues>({ email: '', password: '' });
  const [errors, setErrors] = useState<SignInErrors>({});
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>(undefined);
  const [restart, setRestart] = useState<ErrorText | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  const onState = (state: SessionState) => {
    if (state.state === 'signed_in') {
      // The page re-renders with the user and redirects (below).
      setSessionUser(state.user);
      return;
    }
    setStep('mfa');
  };

  const signIn = useMutation({
    mutationFn: (body: SignInValues) =>
      apiPost(`${IDENTITY_API}/sessions`, body, sessionStateSchema),
    onSuccess: onState,
  });
  const verify = useMutation({
    mutationFn: (body: { code: string }) =>
      apiPost(`${IDENTITY_API}/sessions/mfa`, body, sessionStateSchema),
    onSuccess: onState,
    onError: (error) => {
      // Too many wrong codes end the challenge: sign-in starts again from the password.
      if (error instanceof ApiError && error.code === 'mfa_restart') {
        setRestart(describeMfaError(error));
        setStep('password');
        setCode('');
        setValues((current) => ({ ...current, password: '' }));
        signIn.reset();
      }
    },
  });

  if (user !== null) {
    return <Navigate to={user.mfa_enrolment_required ? '/account/mfa' : next} replace />;
  }

  const onSubmitPassword = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateSignIn(values);
    setErrors(found);
    if (found.email !== undefined) {
      emailRef.current?.focus();
      return;
    }
    if (found.password !== undefined) {
      passwordRef.current?.focus();
      return;
    }
    setRestart(null);
    // D10: the password is sent exactly as typed.
    signIn.mutate({ email: values.email.trim(), password: values.password });
  };

  const onSubmitCode = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const normalised = normaliseCode(code);
    if (!isCodeShaped(normalised)) {
      setCodeError(CODE_INVALID);
      codeRef.current?.focus();
      return;
    }
    setCodeError(undefined);
    verify.mutate({ code: normalised });
  };

  const startAgain = () => {
    setRestart(null);
    setStep('password');
    setCode('');
    setCodeError(undefined);
    setValues((current) => ({ ...current, password: '' }));
    signIn.reset();
    verify.reset();
  };

  const signupOpen = status.data?.signup_mode === 'open';

  return (
    <Stack gap="md" maw={440}>
      <Title order={1}>Sign in</Title>
      {status.data?.admin_exists === false && (
        <Alert color="blue" variant="light" title="First start" role="note">
          No administrator exists yet. On the server, run:{' '}
          <Code>npx umbrella createadmin --email you@example.com</Code>
        </Alert>
      )}
      <Paper withBorder p="lg" radius="md">
        {step === 'password' ? (
          <form onSubmit={onSubmitPassword} noValidate aria-label="Sign in">
            <Stack gap="md">
              {signIn.error !== null && <ErrorAlert text={describeSignInError(signIn.error)} />}
              {signIn.error === null && restart !== null && <ErrorAlert text={restart} />}
              <TextInput
                ref={emailRef}
                label="Email"
                type="email"
                autoComplete="email"
                required
                withAsterisk={false}
                value={values.email}
                error={errors.email}
                onChange={(event) => {
                  const email = event.currentTarget.value;
                  setValues((current) => ({ ...current, email }));
                }}
              />
              <PasswordInput
                ref={passwordRef}
                label="Password"
                autoComplete="current-password"
                required
                withAsterisk={false}
                value={values.password}
                error={errors.password}
                aria-invalid={errors.password !== undefined}
                onChange={(event) => {
                  const password = event.currentTarget.value;
                  setValues((current) => ({ ...current, password }));
                }}
              />
              <Button type="submit" loading={signIn.isPending}>
                Sign in
              </Button>
            </Stack>
          </form>
        ) : (
          <form onSubmit={onSubmitCode} noValidate aria-label="Two-step verification">
            <Stack gap="md">
              <Title order={2} size="h3">
                Two-step verification
              </Title>
              <Text size="sm">
                Enter the 6-digit code from your authenticator app. If you do not have your device,
                enter one of your recovery codes instead.
              </Text>
              {verify.error !== null && <ErrorAlert text={describeMfaError(verify.error)} />}
              <TextInput
                ref={codeRef}
                label="Authentication code"
                autoComplete="one-time-code"
                required
                withAsterisk={false}
                autoFocus
                value={code}
                error={codeError}
                onChange={(event) => {
                  setCode(event.currentTarget.value);
                }}
              />
              <Group gap="sm">
                <Button type="submit" loading={verify.isPending}>
                  Verify
                </Button>
                <Button variant="default" onClick={startAgain}>
                  Start again
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Paper>
      <Stack gap={4}>
        <Text size="sm">
          <Anchor component={Link} to="/forgot-password">
            Forgot your password?
          </Anchor>
        </Text>
        {signupOpen ? (
          <Text size="sm">
            No account yet?{' '}
            <Anchor component={Link} to="/request-access">
              Request access
            </Anchor>
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            Accounts are created by invitation. Ask an administrator for one.
          </Text>
        )}
      </Stack>
    </Stack>
  );
}
