import { Button, Code, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { adminKey, fetchOutbox } from './adminApi';
import { formatDateTime } from './adminHelpers';
import { ErrorAlert, LoadingState, Pager, TableRegion } from './adminUi';

const COLUMNS = 7;

/** /admin/outbox (admin): the mail outbox, with each plain-text body shown as text. */
export function OutboxPanel() {
  const [page, setPage] = useState(1);
  const [expanded, setExpanded] = useState<number | null>(null);
  const outbox = useQuery({
    queryKey: adminKey('outbox', { page }),
    queryFn: ({ signal }) => fetchOutbox(page, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack gap="md">
      <Title order={2}>Mail outbox</Title>
      {outbox.isPending && <LoadingState label="Loading the outbox…" />}
      {outbox.isError && <ErrorAlert error={outbox.error} title="Could not load the outbox" />}
      {outbox.data !== undefined &&
        (outbox.data.items.length === 0 ? (
          <Text>The outbox is empty.</Text>
        ) : (
          <>
            <TableRegion label="Outgoing mail">
              <Table striped captionSide="top">
                <Table.Caption>Outgoing mail</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">To</Table.Th>
                    <Table.Th scope="col">Subject</Table.Th>
                    <Table.Th scope="col">Purpose</Table.Th>
                    <Table.Th scope="col">Created</Table.Th>
                    <Table.Th scope="col">Sent</Table.Th>
                    <Table.Th scope="col">Error</Table.Th>
                    <Table.Th scope="col">Body</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {outbox.data.items.map((message) => {
                    const isOpen = expanded === message.id;
                    const bodyId = `outbox-body-${message.id}`;
                    return (
                      <Fragment key={message.id}>
                        <Table.Tr>
                          <Table.Td>{message.to_address}</Table.Td>
                          <Table.Td>{message.subject}</Table.Td>
                          <Table.Td>{message.purpose}</Table.Td>
                          <Table.Td>{formatDateTime(message.created_at)}</Table.Td>
                          <Table.Td>
                            {message.sent_at === null
                              ? 'Not sent'
                              : formatDateTime(message.sent_at)}
                          </Table.Td>
                          <Table.Td>{message.error ?? '—'}</Table.Td>
                          <Table.Td>
                            <Button
                              size="xs"
                              variant="default"
                              aria-expanded={isOpen}
                              aria-controls={isOpen ? bodyId : undefined}
                              onClick={() => {
                                setExpanded(isOpen ? null : message.id);
                              }}
                            >
                              {isOpen ? 'Hide body' : 'Show body'}
                              <VisuallyHidden> of the mail to {message.to_address}</VisuallyHidden>
                            </Button>
                          </Table.Td>
                        </Table.Tr>
                        {isOpen && (
                          <Table.Tr id={bodyId}>
                            <Table.Td colSpan={COLUMNS}>
                              {message.text_body === null ? (
                                <Text size="sm">This message has no plain-text body.</Text>
                              ) : (
                                <Code block>{message.text_body}</Code>
                              )}
                            </Table.Td>
                          </Table.Tr>
                        )}
                      </Fragment>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </TableRegion>
            <Pager
              page={outbox.data.page}
              pageSize={outbox.data.page_size}
              total={outbox.data.total}
              noun="messages"
              onChange={(next) => {
                setExpanded(null);
                setPage(next);
              }}
            />
          </>
        ))}
    </Stack>
  );
}
