import type { AdminUser } from '@hub/core';
import { Button, Group, List, Modal, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { useReauth } from '../identity/session';
import { ADMIN_KEY, adminKey, deleteUser, fetchSavedWork, sendExport } from './adminApi';
import { confirmEmailMatches, formatBytes } from './adminHelpers';
import { ErrorAlert, LoadingState, SuccessStatus, TableRegion } from './adminUi';

export interface DeleteUserDialogProps {
  user: AdminUser;
  onClose: () => void;
  onDeleted: (email: string) => void;
}

/**
 * Hard deletion (§3.10 US-ADM-5, D17): shows the metadata of the user's saved work (never its
 * content), offers to email the user an export, then asks for the user's email address and
 * deletes through a fresh re-authentication.
 */
export function DeleteUserDialog({ user, onClose, onDeleted }: DeleteUserDialogProps) {
  const queryClient = useQueryClient();
  const withReauth = useReauth();
  const [confirmation, setConfirmation] = useState('');
  const savedWork = useQuery({
    queryKey: adminKey('saved-work', { user: user.id }),
    queryFn: ({ signal }) => fetchSavedWork(user.id, signal),
  });
  const exportMutation = useMutation({
    mutationFn: () => withReauth(() => sendExport(user.id)),
  });
  const deletion = useMutation({
    mutationFn: (confirmEmail: string) => withReauth(() => deleteUser(user.id, confirmEmail)),
    onSuccess: async () => {
      onDeleted(user.email);
      await queryClient.invalidateQueries({ queryKey: [ADMIN_KEY] });
    },
  });
  const matches = confirmEmailMatches(confirmation, user.email);

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!matches) return;
    deletion.mutate(confirmation.trim());
  }

  return (
    <Modal opened onClose={onClose} title={`Delete the account of ${user.email}`} size="xl">
      <Stack gap="md">
        <Text size="sm">
          Deleting removes the account, its sessions and all of its saved work for good. To keep the
          data and only block sign-in, deactivate the account instead.
        </Text>

        <Title order={3} size="h5">
          Saved work
        </Title>
        {savedWork.isPending && <LoadingState label="Loading the saved work summary…" />}
        {savedWork.isError && (
          <ErrorAlert error={savedWork.error} title="Could not load the saved work summary" />
        )}
        {savedWork.data !== undefined &&
          (savedWork.data.stores.every((store) => store.count === 0) ? (
            <Text size="sm">This user has no saved work.</Text>
          ) : (
            <TableRegion label="Saved work of the user">
              <Table captionSide="top">
                <Table.Caption>Saved work of the user (names and sizes only)</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Kind</Table.Th>
                    <Table.Th scope="col">Count</Table.Th>
                    <Table.Th scope="col">Size</Table.Th>
                    <Table.Th scope="col">Names</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {savedWork.data.stores.map((store) => (
                    <Table.Tr key={store.name}>
                      <Table.Td>{store.name}</Table.Td>
                      <Table.Td>{store.count}</Table.Td>
                      <Table.Td>{formatBytes(store.bytes)}</Table.Td>
                      <Table.Td>
                        {store.items.length === 0 ? (
                          '—'
                        ) : (
                          <List size="sm">
                            {store.items.map((item, index) => (
                              <List.Item key={`${index}:${item}`}>{item}</List.Item>
                            ))}
                          </List>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </TableRegion>
          ))}

        <Group gap="sm">
          <Button
            variant="default"
            loading={exportMutation.isPending}
            disabled={exportMutation.isSuccess}
            onClick={() => {
              exportMutation.mutate();
            }}
          >
            Send the user an export
          </Button>
        </Group>
        {exportMutation.isSuccess && (
          <SuccessStatus>
            An export of the saved work is being emailed to {user.email} as a one-time download
            link.
          </SuccessStatus>
        )}
        {exportMutation.isError && (
          <ErrorAlert error={exportMutation.error} title="Could not send the export" />
        )}

        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <TextInput
              label="Type the user's email address to confirm"
              description={`Enter ${user.email}`}
              autoComplete="off"
              value={confirmation}
              onChange={(event) => {
                setConfirmation(event.currentTarget.value);
              }}
            />
            {deletion.isError && (
              <ErrorAlert error={deletion.error} title="Could not delete the user" />
            )}
            <Group justify="space-between">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" color="red.9" disabled={!matches} loading={deletion.isPending}>
                Delete user
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Modal>
  );
}
