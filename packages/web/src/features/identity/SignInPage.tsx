import { Alert, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { ApiError, apiPost } from '../../api/client';
import { validateSignIn, type SignInErrors, type SignInValues } from './validation';

export const SIGN_IN_UNAVAILABLE =
  'Sign-in is not available yet: the identity module has not been installed.';

function describeError(error: Error): { title: string; message: string } {
  if (!(error instanceof ApiError)) {
    return { title: 'Sign-in failed', message: error.message };
  }
  if (error.status === 404) return { title: error.title, message: SIGN_IN_UNAVAILABLE };
  return { title: error.title, message: error.detail ?? 'Sign-in failed. Please try again.' };
}

export function SignInPage() {
  const [values, setValues] = useState<SignInValues>({ email: '', password: '' });
  const [errors, setErrors] = useState<SignInErrors>({});
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const signIn = useMutation({
    mutationFn: (body: SignInValues) => apiPost<unknown>('/api/identity/sessions', body),
  });

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
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
    signIn.mutate({ email: values.email.trim(), password: values.password });
  };

  const failure = signIn.error === null ? undefined : describeError(signIn.error);

  return (
    <Stack gap="md" maw={420}>
      <Title order={1}>Sign in</Title>
      <Paper withBorder p="lg" radius="md">
        <form onSubmit={onSubmit} noValidate aria-label="Sign in">
          <Stack gap="md">
            {failure !== undefined && (
              <Alert color="red" variant="light" title={failure.title} role="alert">
                {failure.message}
              </Alert>
            )}
            {signIn.isSuccess && (
              <Alert color="green" variant="light" title="Signed in" role="status">
                You are signed in.
              </Alert>
            )}
            <TextInput
              ref={emailRef}
              label="Email"
              type="email"
              autoComplete="email"
              required
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
              value={values.password}
              error={errors.password}
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
      </Paper>
      <Text size="sm" c="gray.7">
        Accounts are created by invitation. Ask an administrator for one.
      </Text>
    </Stack>
  );
}
