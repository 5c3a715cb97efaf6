import { Badge, Button, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import {
  loginAttemptSchema,
  recoveryCodesResponseSchema,
  sessionInfoSchema,
  type CurrentUser,
  type LoginAttempt,
  type SessionInfo,
} from '@hub/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { z } from 'zod';
import { ApiError, apiDelete, apiGet, apiPost } from '../../api/client';
import {
  AccountSection,
  LoadingStatus,
  RecoveryCodeList,
  RequestError,
  SuccessAlert,
} from './components';
import { formatDateTime, IDENTITY_API } from './helpers';
import { MY_LOGIN_ATTEMPTS_KEY, MY_SESSIONS_KEY } from './queries';
import { useReauth, useSession } from './session';

const sessionListSchema = z.array(sessionInfoSchema);
const loginAttemptListSchema = z.array(loginAttemptSchema);

/** A table that scrolls sideways on narrow screens; focusable so keyboard users can scroll it. */
function ScrollableTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto' }}>
      {children}
    </div>
  );
}

/** Current session first, then the most recently active. */
function sortSessions(sessions: readonly SessionInfo[]): SessionInfo[] {
  return [...sessions].sort((a, b) => {
    if (a.current !== b.current) return a.current ? -1 : 1;
    return b.last_activity.localeCompare(a.last_activity);
  });
}

function deviceName(session: SessionInfo): string {
  if (session.device !== '') return session.device;
  return session.user_agent === '' ? 'Unknown device' : session.user_agent;
}

