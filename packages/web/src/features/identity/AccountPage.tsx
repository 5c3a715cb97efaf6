import { Button, Group, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { currentUserSchema, type CurrentUser } from '@hub/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type RefObject, type SubmitEvent } from 'react';
import { ApiError, apiPatch, apiPost } from '../../api/client';
import {
  AccountSection,
  LoadingStatus,
  RequestError,
  SuccessAlert,
  NewPasswordFields,
} from './components';
import { LoginAttemptsSection, MfaSection, SessionsSection } from './AccountSecurity';
import { serverFieldErrors } from './errors';
import {
  confirmPasswordError,
  effectiveRole,
  formatDate,
  formatDateTime,
  IDENTITY_API,
  newPasswordError,
  ROLE_LABELS,
} from './helpers';
import { MY_SESSIONS_KEY } from './queries';
import { useReauth, useSession, useSetSessionUser } from './session';
import { validateSignIn } from './validation';

function ProfileSection({ user }: { user: CurrentUser }) {
  const withReauth = useReauth();
  const setSessionUser = useSetSessionUser();
  const [firstName, setFirstName] = useState(user.first_name);
  const [lastName, setLastName] = useState(user.last_name);
  const [errors, setErrors] = useState<{ first_name?: string; last_name?: string }>({});
  const firstRef = useRef<HTMLInputElement>(null);
  const lastRef = useRef<HTMLInputElement>(null);

  const save = useMutation({
    mutationFn: (body: { first_name: string; last_name: string }) =>
      withReauth(() => apiPatch(`${IDENTITY_API}/me`, body, currentUserSchema)),
    onSuccess: (updated) => {
      setSessionUser(updated);
    },
  });
  const server = serverFieldErrors(save.error);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: { first_name?: string; last_name?: string } = {};
    if (firstName.trim() === '') found.first_name = 'Enter your first name.';
    if (lastName.trim() === '') found.last_name = 'Enter your last name.';
    setErrors(found);
    if (found.first_name !== undefined) {
      firstRef.current?.focus();
      return;
    }
    if (found.last_name !== undefined) {
      lastRef.current?.focus();
      return;
    }
    save.mutate({ first_name: firstName.trim(), last_name: lastName.trim() });
  };

  const name = `${user.first_name} ${user.last_name}`.trim();
  const rows: [string, string][] = [
    ['Name', name === '' ? 'Not set' : name],
    ['Email', user.email],
    ['Role', ROLE_LABELS[effectiveRole(user)]],
    ['Member since', formatDate(user.date_joined)],
    ['Last login', formatDateTime(user.last_login)],
  ];

  return (
    <AccountSection title="Profile">
      <Table variant="vertical" layout="fixed" withTableBorder>
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={160}>{label}</Table.Th>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={3} size="h4">
            Edit your name
          </Title>
          {save.isSuccess && <SuccessAlert title="Saved">Your name has been saved.</SuccessAlert>}
          <RequestError error={save.error} />
          <Group align="flex-start" grow>
            <TextInput
              ref={firstRef}
              label="First name"
              autoComplete="given-name"
              required
              withAsterisk={false}
              maxLength={150}
              value={firstName}
              error={errors.first_name ?? server.first_name}
              onChange={(event) => {
                setFirstName(event.currentTarget.value);
              }}
            />
            <TextInput
              ref={lastRef}
              label="Last name"
              autoComplete="family-name"
              required
              withAsterisk={false}
              maxLength={150}
              value={lastName}
              error={errors.last_name ?? server.last_name}
              onChange={(event) => {
                setLastName(event.currentTarget.value);
              }}
            />
          </Group>
          <Button type="submit" w="fit-content" loading={save.isPending}>
            Save
          </Button>
        </Stack>
      </form>
    </AccountSection>
  );
}

interface PasswordErrors {
  current?: string;
  next?: string;
  confirm?: string;
}

