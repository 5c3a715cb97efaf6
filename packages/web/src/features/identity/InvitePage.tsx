import { Anchor, Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { invitePreviewSchema, sessionStateSchema } from '@hub/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, apiPost } from '../../api/client';
import { ErrorAlert, LoadingStatus, RequestError, NewPasswordFields } from './components';
import { INVALID_INVITATION, isInvalidToken, isRejectedToken, serverFieldErrors } from './errors';
import {
  confirmPasswordError,
  formatDateTime,
  IDENTITY_API,
  newPasswordError,
  ROLE_LABELS,
} from './helpers';
import { useSetSessionUser } from './session';

interface AcceptValues {
  first_name: string;
  last_name: string;
  password: string;
  confirm: string;
}
type AcceptErrors = Partial<Record<keyof AcceptValues, string>>;

const FIELD_ORDER: (keyof AcceptValues)[] = ['first_name', 'last_name', 'password', 'confirm'];

function validate(values: AcceptValues): AcceptErrors {
  const errors: AcceptErrors = {};
  if (values.first_name.trim() === '') errors.first_name = 'Enter your first name.';
  if (values.last_name.trim() === '') errors.last_name = 'Enter your last name.';
  const password = newPasswordError(values.password);
  if (password !== undefined) errors.password = password;
  const confirm = confirmPasswordError(values.password, values.confirm);
  if (confirm !== undefined) errors.confirm = confirm;
  return errors;
}

function InvalidInvitation() {
  return (
    <Stack gap="md" maw={520}>
      <Title order={1}>Invitation</Title>
      <ErrorAlert text={{ title: 'Invitation not valid', message: INVALID_INVITATION }} />
      <Text>
        Ask the person who invited you to send a new invitation, or{' '}
        <Anchor component={Link} to="/sign-in">
          sign in
        </Anchor>{' '}
        if you already have an account.
      </Text>
    </Stack>
  );
}

/**
 * /invite/:token (US-INV-4). Opening the page has no side effect: the preview is a POST with
 * the token in the body, and only "Create account" consumes the invitation.
 */
export function InvitePage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const setSessionUser = useSetSessionUser();
  const [values, setValues] = useState<AcceptValues>({
    first_name: '',
    last_name: '',
    password: '',
    confirm: '',
  });
  const [errors, setErrors] = useState<AcceptErrors>({});
  const firstNameRef = useRef<HTMLInputElement>(null);
  const lastNameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);

  const preview = useQuery({
    queryKey: ['identity', 'invitation-preview', token],
    queryFn: () => apiPost(`${IDENTITY_API}/invitations/preview`, { token }, invitePreviewSchema),
    retry: false,
    staleTime: Infinity,
  });

  const accept = useMutation({
    mutationFn: (body: {
      token: string;
      first_name: string;
      last_name: string;
      password: string;
    }) => apiPost(`${IDENTITY_API}/invitations/accept`, body, sessionStateSchema),
    onSuccess: async (state) => {
      if (state.state !== 'signed_in') {
        await navigate('/sign-in', { replace: true });
        return;
      }
      setSessionUser(state.user);
      await navigate(state.user.mfa_enrolment_required ? '/account/mfa' : '/', { replace: true });
    },
  });

  if (preview.isPending) return <LoadingStatus label="Checking your invitation…" />;
  if (preview.isError) {
    if (isRejectedToken(preview.error)) return <InvalidInvitation />;
    return (
      <Stack gap="md" maw={520}>
        <Title order={1}>Invitation</Title>
        <RequestError error={preview.error} />
        <Button
          variant="default"
          onClick={() => {
            void preview.refetch();
          }}
          w="fit-content"
        >
          Try again
        </Button>
      </Stack>
    );
  }
  if (isInvalidToken(accept.error)) return <InvalidInvitation />;

  const invite = preview.data;
  const server = serverFieldErrors(accept.error);
  const conflict =
    accept.error instanceof ApiError && accept.error.status === 409 ? accept.error : null;
  const exists = conflict !== null;

  const setField = (name: keyof AcceptValues) => (value: string) => {
    setValues((current) => ({ ...current, [name]: value }));
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = validate(values);
    setErrors(found);
    const first = FIELD_ORDER.find((name) => found[name] !== undefined);
    if (first !== undefined) {
      const refs = {
        first_name: firstNameRef,
        last_name: lastNameRef,
        password: passwordRef,
        confirm: confirmRef,
      };
      refs[first].current?.focus();
      return;
    }
    accept.mutate({
      token,
      first_name: values.first_name.trim(),
      last_name: values.last_name.trim(),
      password: values.password,
    });
  };

  return (
    <Stack gap="md" maw={520}>
      <Title order={1}>Accept your invitation</Title>
      <Text>
        {invite.inviter_name} invited you to Umbrella Hub with the role{' '}
        <strong>{ROLE_LABELS[invite.role]}</strong>.
      </Text>
      <Text>This invitation expires on {formatDateTime(invite.expires_at)}.</Text>
      {invite.custom_message !== '' && (
        <Paper withBorder p="md" radius="md" component="figure" m={0}>
          <Text component="figcaption" fw={700} size="sm">
            Message from {invite.inviter_name}
          </Text>
          <Text mt="xs" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {invite.custom_message}
          </Text>
        </Paper>
      )}
      <Paper withBorder p="lg" radius="md">
        <form onSubmit={onSubmit} noValidate aria-label="Create your account">
          <Stack gap="md">
            {conflict !== null ? (
              <ErrorAlert
                text={{
                  title: 'Account exists',
                  message:
                    conflict.detail ??
                    'An account with this email already exists. Sign in instead.',
                }}
              />
            ) : (
              <RequestError error={accept.error} />
            )}
            <TextInput
              label="Email"
              type="email"
              value={invite.email}
              readOnly
              description="The invitation is for this address; it cannot be changed."
            />
            <TextInput
              ref={firstNameRef}
              label="First name"
              autoComplete="given-name"
              required
              withAsterisk={false}
              maxLength={150}
              value={values.first_name}
              error={errors.first_name ?? server.first_name}
              onChange={(event) => {
                setField('first_name')(event.currentTarget.value);
              }}
            />
            <TextInput
              ref={lastNameRef}
              label="Last name"
              autoComplete="family-name"
              required
              withAsterisk={false}
              maxLength={150}
              value={values.last_name}
              error={errors.last_name ?? server.last_name}
              onChange={(event) => {
                setField('last_name')(event.currentTarget.value);
              }}
            />
            <NewPasswordFields
              label="Password"
              password={values.password}
              confirm={values.confirm}
              onPasswordChange={(value) => {
                setField('password')(value);
              }}
              onConfirmChange={(value) => {
                setField('confirm')(value);
              }}
              passwordError={errors.password ?? server.password}
              confirmError={errors.confirm}
              passwordRef={passwordRef}
              confirmRef={confirmRef}
            />
            <Button type="submit" loading={accept.isPending}>
              Create account
            </Button>
          </Stack>
        </form>
      </Paper>
      {exists && (
        <Text>
          <Anchor component={Link} to="/sign-in">
            Go to sign-in
          </Anchor>
        </Text>
      )}
    </Stack>
  );
}
