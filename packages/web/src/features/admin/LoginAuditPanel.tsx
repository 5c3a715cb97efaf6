import { LOGIN_FAILURE_REASONS } from '@hub/core';
import {
  Anchor,
  Button,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import {
  adminKey,
  fetchLoginAttempts,
  fetchSuspicious,
  loginAttemptsCsvHref,
  type LoginAttemptFilters,
} from './adminApi';
import { dateRangeError, formatDateTime, loginResultColour } from './adminHelpers';
import { ErrorAlert, LoadingState, Pager, StatusBadge, TableRegion } from './adminUi';

const NO_FILTERS: LoginAttemptFilters = {
  email: '',
  ip: '',
  success: '',
  reason: '',
  from: '',
  to: '',
};

/** /admin/login-audit (admin): the login attempts of all users and suspicious activity (§3.9). */
export function LoginAuditPanel() {
  const [draft, setDraft] = useState<LoginAttemptFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<LoginAttemptFilters>(NO_FILTERS);
  const [rangeError, setRangeError] = useState<string | undefined>(undefined);
  const [page, setPage] = useState(1);
  const attempts = useQuery({
    queryKey: adminKey('login-attempts', { ...filters, page }),
    queryFn: ({ signal }) => fetchLoginAttempts(filters, page, signal),
    placeholderData: keepPreviousData,
  });

  function update(key: keyof LoginAttemptFilters, value: string) {
    setDraft({ ...draft, [key]: value });
  }

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const error = dateRangeError(draft.from, draft.to);
    setRangeError(error);
    if (error !== undefined) return;
    setFilters(draft);
    setPage(1);
  }

  return (
    <Stack gap="md">
      <Title order={2}>Login audit</Title>
      <form onSubmit={submit} noValidate aria-label="Filter login attempts">
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label="Email"
              value={draft.email}
              onChange={(event) => {
                update('email', event.currentTarget.value);
              }}
            />
            <TextInput
              label="IP address"
              value={draft.ip}
              onChange={(event) => {
                update('ip', event.currentTarget.value);
              }}
            />
            <NativeSelect
              label="Result"
              data={[
                { value: '', label: 'All results' },
                { value: 'true', label: 'Successful' },
                { value: 'false', label: 'Failed' },
              ]}
              value={draft.success}
              onChange={(event) => {
                update('success', event.currentTarget.value);
              }}
            />
            <NativeSelect
              label="Failure reason"
              data={[{ value: '', label: 'All reasons' }, ...LOGIN_FAILURE_REASONS]}
              value={draft.reason}
              onChange={(event) => {
                update('reason', event.currentTarget.value);
              }}
            />
            <TextInput
              label="From date"
              type="date"
              value={draft.from}
              onChange={(event) => {
                update('from', event.currentTarget.value);
              }}
            />
            <TextInput
              label="To date"
              type="date"
              value={draft.to}
              error={rangeError}
              onChange={(event) => {
                update('to', event.currentTarget.value);
              }}
            />
          </SimpleGrid>
          <Group gap="sm">
            <Button type="submit">Apply filters</Button>
            <Button
              variant="default"
              onClick={() => {
                setDraft(NO_FILTERS);
                setFilters(NO_FILTERS);
                setRangeError(undefined);
                setPage(1);
              }}
            >
              Clear filters
            </Button>
            <Anchor href={loginAttemptsCsvHref(filters)} download>
              Download CSV
            </Anchor>
          </Group>
        </Stack>
      </form>

      {attempts.isPending && <LoadingState label="Loading the login attempts…" />}
      {attempts.isError && (
        <ErrorAlert error={attempts.error} title="Could not load the login attempts" />
      )}
      {attempts.data !== undefined &&
        (attempts.data.items.length === 0 ? (
          <Text>No login attempts match these filters.</Text>
        ) : (
          <>
            <TableRegion label="Login attempts">
              <Table striped captionSide="top">
                <Table.Caption>Login attempts</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Time</Table.Th>
                    <Table.Th scope="col">Email</Table.Th>
                    <Table.Th scope="col">IP address</Table.Th>
                    <Table.Th scope="col">User agent</Table.Th>
                    <Table.Th scope="col">Result</Table.Th>
                    <Table.Th scope="col">Failure reason</Table.Th>
                    <Table.Th scope="col">User ID</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {attempts.data.items.map((attempt) => (
                    <Table.Tr key={attempt.id}>
                      <Table.Td>{formatDateTime(attempt.attempted_at)}</Table.Td>
                      <Table.Td>{attempt.email}</Table.Td>
                      <Table.Td>{attempt.ip_address ?? '—'}</Table.Td>
                      <Table.Td>
                        <Text size="xs">{attempt.user_agent}</Text>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge colour={loginResultColour(attempt.success)}>
                          {attempt.success ? 'Success' : 'Failure'}
                        </StatusBadge>
                      </Table.Td>
                      <Table.Td>
                        {attempt.failure_reason === '' ? '—' : attempt.failure_reason}
                      </Table.Td>
                      <Table.Td>{attempt.user_id ?? '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </TableRegion>
            <Pager
              page={attempts.data.page}
              pageSize={attempts.data.page_size}
              total={attempts.data.total}
              noun="attempts"
              onChange={setPage}
            />
          </>
        ))}

      <SuspiciousActivity />
    </Stack>
  );
}

function SuspiciousActivity() {
  const suspicious = useQuery({
    queryKey: adminKey('suspicious'),
    queryFn: ({ signal }) => fetchSuspicious(signal),
  });

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3}>Suspicious activity</Title>
        <Text size="sm">
          IP addresses that tried many accounts or failed often, and accounts with many failed
          logins.
        </Text>
        {suspicious.isPending && <LoadingState label="Loading the suspicious activity…" />}
        {suspicious.isError && (
          <ErrorAlert error={suspicious.error} title="Could not load the suspicious activity" />
        )}
        {suspicious.data !== undefined && (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            {suspicious.data.ips.length === 0 ? (
              <Text size="sm">No suspicious IP addresses.</Text>
            ) : (
              <TableRegion label="Suspicious IP addresses">
                <Table captionSide="top">
                  <Table.Caption>Suspicious IP addresses</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">IP address</Table.Th>
                      <Table.Th scope="col">Emails tried</Table.Th>
                      <Table.Th scope="col">Failures</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {suspicious.data.ips.map((row, index) => (
                      <Table.Tr key={`${row.ip ?? ''}:${index}`}>
                        <Table.Td>{row.ip ?? '—'}</Table.Td>
                        <Table.Td>
                          {typeof row.emails === 'number' ? row.emails : row.emails.join(', ')}
                        </Table.Td>
                        <Table.Td>{row.failures}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </TableRegion>
            )}
            {suspicious.data.accounts.length === 0 ? (
              <Text size="sm">No accounts with many failures.</Text>
            ) : (
              <TableRegion label="Accounts with many failures">
                <Table captionSide="top">
                  <Table.Caption>Accounts with many failures</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Email</Table.Th>
                      <Table.Th scope="col">Failures</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {suspicious.data.accounts.map((row, index) => (
                      <Table.Tr key={`${row.email}:${index}`}>
                        <Table.Td>{row.email}</Table.Td>
                        <Table.Td>{row.failures}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </TableRegion>
            )}
          </SimpleGrid>
        )}
      </Stack>
    </Paper>
  );
}
