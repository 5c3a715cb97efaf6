import { Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { acceptedMessageSchema } from '@hub/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { z } from 'zod';
import { apiPost } from '../../api/client';
import {
  LinkProblem,
  LoadingStatus,
  RequestError,
  SuccessAlert,
  NewPasswordFields,
} from './components';
import {
  INCOMPLETE_LINK,
  INVALID_LINK,
  isInvalidToken,
  isRejectedToken,
  serverFieldErrors,
} from './errors';
import { confirmPasswordError, IDENTITY_API, newPasswordError } from './helpers';
import { useHashToken } from './useHashToken';

/** POST /access-requests/preview answers who the verified request is for. */
const accessRequestPreviewSchema = z.object({
  email: z.string(),
  first_name: z.string(),
  last_name: z.string(),
});

const TITLE = 'Finish your request';

/**
 * /request-access/verify#<token>: the address is verified by the emailed link; the user chooses
 * a password, and the account then waits for approval (status pending).
 */
export function RequestAccessVerifyPage() {
  const token = useHashToken();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ password?: string; confirm?: string }>({});
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);

  const preview = useQuery({
    queryKey: ['identity', 'access-request-preview', token],
    queryFn: () =>
      apiPost(
        `${IDENTITY_API}/access-requests/preview`,
        { token: token ?? '' },
        accessRequestPreviewSchema,
      ),
    enabled: token !== null,
    retry: false,
    staleTime: Infinity,
  });

  const complete = useMutation({
    mutationFn: (body: { token: string; password: string }) =>
      apiPost(`${IDENTITY_API}/access-requests/complete`, body, acceptedMessageSchema),
  });

  if (token === null) return <LinkProblem title={TITLE} message={INCOMPLETE_LINK} />;
  if (preview.isPending) return <LoadingStatus label="Checking your link…" />;
  if (preview.isError) {
    if (isRejectedToken(preview.error)) {
      return (
        <LinkProblem
          title={TITLE}
          message={`${INVALID_LINK} Request access again to get a new link.`}
          action={{ label: 'Request access again', to: '/request-access' }}
        />
      );
    }
    return <LinkProblem title={TITLE} error={preview.error} />;
  }
  if (isInvalidToken(complete.error)) {
    return (
      <LinkProblem
        title={TITLE}
        message={`${INVALID_LINK} Request access again to get a new link.`}
        action={{ label: 'Request access again', to: '/request-access' }}
      />
    );
  }

  if (complete.isSuccess) {
    return (
      <Stack gap="md" maw={480}>
        <Title order={1}>{TITLE}</Title>
        <SuccessAlert title="Request sent">
          Your request is waiting for an administrator&apos;s approval. We will email you when it
          has been reviewed.
        </SuccessAlert>
      </Stack>
    );
  }

  const server = serverFieldErrors(complete.error);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: { password?: string; confirm?: string } = {};
    const passwordError = newPasswordError(password);
    if (passwordError !== undefined) found.password = passwordError;
    const confirmError = confirmPasswordError(password, confirm);
    if (confirmError !== undefined) found.confirm = confirmError;
    setErrors(found);
    if (found.password !== undefined) {
      passwordRef.current?.focus();
      return;
    }
    if (found.confirm !== undefined) {
      confirmRef.current?.focus();
      return;
    }
    complete.mutate({ token, password });
  };

  return (
    <Stack gap="md" maw={480}>
      <Title order={1}>{TITLE}</Title>
      <Text>
        Your email address is confirmed. Choose a password to finish your request for an account.
      </Text>
      <Paper withBorder p="lg" radius="md">
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="md">
            <RequestError error={complete.error} />
            <TextInput label="Email" type="email" value={preview.data.email} readOnly />
            <NewPasswordFields
              label="Password"
              password={password}
              confirm={confirm}
              onPasswordChange={setPassword}
              onConfirmChange={setConfirm}
              passwordError={errors.password ?? server.password}
              confirmError={errors.confirm}
              passwordRef={passwordRef}
              confirmRef={confirmRef}
            />
            <Button type="submit" loading={complete.isPending}>
              Create account
            </Button>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
