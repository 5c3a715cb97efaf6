import { ROLES, type AdminUser, type Role } from '@hub/core';
import { Button, Divider, Group, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useReauth } from '../identity/session';
import {
  ADMIN_KEY,
  changeRole,
  revokeUserSessions,
  sendResetLink,
  userAction,
  type UserAction,
} from './adminApi';
import { formatDateTime, fullName, userStatusColour } from './adminHelpers';
import { ErrorAlert, StatusBadge, SuccessStatus, yesNo } from './adminUi';

export interface ManageUserDialogProps {
  user: AdminUser;
  /** The signed-in admin's own account: the server refuses demotion, deactivation, deletion. */
  self: boolean;
  onClose: () => void;
  onDelete: (user: AdminUser) => void;
}

type Operation =
  | { kind: 'role'; role: Role }
  | { kind: 'action'; action: UserAction }
  | { kind: 'reset-link' }
  | { kind: 'revoke-sessions' };

const ACTION_DONE: Record<UserAction, string> = {
  deactivate: 'The account is deactivated and its sessions have ended.',
  reactivate: 'The account is active again; the user can sign in.',
  unlock: 'The account is unlocked.',
  'mfa-reset': 'Two-factor authentication was reset; the user must enrol again.',
};

/** The admin actions on one account (§3.10 US-ADM-2 to US-ADM-4), each audited by the server. */
export function ManageUserDialog({
  user: initial,
  self,
  onClose,
  onDelete,
}: ManageUserDialogProps) {
  const queryClient = useQueryClient();
  const withReauth = useReauth();
  const [user, setUser] = useState(initial);
  const [role, setRole] = useState<Role>(initial.role);
  const [message, setMessage] = useState<string | null>(null);

  const operation = useMutation({
    mutationFn: async (op: Operation): Promise<string> => {
      switch (op.kind) {
        case 'role': {
          const updated = await withReauth(() => changeRole(user.id, op.role));
          setUser(updated);
          return `The role is now ${updated.role}; the user's sessions have ended.`;
        }
        case 'action': {
          const updated = await withReauth(() => userAction(user.id, op.action));
          setUser(updated);
          return ACTION_DONE[op.action];
        }
        case 'reset-link':
          await withReauth(() => sendResetLink(user.id));
          return `A password reset link was emailed to ${user.email}.`;
        case 'revoke-sessions':
          await withReauth(() => revokeUserSessions(user.id));
          return 'All sessions of this user have ended.';
      }
    },
    onMutate: () => {
      setMessage(null);
    },
    onSuccess: async (text) => {
      setMessage(text);
      await queryClient.invalidateQueries({ queryKey: [ADMIN_KEY] });
    },
  });

  const name = fullName(user);
  const busy = operation.isPending;
  const run = (op: Operation) => {
    operation.mutate(op);
  };

  return (
    <Modal opened onClose={onClose} title={`Manage ${user.email}`} size="lg">
      <Stack gap="md">
        <Stack gap={4}>
          <Text size="sm">Name: {name === '' ? '—' : name}</Text>
          <Group gap="xs">
            <Text size="sm">Status:</Text>
            <StatusBadge colour={userStatusColour(user.status)}>{user.status}</StatusBadge>
          </Group>
          <Text size="sm">Role: {user.role}</Text>
          <Text size="sm">Last login: {formatDateTime(user.last_login)}</Text>
          <Text size="sm">
            MFA: {yesNo(user.mfa_enabled)}; locked: {yesNo(user.locked)}
          </Text>
        </Stack>
        {self && (
          <Text size="sm">
            This is your own account: you cannot change its role, deactivate it or delete it here.
          </Text>
        )}
        {message !== null && <SuccessStatus>{message}</SuccessStatus>}
        {operation.isError && <ErrorAlert error={operation.error} title="The action failed" />}

        <Group gap="sm" align="flex-end">
          <NativeSelect
            label="New role"
            data={[...ROLES]}
            value={role}
            disabled={self}
            onChange={(event) => {
              const next = ROLES.find((candidate) => candidate === event.currentTarget.value);
              if (next !== undefined) setRole(next);
            }}
          />
          <Button
            disabled={self || role === user.role}
            loading={operation.isPending && operation.variables.kind === 'role'}
            onClick={() => {
              run({ kind: 'role', role });
            }}
          >
            Change role
          </Button>
        </Group>

        <Divider />
        <Group gap="sm">
          {user.status === 'inactive' ? (
            <Button
              variant="default"
              disabled={busy}
              onClick={() => {
                run({ kind: 'action', action: 'reactivate' });
              }}
            >
              Reactivate
            </Button>
          ) : (
            <Button
              variant="default"
              disabled={busy || self}
              onClick={() => {
                run({ kind: 'action', action: 'deactivate' });
              }}
            >
              Deactivate
            </Button>
          )}
          {user.locked && (
            <Button
              variant="default"
              disabled={busy}
              onClick={() => {
                run({ kind: 'action', action: 'unlock' });
              }}
            >
              Unlock
            </Button>
          )}
          <Button
            variant="default"
            disabled={busy}
            onClick={() => {
              run({ kind: 'reset-link' });
            }}
          >
            Send reset link
          </Button>
          {user.mfa_enabled && (
            <Button
              variant="default"
              disabled={busy}
              onClick={() => {
                run({ kind: 'action', action: 'mfa-reset' });
              }}
            >
              Reset MFA
            </Button>
          )}
          <Button
            variant="default"
            disabled={busy}
            onClick={() => {
              run({ kind: 'revoke-sessions' });
            }}
          >
            Revoke sessions
          </Button>
        </Group>

        <Divider />
        <Group justify="space-between">
          <Button
            color="red.9"
            disabled={busy || self}
            onClick={() => {
              onDelete(user);
            }}
          >
            Delete user
          </Button>
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
