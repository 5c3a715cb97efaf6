import { Anchor, Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { acceptedMessageSchema } from '@hub/core';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, apiPost } from '../../api/client';
import {
  ErrorAlert,
  LinkProblem,
  RequestError,
  SuccessAlert,
  NewPasswordFields,
} from './components';
import { INCOMPLETE_LINK, INVALID_LINK, isInvalidToken, serverFieldErrors } from './errors';
import {
  confirmPasswordError,
  IDENTITY_API,
  isCodeShaped,
  newPasswordError,
  normaliseCode,
} from './helpers';
import { useSetSessionUser } from './session';
import { useHashToken } from './useHashToken';

const TITLE = 'Choose a new password';

interface ResetErrors {
  password?: string;
  confirm?: string;
  code?: string;
}

/**
 * /reset-password#<token>: a new password; for an MFA user the server answers 401 mfa_required
 * and the page asks for an authentication code too (the reset never bypasses MFA, A-12).
 */
export function ResetPasswordPage() {
  const token = useHashToken();
  const setSessionUser = useSetSessionUser();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [code, setCode] = useState('');
  const [askCode, setAskCode] = useState(false);
  const [errors, setErrors] = useState<ResetErrors>({});
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  const reset = useMutation({
    mutationFn: (body: { token: string; new_password: string; code?: string }) =>
      apiPost(`${IDENTITY_API}/password/reset`, body, acceptedMessageSchema),
    onSuccess: () => {
      // Every session of the account ended with the reset.
      setSessionUser(null);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'mfa_required') setAskCode(true);
    },
  });

  if (token === null) return <LinkProblem title={TITLE} message={INCOMPLETE_LINK} />;
  if (isInvalidToken(reset.error)) {
    return (
      <LinkProblem
        title={TITLE}
        message={`${INVALID_LINK} Ask for a new link: reset links are valid for 30 minutes and work once.`}
        action={{ label: 'Ask for a new link', to: '/forgot-password' }}
      />
    );
  }

  if (reset.isSuccess) {
    return (
      <Stack gap="md" maw={480}>
        <Title order={1}>{TITLE}</Title>
        <SuccessAlert title="Password changed">
          {reset.data.message} You can now sign in with your new password.
        </SuccessAlert>
        <Text>
          <Anchor component={Link} to="/sign-in">
            Go to sign-in
          </Anchor>
        </Text>
      </Stack>
    );
  }

  const mfaRequired = reset.error instanceof ApiError && reset.error.code === 'mfa_required';
  const server = serverFieldErrors(reset.error);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: ResetErrors = {};
    const passwordError = newPasswordError(password);
    if (passwordError !== undefined) found.password = passwordError;
    const confirmError = confirmPasswordError(password, confirm);
    if (confirmError !== undefined) found.confirm = confirmError;
    const normalised = normaliseCode(code);
    if (askCode && !isCodeShaped(normalised)) {
      found.code = 'Enter the 6-digit code from your authenticator app, or a recovery code.';
    }
    setErrors(found);
    if (found.password !== undefined) {
      passwordRef.current?.focus();
      return;
    }
    if (found.confirm !== undefined) {
      confirmRef.current?.focus();
      return;
    }
    if (found.code !== undefined) {
      codeRef.current?.focus();
      return;
    }
    reset.mutate(
      askCode
        ? { token, new_password: password, code: normalised }
        : { token, new_password: password },
    );
  };

  return (
    <Stack gap="md" maw={480}>
      <Title order={1}>{TITLE}</Title>
      <Paper withBorder p="lg" radius="md">
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="md">
            {mfaRequired ? (
              <ErrorAlert
                text={{
                  title: 'Two-factor code needed',
                  message:
                    'Your account uses two-factor authentication. Enter the code from your authenticator app, or a recovery code, to set the new password.',
                }}
              />
            ) : (
              <RequestError error={reset.error} />
            )}
            <NewPasswordFields
              label="New password"
              password={password}
              confirm={confirm}
              onPasswordChange={setPassword}
              onConfirmChange={setConfirm}
              passwordError={errors.password ?? server.new_password}
              confirmError={errors.confirm}
              passwordRef={passwordRef}
              confirmRef={confirmRef}
            />
            {askCode && (
              <TextInput
                ref={codeRef}
                label="Authentication code"
                description="The 6-digit code from your authenticator app, or a recovery code."
                autoComplete="one-time-code"
                required
                withAsterisk={false}
                autoFocus
                value={code}
                error={errors.code ?? server.code}
                onChange={(event) => {
                  setCode(event.currentTarget.value);
                }}
              />
            )}
            <Button type="submit" loading={reset.isPending}>
              Set new password
            </Button>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
