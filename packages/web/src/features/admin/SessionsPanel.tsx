import { Button, Group, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { useReauth } from '../identity/session';
import { ADMIN_KEY, adminKey, fetchSessions, revokeSession, type AdminSession } from './adminApi';
import { formatDateTime } from './adminHelpers';
import { ErrorAlert, LoadingState, Pager, SuccessStatus, TableRegion } from './adminUi';

/** /admin/sessions (admin): every active session, with Revoke (§3.7 US-SES-4). */
export function SessionsPanel() {
  const [userDraft, setUserDraft] = useState('');
  const [userId, setUserId] = useState('');
  const [userError, setUserError] = useState<string | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [message, setMessage] = useState<string | null>(null);
  const sessions = useQuery({
    queryKey: adminKey('sessions', { userId, page }),
    queryFn: ({ signal }) => fetchSessions(userId, page, signal),
    placeholderData: keepPreviousData,
  });

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = userDraft.trim();
    if (value !== '' && !/^[1-9]\d*$/.test(value)) {
      setUserError('A user ID is a whole number, like 42.');
      return;
    }
    setUserError(undefined);
    setUserId(value);
    setPage(1);
  }

  return (
    <Stack gap="md">
      <Title order={2}>Active sessions</Title>
      <form onSubmit={submit} noValidate aria-label="Filter sessions">
        <Group gap="sm" align="flex-end">
          <TextInput
            label="User ID (optional)"
            inputMode="numeric"
            value={userDraft}
            error={userError}
            onChange={(event) => {
              setUserDraft(event.currentTarget.value);
            }}
          />
          <Button type="submit" variant="default">
            Apply filter
          </Button>
        </Group>
      </form>
      {message !== null && <SuccessStatus>{message}</SuccessStatus>}
      {sessions.isPending && <LoadingState label="Loading the sessions…" />}
      {sessions.isError && (
        <ErrorAlert error={sessions.error} title="Could not load the sessions" />
      )}
      {sessions.data !== undefined &&
        (sessions.data.items.length === 0 ? (
          <Text>No active sessions.</Text>
        ) : (
          <>
            <TableRegion label="Active sessions">
              <Table striped captionSide="top">
                <Table.Caption>Active sessions of all users</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">User</Table.Th>
                    <Table.Th scope="col">Device</Table.Th>
                    <Table.Th scope="col">IP address</Table.Th>
                    <Table.Th scope="col">Created</Table.Th>
                    <Table.Th scope="col">Last active</Table.Th>
                    <Table.Th scope="col">Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {sessions.data.items.map((session) => (
                    <SessionRow key={session.id} session={session} onDone={setMessage} />
                  ))}
                </Table.Tbody>
              </Table>
            </TableRegion>
            <Pager
              page={sessions.data.page}
              pageSize={sessions.data.page_size}
              total={sessions.data.total}
              noun="sessions"
              onChange={setPage}
            />
          </>
        ))}
    </Stack>
  );
}

function SessionRow({
  session,
  onDone,
}: {
  session: AdminSession;
  onDone: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const withReauth = useReauth();
  const revoke = useMutation({
    mutationFn: () => withReauth(() => revokeSession(session.id)),
    onSuccess: async () => {
      onDone(`Revoked a session of ${session.user_email}.`);
      await queryClient.invalidateQueries({ queryKey: [ADMIN_KEY] });
    },
  });

  return (
    <Table.Tr>
      <Table.Td>{session.user_email}</Table.Td>
      <Table.Td>
        <Text size="sm">{session.device}</Text>
        <Text size="xs" c="dimmed">
          {session.user_agent}
        </Text>
      </Table.Td>
      <Table.Td>{session.ip_address ?? '—'}</Table.Td>
      <Table.Td>{formatDateTime(session.created_at)}</Table.Td>
      <Table.Td>{formatDateTime(session.last_activity)}</Table.Td>
      <Table.Td>
        <Stack gap="xs">
          <Button
            size="xs"
            variant="outline"
            color="red.9"
            loading={revoke.isPending}
            onClick={() => {
              revoke.mutate();
            }}
          >
            Revoke
            <VisuallyHidden>
              {' '}
              the session of {session.user_email} on {session.device}
            </VisuallyHidden>
          </Button>
          {revoke.isError && <ErrorAlert error={revoke.error} title="Could not revoke" />}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}