/** US-SES-1, US-SES-2: the user's active sessions; revoke one, or all but this one. */
export function SessionsSection() {
  const withReauth = useReauth();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);

  const sessions = useQuery({
    queryKey: MY_SESSIONS_KEY,
    queryFn: ({ signal }) => apiGet(`${IDENTITY_API}/me/sessions`, sessionListSchema, { signal }),
  });
  const refetch = () => queryClient.invalidateQueries({ queryKey: MY_SESSIONS_KEY });

  const revoke = useMutation({
    mutationFn: (session: SessionInfo) =>
      withReauth(() => apiDelete(`${IDENTITY_API}/me/sessions/${session.id}`)),
    onMutate: () => {
      setMessage(null);
    },
    onSuccess: async (_answer, session) => {
      setMessage(`The session on ${deviceName(session)} has been revoked.`);
      await refetch();
    },
  });
  const revokeOthers = useMutation({
    mutationFn: () => withReauth(() => apiPost(`${IDENTITY_API}/me/sessions/revoke-others`, {})),
    onMutate: () => {
      setMessage(null);
    },
    onSuccess: async () => {
      setMessage('All your other devices have been signed out.');
      await refetch();
    },
  });

  const list = sessions.data === undefined ? [] : sortSessions(sessions.data);
  const others = list.filter((session) => !session.current).length;

  return (
    <AccountSection title="Sessions">
      <Text>
        These devices are signed in to your account. If you do not recognise one, sign it out and
        change your password.
      </Text>
      {message !== null && <SuccessAlert title="Done">{message}</SuccessAlert>}
      <RequestError error={revoke.error ?? revokeOthers.error} />
      {sessions.isPending && <LoadingStatus label="Loading your sessions…" />}
      <RequestError error={sessions.error} />
      {sessions.isSuccess && (
        <ScrollableTable label="Active sessions">
          <Table striped highlightOnHover miw={640}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Device</Table.Th>
                <Table.Th>IP address</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last active</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Action</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((session) => (
                <Table.Tr key={session.id}>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>
                    <Group gap="xs">
                      <span>{deviceName(session)}</span>
                      {session.current && (
                        <Badge color="blue.8" variant="filled" size="sm">
                          This device
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{session.ip_address ?? 'Unknown'}</Table.Td>
                  <Table.Td>{formatDateTime(session.created_at)}</Table.Td>
                  <Table.Td>{formatDateTime(session.last_activity)}</Table.Td>
                  <Table.Td>
                    {!session.current && (
                      <Button
                        size="xs"
                        variant="default"
                        loading={revoke.isPending && revoke.variables.id === session.id}
                        onClick={() => {
                          revoke.mutate(session);
                        }}
                      >
                        Revoke
                        <VisuallyHidden>
                          {' '}
                          the session on {deviceName(session)}, last active{' '}
                          {formatDateTime(session.last_activity)}
                        </VisuallyHidden>
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollableTable>
      )}
      <Button
        w="fit-content"
        variant="default"
        disabled={!sessions.isSuccess || others === 0}
        loading={revokeOthers.isPending}
        onClick={() => {
          revokeOthers.mutate();
        }}
      >
        Sign out all other devices
      </Button>
    </AccountSection>
  );
}

const FAILURE_REASONS: Readonly<Record<string, string>> = {
  invalid_password: 'wrong password',
  unknown_email: 'unknown email',
  inactive: 'account disabled',
  pending_approval: 'awaiting approval',
  rejected: 'request declined',
  unusable_password: 'no password set',
  locked_out: 'account temporarily locked',
  rate_limited: 'too many attempts',
  mfa_failed: 'wrong authentication code',
};

function attemptResult(attempt: LoginAttempt): string {
  if (attempt.success) return 'Succeeded';
  const reason = FAILURE_REASONS[attempt.failure_reason] ?? attempt.failure_reason;
  return reason === '' ? 'Failed' : `Failed: ${reason}`;
}

/** US-PRO-2: the last 20 sign-in attempts on the user's address, successes and failures. */
export function LoginAttemptsSection() {
  const attempts = useQuery({
    queryKey: MY_LOGIN_ATTEMPTS_KEY,
    queryFn: ({ signal }) =>
      apiGet(`${IDENTITY_API}/me/login-attempts`, loginAttemptListSchema, { signal }),
  });

  return (
    <AccountSection title="Recent sign-in attempts">
      <Text>
        The last 20 attempts to sign in to your account. Failures you do not recognise may mean
        someone is guessing your password.
      </Text>
      {attempts.isPending && <LoadingStatus label="Loading your sign-in attempts…" />}
      <RequestError error={attempts.error} />
      {attempts.isSuccess &&
        (attempts.data.length === 0 ? (
          <Text>No sign-in attempts yet.</Text>
        ) : (
          <ScrollableTable label="Recent sign-in attempts">
            <Table striped miw={640}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Time</Table.Th>
                  <Table.Th>Result</Table.Th>
                  <Table.Th>IP address</Table.Th>
                  <Table.Th>Browser</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {attempts.data.slice(0, 20).map((attempt) => (
                  <Table.Tr key={attempt.id}>
                    <Table.Td>{formatDateTime(attempt.attempted_at)}</Table.Td>
                    <Table.Td>
                      <Text
                        size="sm"
                        fw={attempt.success ? undefined : 700}
                        c={attempt.success ? undefined : 'red.9'}
                      >
                        {attemptResult(attempt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{attempt.ip_address ?? 'Unknown'}</Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>
                      <Text size="sm" lineClamp={2} title={attempt.user_agent}>
                        {attempt.user_agent === '' ? 'Unknown' : attempt.user_agent}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollableTable>
        ))}
    </AccountSection>
  );
}

/** US-PRO-3: MFA status; set up, turn off, new recovery codes. */
export function MfaSection({ user }: { user: CurrentUser }) {
  const withReauth = useReauth();
  const { refresh } = useSession();
  const [confirming, setConfirming] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);

  const disable = useMutation({
    mutationFn: () => withReauth(() => apiPost(`${IDENTITY_API}/me/mfa/disable`, {})),
    onSuccess: async () => {
      setConfirming(false);
      setCodes(null);
      await refresh();
    },
  });
  const regenerate = useMutation({
    mutationFn: () =>
      withReauth(() =>
        apiPost(`${IDENTITY_API}/me/mfa/recovery-codes`, {}, recoveryCodesResponseSchema),
      ),
    onMutate: () => {
      disable.reset();
    },
    onSuccess: (answer) => {
      setCodes(answer.recovery_codes);
    },
  });

  const required = disable.error instanceof ApiError && disable.error.status === 409;

  return (
    <AccountSection title="Two-factor authentication">
      <Text>
        Two-factor authentication is <strong>{user.mfa_enabled ? 'on' : 'off'}</strong>.{' '}
        {user.mfa_enabled
          ? 'You enter a code from your authenticator app when you sign in.'
          : 'Turn it on to protect your account with a code from an app on your phone.'}
      </Text>
      {disable.isSuccess && !user.mfa_enabled && (
        <SuccessAlert title="Turned off">Two-factor authentication is now off.</SuccessAlert>
      )}
      <RequestError
        error={disable.error}
        fallback={required ? 'Your role requires two-factor authentication.' : undefined}
      />
      <RequestError error={regenerate.error} />

      {codes !== null && (
        <Stack gap="sm">
          <SuccessAlert title="New recovery codes">
            Your old recovery codes no longer work. Save these somewhere safe: each one lets you
            sign in once, and they will not be shown again.
          </SuccessAlert>
          <RecoveryCodeList codes={codes} />
          <Button
            w="fit-content"
            variant="default"
            onClick={() => {
              setCodes(null);
            }}
          >
            I have saved these codes
          </Button>
        </Stack>
      )}

      {!user.mfa_enabled && (
        <Button component={Link} to="/account/mfa" w="fit-content">
          Set up two-factor authentication
        </Button>
      )}
      {user.mfa_enabled && !confirming && (
        <Group gap="sm">
          <Button
            variant="default"
            loading={regenerate.isPending}
            onClick={() => {
              regenerate.mutate();
            }}
          >
            Regenerate recovery codes
          </Button>
          <Button
            variant="default"
            onClick={() => {
              disable.reset();
              setConfirming(true);
            }}
          >
            Disable two-factor authentication
          </Button>
        </Group>
      )}
      {user.mfa_enabled && confirming && (
        <Stack gap="sm" role="group" aria-label="Confirm disabling two-factor authentication">
          <Text>
            Turn off two-factor authentication? Your account will then be protected by your password
            only, and your recovery codes will stop working.
          </Text>
          <Group gap="sm">
            <Button
              color="red.9"
              loading={disable.isPending}
              onClick={() => {
                disable.mutate();
              }}
            >
              Yes, turn it off
            </Button>
            <Button
              variant="default"
              onClick={() => {
                setConfirming(false);
              }}
            >
              Keep it on
            </Button>
          </Group>
        </Stack>
      )}
    </AccountSection>
  );
}
