import { Button, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { adminKey, fetchAuditEvents } from './adminApi';
import { detailsText, formatDateTime } from './adminHelpers';
import { ErrorAlert, LoadingState, Pager, TableRegion } from './adminUi';

/** /admin/audit (admin): the append-only admin audit log (§3.9), details as JSON text. */
export function AuditPanel() {
  const [actionDraft, setActionDraft] = useState('');
  const [action, setAction] = useState('');
  const [page, setPage] = useState(1);
  const events = useQuery({
    queryKey: adminKey('audit-events', { action, page }),
    queryFn: ({ signal }) => fetchAuditEvents(action, page, signal),
    placeholderData: keepPreviousData,
  });

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setAction(actionDraft.trim());
    setPage(1);
  }

  return (
    <Stack gap="md">
      <Title order={2}>Audit log</Title>
      <form onSubmit={submit} aria-label="Filter audit events">
        <Group gap="sm" align="flex-end">
          <TextInput
            label="Action"
            description="For example user.approve or invite.create"
            value={actionDraft}
            onChange={(event) => {
              setActionDraft(event.currentTarget.value);
            }}
          />
          <Button type="submit" variant="default">
            Apply filter
          </Button>
        </Group>
      </form>
      {events.isPending && <LoadingState label="Loading the audit events…" />}
      {events.isError && <ErrorAlert error={events.error} title="Could not load the audit log" />}
      {events.data !== undefined &&
        (events.data.items.length === 0 ? (
          <Text>No audit events match this filter.</Text>
        ) : (
          <>
            <TableRegion label="Audit events">
              <Table striped captionSide="top">
                <Table.Caption>Audit events</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Time</Table.Th>
                    <Table.Th scope="col">Actor ID</Table.Th>
                    <Table.Th scope="col">Action</Table.Th>
                    <Table.Th scope="col">Target</Table.Th>
                    <Table.Th scope="col">IP address</Table.Th>
                    <Table.Th scope="col">Details</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {events.data.items.map((event) => {
                    const details = detailsText(event.details);
                    return (
                      <Table.Tr key={event.id}>
                        <Table.Td>{formatDateTime(event.at)}</Table.Td>
                        <Table.Td>{event.actor_id ?? '—'}</Table.Td>
                        <Table.Td>{event.action}</Table.Td>
                        <Table.Td>
                          {event.target_type}
                          {event.target_id === null ? '' : ` ${event.target_id}`}
                        </Table.Td>
                        <Table.Td>{event.ip ?? '—'}</Table.Td>
                        <Table.Td>{details === '' ? '—' : <Code block>{details}</Code>}</Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </TableRegion>
            <Pager
              page={events.data.page}
              pageSize={events.data.page_size}
              total={events.data.total}
              noun="events"
              onChange={setPage}
            />
          </>
        ))}
    </Stack>
  );
}
