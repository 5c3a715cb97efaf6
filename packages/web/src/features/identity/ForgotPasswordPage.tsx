import { Anchor, Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { apiPost } from '../../api/client';
import { RequestError, SuccessAlert } from './components';
import { IDENTITY_API } from './helpers';
import { validateSignIn } from './validation';

/**
 * The one answer the page gives, whatever the address (the server also always answers 202 with
 * the same body, so the page cannot tell whether an account exists).
 */
export const RESET_LINK_SENT =
  'If an account uses this address, we have sent it a link to choose a new password. The link is valid for 30 minutes. Check your inbox, and your spam folder.';

/** /forgot-password: POST /password/forgot. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const emailRef = useRef<HTMLInputElement>(null);

  const forgot = useMutation({
    mutationFn: (body: { email: string }) => apiPost(`${IDENTITY_API}/password/forgot`, body),
  });

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validateSignIn({ email, password: 'x' }).email;
    setError(found);
    if (found !== undefined) {
      emailRef.current?.focus();
      return;
    }
    forgot.mutate({ email: email.trim() });
  };

  return (
    <Stack gap="md" maw={440}>
      <Title order={1}>Reset your password</Title>
      {forgot.isSuccess ? (
        <SuccessAlert title="Check your inbox">{RESET_LINK_SENT}</SuccessAlert>
      ) : (
        <>
          <Text>
            Enter the email address of your account. We will send you a link to choose a new
            password.
          </Text>
          <Paper withBorder p="lg" radius="md">
            <form onSubmit={onSubmit} noValidate>
              <Stack gap="md">
                <RequestError error={forgot.error} />
                <TextInput
                  ref={emailRef}
                  label="Email"
                  type="email"
                  autoComplete="email"
                  required
                  withAsterisk={false}
                  value={email}
                  error={error}
                  onChange={(event) => {
                    setEmail(event.currentTarget.value);
                  }}
                />
                <Button type="submit" loading={forgot.isPending}>
                  Send reset link
                </Button>
              </Stack>
            </form>
          </Paper>
        </>
      )}
      <Text size="sm">
        <Anchor component={Link} to="/sign-in">
          Back to sign-in
        </Anchor>
      </Text>
    </Stack>
  );
}