function PasswordSection() {
  const withReauth = useReauth();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<PasswordErrors>({});
  const currentRef = useRef<HTMLInputElement>(null);
  const nextRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);

  const change = useMutation({
    mutationFn: (body: { current_password: string; new_password: string }) =>
      withReauth(() => apiPost(`${IDENTITY_API}/me/password`, body)),
    onSuccess: async () => {
      setCurrent('');
      setNext('');
      setConfirm('');
      await queryClient.invalidateQueries({ queryKey: MY_SESSIONS_KEY });
    },
  });
  const server = serverFieldErrors(change.error);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: PasswordErrors = {};
    if (current === '') found.current = 'Enter your current password.';
    const nextError = newPasswordError(next);
    if (nextError !== undefined) found.next = nextError;
    const confirmError = confirmPasswordError(next, confirm);
    if (confirmError !== undefined) found.confirm = confirmError;
    setErrors(found);
    const order: [keyof PasswordErrors, RefObject<HTMLInputElement | null>][] = [
      ['current', currentRef],
      ['next', nextRef],
      ['confirm', confirmRef],
    ];
    const first = order.find(([name]) => found[name] !== undefined);
    if (first !== undefined) {
      first[1].current?.focus();
      return;
    }
    change.reset();
    change.mutate({ current_password: current, new_password: next });
  };

  return (
    <AccountSection title="Password">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm" maw={420}>
          {change.isSuccess && (
            <SuccessAlert title="Password changed">
              Your password has been changed. Your other devices have been signed out.
            </SuccessAlert>
          )}
          <RequestError error={change.error} />
          <PasswordInput
            ref={currentRef}
            label="Current password"
            autoComplete="current-password"
            required
            withAsterisk={false}
            value={current}
            error={errors.current ?? server.current_password}
            aria-invalid={(errors.current ?? server.current_password) !== undefined}
            onChange={(event) => {
              setCurrent(event.currentTarget.value);
            }}
          />
          <NewPasswordFields
            label="New password"
            password={next}
            confirm={confirm}
            onPasswordChange={setNext}
            onConfirmChange={setConfirm}
            passwordError={errors.next ?? server.new_password}
            confirmError={errors.confirm}
            passwordRef={nextRef}
            confirmRef={confirmRef}
          />
          <Button type="submit" w="fit-content" loading={change.isPending}>
            Change password
          </Button>
        </Stack>
      </form>
    </AccountSection>
  );
}

function EmailSection({ user }: { user: CurrentUser }) {
  const withReauth = useReauth();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const emailRef = useRef<HTMLInputElement>(null);

  const change = useMutation({
    mutationFn: (body: { new_email: string }) =>
      withReauth(() => apiPost(`${IDENTITY_API}/me/email`, body)),
    onSuccess: () => {
      setEmail('');
    },
  });
  const server = serverFieldErrors(change.error);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    let found = validateSignIn({ email, password: 'x' }).email;
    if (found === undefined && email.trim().toLowerCase() === user.email.toLowerCase()) {
      found = 'This is already your email address.';
    }
    setError(found);
    if (found !== undefined) {
      emailRef.current?.focus();
      return;
    }
    change.mutate({ new_email: email.trim() });
  };

  const conflict = change.error instanceof ApiError && change.error.status === 409;

  return (
    <AccountSection title="Email address">
      <Text>
        Your email address is <strong style={{ overflowWrap: 'anywhere' }}>{user.email}</strong>. To
        change it, enter the new address: we send a confirmation link to it, and the change happens
        when you open the link.
      </Text>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm" maw={420}>
          {change.isSuccess && (
            <SuccessAlert title="Check your new inbox">
              Check your new inbox: we sent a confirmation link to {change.variables.new_email}.
              Your email address changes when you open it.
            </SuccessAlert>
          )}
          <RequestError
            error={change.error}
            fallback={conflict ? 'This address is already used by another account.' : undefined}
          />
          <TextInput
            ref={emailRef}
            label="New email"
            type="email"
            autoComplete="email"
            required
            withAsterisk={false}
            value={email}
            error={error ?? server.new_email}
            onChange={(event) => {
              setEmail(event.currentTarget.value);
            }}
          />
          <Button type="submit" w="fit-content" loading={change.isPending}>
            Change email
          </Button>
        </Stack>
      </form>
    </AccountSection>
  );
}

/** /account: the signed-in user's profile and security settings (§3.7, §3.8, §3.11). */
export function AccountPage() {
  const { user } = useSession();
  if (user === null) return <LoadingStatus label="Loading your account…" />;
  return (
    <Stack gap="lg" maw={900}>
      <Title order={1}>Your account</Title>
      <ProfileSection key={user.id} user={user} />
      <PasswordSection />
      <EmailSection user={user} />
      <SessionsSection />
      <MfaSection user={user} />
      <LoginAttemptsSection />
    </Stack>
  );
}
