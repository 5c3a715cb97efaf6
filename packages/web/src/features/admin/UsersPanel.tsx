import { ROLES, USER_STATUSES, type AdminUser } from '@hub/core';
import {
  Button,
  Group,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { adminKey, fetchUsers, type UserFilters } from './adminApi';
import { formatDateTime, fullName, userStatusColour, type Viewer } from './adminHelpers';
import {
  ErrorAlert,
  LoadingState,
  Pager,
  StatusBadge,
  SuccessStatus,
  TableRegion,
  yesNo,
} from './adminUi';
import { DeleteUserDialog } from './DeleteUserDialog';
import { ManageUserDialog } from './ManageUserDialog';

const PAGE_SIZE = 25;

export interface UsersPanelProps {
  viewer: Viewer & { id: number };
  admin: boolean;
}

/** /admin/users: the user directory (§3.10); actions for admins, read-only for managers. */
export function UsersPanel({ viewer, admin }: UsersPanelProps) {
  const [searchDraft, setSearchDraft] = useState('');
  const [filters, setFilters] = useState<UserFilters>({
    search: '',
    status: '',
    role: '',
    page: 1,
    page_size: PAGE_SIZE,
  });
  const [managing, setManaging] = useState<AdminUser | null>(null);
  const [deleting, setDeleting] = useState<AdminUser | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const users = useQuery({
    queryKey: adminKey('users', filters),
    queryFn: ({ signal }) => fetchUsers(filters, signal),
    placeholderData: keepPreviousData,
  });

  function submitSearch(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setFilters({ ...filters, search: searchDraft, page: 1 });
  }

  return (
    <Stack gap="md">
      <Title order={2}>Users</Title>
      {!admin && <Text>You can see the user directory; only admins can change accounts.</Text>}
      <form onSubmit={submitSearch} aria-label="Filter users">
        <Group gap="sm" align="flex-end">
          <TextInput
            label="Search by name or email"
            type="search"
            value={searchDraft}
            onChange={(event) => {
              setSearchDraft(event.currentTarget.value);
            }}
          />
          <Button type="submit" variant="default">
            Search
          </Button>
          <NativeSelect
            label="Status"
            data={[{ value: '', label: 'All statuses' }, ...USER_STATUSES]}
            value={filters.status}
            onChange={(event) => {
              setFilters({ ...filters, status: event.currentTarget.value, page: 1 });
            }}
          />
          <NativeSelect
            label="Role"
            data={[{ value: '', label: 'All roles' }, ...ROLES]}
            value={filters.role}
            onChange={(event) => {
              setFilters({ ...filters, role: event.currentTarget.value, page: 1 });
            }}
          />
        </Group>
      </form>
      {message !== null && <SuccessStatus>{message}</SuccessStatus>}
      {users.isPending && <LoadingState label="Loading the users…" />}
      {users.isError && <ErrorAlert error={users.error} title="Could not load the users" />}
      {users.data !== undefined &&
        (users.data.items.length === 0 ? (
          <Text>No users match these filters.</Text>
        ) : (
          <>
            <TableRegion label="Users">
              <Table striped captionSide="top">
                <Table.Caption>Users</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Email</Table.Th>
                    <Table.Th scope="col">Role</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Last login</Table.Th>
                    <Table.Th scope="col">Login count</Table.Th>
                    <Table.Th scope="col">Approved by</Table.Th>
                    <Table.Th scope="col">MFA</Table.Th>
                    <Table.Th scope="col">Locked</Table.Th>
                    {admin && <Table.Th scope="col">Actions</Table.Th>}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {users.data.items.map((user) => {
                    const name = fullName(user);
                    return (
                      <Table.Tr key={user.id}>
                        <Table.Td>{name === '' ? '—' : name}</Table.Td>
                        <Table.Td>{user.email}</Table.Td>
                        <Table.Td>{user.role}</Table.Td>
                        <Table.Td>
                          <StatusBadge colour={userStatusColour(user.status)}>
                            {user.status}
                          </StatusBadge>
                        </Table.Td>
                        <Table.Td>{formatDateTime(user.last_login)}</Table.Td>
                        <Table.Td>{user.login_count}</Table.Td>
                        <Table.Td>{user.approved_by ?? '—'}</Table.Td>
                        <Table.Td>{yesNo(user.mfa_enabled)}</Table.Td>
                        <Table.Td>{yesNo(user.locked)}</Table.Td>
                        {admin && (
                          <Table.Td>
                            <Button
                              size="xs"
                              variant="default"
                              onClick={() => {
                                setMessage(null);
                                setManaging(user);
                              }}
                            >
                              Manage<VisuallyHidden> {user.email}</VisuallyHidden>
                            </Button>
                          </Table.Td>
                        )}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </TableRegion>
            <Pager
              page={users.data.page}
              pageSize={users.data.page_size}
              total={users.data.total}
              noun="users"
              onChange={(page) => {
                setFilters({ ...filters, page });
              }}
            />
          </>
        ))}
      {admin && managing !== null && (
        <ManageUserDialog
          user={managing}
          self={managing.id === viewer.id}
          onClose={() => {
            setManaging(null);
          }}
          onDelete={(user) => {
            setManaging(null);
            setDeleting(user);
          }}
        />
      )}
      {admin && deleting !== null && (
        <DeleteUserDialog
          user={deleting}
          onClose={() => {
            setDeleting(null);
          }}
          onDeleted={(email) => {
            setDeleting(null);
            setMessage(`Deleted the account of ${email}.`);
          }}
        />
      )}
    </Stack>
  );
}
