import type { AdminUser, Role } from '@hub/core';
import { rejectSchema } from '@hub/core';
import {
  Button,
  Checkbox,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { useReauth } from '../identity/session';
import { ADMIN_KEY, adminKey, approveUser, fetchAccessRequests, rejectUser } from './adminApi';
import {
  characterCount,
  fieldErrors,
  formatDateTime,
  fullName,
  grantableRoles,
  type Viewer,
} from './adminHelpers';
import { ErrorAlert, LoadingState, Pager, SuccessStatus, TableRegion } from './adminUi';

const REASON_MAX = 1000;

/** /admin: pending access requests, approved with a role or rejected with a reason (§3.4). */
export function ApprovalQueue({ viewer }: { viewer: Viewer }) {
  const [page, setPage] = useState(1);
  const [message, setMessage] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<AdminUser | null>(null);
  const requests = useQuery({
    queryKey: adminKey('access-requests', { page }),
    queryFn: ({ signal }) => fetchAccessRequests(page, signal),
    placeholderData: keepPreviousData,
  });
  const roles = grantableRoles(viewer);

  return (
    <Stack gap="md">
      <Title order={2}>Approval queue</Title>
      <Text>
        People who requested access and confirmed their email address. Approve them with a role, or
        reject them with a reason.
      </Text>
      {message !== null && <SuccessStatus>{message}</SuccessStatus>}
      {requests.isPending && <LoadingState label="Loading the pending requests…" />}
      {requests.isError && (
        <ErrorAlert error={requests.error} title="Could not load the pending requests" />
      )}
      {requests.data !== undefined &&
        (requests.data.items.length === 0 ? (
          <Text>No pending requests.</Text>
        ) : (
          <>
            <TableRegion label="Pending access requests">
              <Table striped captionSide="top">
                <Table.Caption>Pending access requests</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Email</Table.Th>
                    <Table.Th scope="col">Requested at</Table.Th>
                    <Table.Th scope="col">Decision</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {requests.data.items.map((user) => (
                    <RequestRow
                      key={user.id}
                      user={user}
                      roles={roles}
                      onDone={setMessage}
                      onReject={(target) => {
                        setMessage(null);
                        setRejecting(target);
                      }}
                    />
                  ))}
                </Table.Tbody>
              </Table>
            </TableRegion>
            <Pager
              page={requests.data.page}
              pageSize={requests.data.page_size}
              total={requests.data.total}
              noun="requests"
              onChange={setPage}
            />
          </>
        ))}
      {rejecting !== null && (
        <RejectDialog
          user={rejecting}
          onClose={() => {
            setRejecting(null);
          }}
          onDone={(text) => {
            setRejecting(null);
            setMessage(text);
          }}
        />
      )}
    </Stack>
  );
}

interface RequestRowProps {
  user: AdminUser;
  roles: Role[];
  onDone: (message: string) => void;
  onReject: (user: AdminUser) => void;
}

function RequestRow({ user, roles, onDone, onReject }: RequestRowProps) {
  const queryClient = useQueryClient();
  const withReauth = useReauth();
  const [role, setRole] = useState<Role>(roles[0] ?? 'viewer');
  const approve = useMutation({
    mutationFn: () => withReauth(() => approveUser(user.id, role)),
    onSuccess: async (updated) => {
      onDone(`Approved ${updated.email} as ${updated.role}.`);
      await queryClient.invalidateQueries({ queryKey: [ADMIN_KEY] });
    },
  });
  const name = fullName(user);

  return (
    <Table.Tr>
      <Table.Td>{name === '' ? '—' : name}</Table.Td>
      <Table.Td>{user.email}</Table.Td>
      <Table.Td>{formatDateTime(user.date_joined)}</Table.Td>
      <Table.Td>
        <Stack gap="xs">
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <NativeSelect
              size="xs"
              label={
                <>
                  Role<VisuallyHidden> for {user.email}</VisuallyHidden>
                </>
              }
              data={roles}
              value={role}
              onChange={(event) => {
                const next = roles.find((candidate) => candidate === event.currentTarget.value);
                if (next !== undefined) setRole(next);
              }}
            />
            <Button
              size="xs"
              loading={approve.isPending}
              onClick={() => {
                approve.mutate();
              }}
            >
              Approve<VisuallyHidden> {user.email}</VisuallyHidden>
            </Button>
            <Button
              size="xs"
              color="red.9"
              variant="outline"
              onClick={() => {
                onReject(user);
              }}
            >
              Reject<VisuallyHidden> {user.email}</VisuallyHidden>
            </Button>
          </Group>
          {approve.isError && <ErrorAlert error={approve.error} title="Could not approve" />}
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

interface RejectDialogProps {
  user: AdminUser;
  onClose: () => void;
  onDone: (message: string) => void;
}

function RejectDialog({ user, onClose, onDone }: RejectDialogProps) {
  const queryClient = useQueryClient();
  const withReauth = useReauth();
  const [reason, setReason] = useState('');
  const [share, setShare] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const reject = useMutation({
    mutationFn: (input: { reason: string; share: boolean }) =>
      withReauth(() => rejectUser(user.id, input.reason, input.share)),
    onSuccess: async (updated) => {
      onDone(`Rejected the request of ${updated.email}.`);
      await queryClient.invalidateQueries({ queryKey: [ADMIN_KEY] });
    },
  });

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = rejectSchema.safeParse({ reason, share_reason: share });
    if (!parsed.success) {
      setError(
        fieldErrors(parsed.error.issues).reason ?? 'Enter a reason of 1 to 1000 characters.',
      );
      return;
    }
    setError(undefined);
    reject.mutate({ reason: parsed.data.reason, share: parsed.data.share_reason });
  }

  return (
    <Modal opened onClose={onClose} title={`Reject the request of ${user.email}`}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Textarea
            label="Reason"
            required
            autosize
            minRows={3}
            value={reason}
            error={error}
            description={characterCount(reason, REASON_MAX)}
            onChange={(event) => {
              setReason(event.currentTarget.value);
            }}
          />
          <Checkbox
            label="Share the reason with the user"
            checked={share}
            onChange={(event) => {
              setShare(event.currentTarget.checked);
            }}
          />
          {reject.isError && <ErrorAlert error={reject.error} title="Could not reject" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color="red.9" loading={reject.isPending}>
              Reject
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
