import {
  INVITE_STATUSES,
  inviteCreateSchema,
  emailSchema,
  type Invitation,
  type Role,
} from '@hub/core';
import {
  Button,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { ApiError } from '../../api/client';
import { useReauth } from '../identity/session';
import {
  ADMIN_KEY,
  adminKey,
  createInvitation,
  fetchInvitations,
  fetchTemplates,
  resendInvitation,
  revokeInvitation,
} from './adminApi';
import {
  characterCount,
  fieldErrors,
  type FieldErrorMap,
  formatDateTime,
  grantableRoles,
  inviteIsOpen,
  inviteStatusColour,
  type Viewer,
} from './adminHelpers';
import {
  ErrorAlert,
  LoadingState,
  Pager,
  StatusBadge,
  SuccessStatus,
  TableRegion,
} from './adminUi';

const MESSAGE_MAX = 1000;
const DEFAULT_EXPIRY_DAYS = 7;

/** /admin/invitations: create, list, resend and revoke invitations (§3.1). */
export function InvitationsPanel({ viewer }: { viewer: Viewer }) {
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [message, setMessage] = useState<string | null>(null);
  const [resending, setResending] = useState<Invitation | null>(null);
  const invitations = useQuery({
    queryKey: adminKey('invitations', { status, page }),
    queryFn: ({ signal }) => fetchInvitations(status, page, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack gap="md">
      <Title order={2}>Invitations</Title>
      <InviteForm viewer={viewer} onCreated={setMessage} />

      <Title order={3}>Sent invitations</Title>
      <NativeSelect
        label="Invitation status"
        maw={240}
        data={[{ value: '', label: 'All statuses' }, ...INVITE_STATUSES]}
        value={status}
        onChange={(event) => {
          setStatus(event.currentTarget.value);
          setPage(1);
        }}
      />
      {message !== null && <SuccessStatus>{message}</SuccessStatus>}
      {invitations.isPending && <LoadingState label="Loading the invitations…" />}
      {invitations.isError && (
        <ErrorAlert error={invitations.error} title="Could not load the invitations" />
      )}
      {invitations.data !== undefined &&
        (invitations.data.items.length === 0 ? (
          <Text>No invitations match this filter.</Text>
        ) : (
          <>
            <TableRegion label="Invitations">
              <Table striped captionSide="top">
                <Table.Caption>Invitations</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Email</Table.Th>
                    <Table.Th scope="col">Role</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Email sent</Table.Th>
                    <Table.Th scope="col">Bounce reason</Table.Th>
                    <Table.Th scope="col">Resends</Table.Th>
                    <Table.Th scope="col">Expires</Table.Th>
                    <Table.Th scope="col">Invited by</Table.Th>
                    <Table.Th scope="col">Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {invitations.data.items.map((invitation) => (
                    <InvitationRow
                      key={invitation.id}
                      invitation={invitation}
                      onResend={(target) => {
                        setMessage(null);
                        setResending(target);
                      }}
                      onDone={setMessage}
                    />
                  ))}
                </Table.Tbody>
              </Table>
            </TableRegion>
            <Pager
              page={invitations.data.page}
              pageSize={invitations.data.page_size}
              total={invitations.data.total}
              noun="invitations"
              onChange={setPage}
            />
          </>
        ))}
      {resending !== null && (
        <ResendDialog
          invitation={resending}
          onClose={() => {
            setResending(null);
          }}
          onDone={(text) => {
            setResending(null);
            setMessage(text);
          }}
        />
      )}
    </Stack>
  );
}

interface InviteFormProps {
  viewer: Viewer;
  onCreated: (message: string) => void;
}

function InviteForm({ viewer, onCreated }: InviteFormProps) {
  const queryClient = useQueryClient();
  const withReauth = useReauth();
  const roles = grantableRoles(viewer);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>(roles[0] ?? 'viewer');
  const [templateId, setTemplateId] = useState('');
  const [customMessage, setCustomMessage] = useState('');
  const [expiry, setExpiry] = useState<number | string>(DEFAULT_EXPIRY_DAYS);
  const [errors, setErrors] = useState<FieldErrorMap>({});
  const templates = useQuery({
    queryKey: adminKey('templates'),
    queryFn: ({ signal }) => fetchTemplates(signal),
  });
  const create = useMutation({
    mutationFn: (input: Parameters<typeof createInvitation>[0]) =>
      withReauth(() => createInvitation(input)),
    onSuccess: async (invitation) => {
      onCreated(
        invitation.email_sent_at === null
          ? `Invitation created for ${invitation.email}; the email is on its way.`
          : `Invitation sent to ${invitation.email}.`,
      );
      setEmail('');
      setCustomMessage('');
      setTemplateId('');
      setExpiry(DEFAULT_EXPIRY_DAYS);
      setErrors({});
      await queryClient.invalidateQueries({ queryKey: [ADMIN_KEY] });
    },
    onError: (error) => {
      if (error instanceof ApiError) setErrors(fieldErrors(error.errors));
    },
  });
  const templateOptions = (templates.data ?? []).filter(
    (template) => template.is_active && template.invite_type === role,
  );

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = inviteCreateSchema.safeParse({
      email,
      invite_type: role,
      template_id: templateId === '' ? undefined : Number(templateId),
      custom_message: customMessage,
      expires_in_days: typeof expiry === 'number' ? expiry : Number(expiry),
    });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    create.mutate(parsed.data);
  }

  if (roles.length === 0) return null;

  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate aria-labelledby="invite-form-title">
        <Stack gap="sm">
          <Title order={3} id="invite-form-title">
            Invite someone
          </Title>
          <Group gap="sm" align="flex-start" grow>
            <TextInput
              label="Email address"
              type="email"
              required
              autoComplete="off"
              value={email}
              error={errors.email}
              onChange={(event) => {
                setEmail(event.currentTarget.value);
              }}
            />
            <NativeSelect
              label="Role"
              data={roles}
              value={role}
              error={errors.invite_type}
              onChange={(event) => {
                const next = roles.find((candidate) => candidate === event.currentTarget.value);
                if (next === undefined) return;
                setRole(next);
                // A template is written for one role: drop a choice that no longer fits.
                const kept = (templates.data ?? []).some(
                  (template) => String(template.id) === templateId && template.invite_type === next,
                );
                if (!kept) setTemplateId('');
              }}
            />
          </Group>
          <Group gap="sm" align="flex-start" grow>
            <NativeSelect
              label="Template"
              description={
                templates.isError
                  ? 'The templates could not be loaded.'
                  : 'Active templates for the role'
              }
              data={[
                { value: '', label: 'Default message' },
                ...templateOptions.map((template) => ({
                  value: String(template.id),
                  label: template.name,
                })),
              ]}
              value={templateId}
              error={errors.template_id}
              onChange={(event) => {
                setTemplateId(event.currentTarget.value);
              }}
            />
            <NumberInput
              label="Expires after (days)"
              description="From 1 to 30 days"
              min={1}
              max={30}
              allowDecimal={false}
              allowNegative={false}
              value={expiry}
              error={errors.expires_in_days}
              onChange={setExpiry}
            />
          </Group>
          <Textarea
            label="Custom message (optional)"
            autosize
            minRows={3}
            value={customMessage}
            description={characterCount(customMessage, MESSAGE_MAX)}
            error={
              errors.custom_message ??
              (customMessage.length > MESSAGE_MAX
                ? `The message must be at most ${MESSAGE_MAX} characters.`
                : undefined)
            }
            onChange={(event) => {
              setCustomMessage(event.currentTarget.value);
            }}
          />
          {create.isError && (
            <ErrorAlert error={create.error} title="Could not send the invitation" />
          )}
          <Group>
            <Button type="submit" loading={create.isPending}>
              Send invitation
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

interface InvitationRowProps {
  invitation: Invitation;
  onResend: (invitation: Invitation) => void;
  onDone: (message: string) => void;
}

function InvitationRow({ invitation, onResend, onDone }: InvitationRowProps) {
  const queryClient = useQueryClient();
  const withReauth = useReauth();
  const revoke = useMutation({
    mutationFn: () => withReauth(() => revokeInvitation(invitation.id)),
    onSuccess: async (updated) => {
      onDone(`Revoked the invitation of ${updated.email}.`);
      await queryClient.invalidateQueries({ queryKey: [ADMIN_KEY] });
    },
  });
  const open = inviteIsOpen(invitation.status);

  return (
    <Table.Tr>
      <Table.Td>{invitation.email}</Table.Td>
      <Table.Td>{invitation.invite_type}</Table.Td>
      <Table.Td>
        <StatusBadge colour={inviteStatusColour(invitation.status)}>
          {invitation.status}
        </StatusBadge>
      </Table.Td>
      <Table.Td>
        {invitation.email_sent_at === null
          ? 'Not sent'
          : `Sent ${formatDateTime(invitation.email_sent_at)}`}
      </Table.Td>
      <Table.Td>
        {invitation.email_bounced || invitation.bounce_reason !== ''
          ? invitation.bounce_reason === ''
            ? 'Bounced'
            : invitation.bounce_reason
          : '—'}
      </Table.Td>
      <Table.Td>{invitation.resend_count}</Table.Td>
      <Table.Td>{formatDateTime(invitation.expires_at)}</Table.Td>
      <Table.Td>{invitation.created_by ?? '—'}</Table.Td>
      <Table.Td>
        {open ? (
          <Stack gap="xs">
            <Group gap="xs" wrap="nowrap">
              <Button
                size="xs"
                variant="default"
                onClick={() => {
                  onResend(invitation);
                }}
              >
                Resend<VisuallyHidden> the invitation of {invitation.email}</VisuallyHidden>
              </Button>
              <Button
                size="xs"
                variant="outline"
                color="red.9"
                loading={revoke.isPending}
                onClick={() => {
                  revoke.mutate();
                }}
              >
                Revoke<VisuallyHidden> the invitation of {invitation.email}</VisuallyHidden>
              </Button>
            </Group>
            {revoke.isError && <ErrorAlert error={revoke.error} title="Could not revoke" />}
          </Stack>
        ) : (
          '—'
        )}
      </Table.Td>
    </Table.Tr>
  );
}

interface ResendDialogProps {
  invitation: Invitation;
  onClose: () => void;
  onDone: (message: string) => void;
}

/** Resend rotates the link; an optional corrected address replaces a mistyped or bounced one. */
function ResendDialog({ invitation, onClose, onDone }: ResendDialogProps) {
  const queryClient = useQueryClient();
  const withReauth = useReauth();
  const [corrected, setCorrected] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const resend = useMutation({
    mutationFn: (email: string | undefined) =>
      withReauth(() => resendInvitation(invitation.id, email)),
    onSuccess: async (updated) => {
      onDone(`Resent the invitation to ${updated.email}.`);
      await queryClient.invalidateQueries({ queryKey: [ADMIN_KEY] });
    },
  });

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (corrected.trim() === '') {
      setError(undefined);
      resend.mutate(undefined);
      return;
    }
    const parsed = emailSchema.safeParse(corrected);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Enter a valid email address.');
      return;
    }
    setError(undefined);
    resend.mutate(parsed.data);
  }

  return (
    <Modal opened onClose={onClose} title={`Resend the invitation of ${invitation.email}`}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">Resending emails a new link; the previous link stops working.</Text>
          <TextInput
            label="Corrected email address (optional)"
            description="Leave empty to resend to the same address."
            type="email"
            autoComplete="off"
            value={corrected}
            error={error}
            onChange={(event) => {
              setCorrected(event.currentTarget.value);
            }}
          />
          {resend.isError && <ErrorAlert error={resend.error} title="Could not resend" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={resend.isPending}>
              Resend invitation
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
