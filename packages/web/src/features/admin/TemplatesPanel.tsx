import { ROLES, templateInputSchema, type InviteTemplate, type Role } from '@hub/core';
import {
  Button,
  Checkbox,
  Code,
  Group,
  List,
  Modal,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState, type SubmitEvent } from 'react';
import { ApiError } from '../../api/client';
import { useReauth } from '../identity/session';
import { ADMIN_KEY, adminKey, createTemplate, fetchTemplates, updateTemplate } from './adminApi';
import {
  PLACEHOLDER_EXAMPLES,
  activeLabel,
  characterCount,
  fieldErrors,
  type FieldErrorMap,
  formatDateTime,
  unknownPlaceholders,
  unknownPlaceholderMessage,
} from './adminHelpers';
import { ErrorAlert, LoadingState, SuccessStatus, TableRegion } from './adminUi';

const SUBJECT_MAX = 200;
const TEMPLATE_MAX = 10_000;

/** The template being edited: null is closed, 'new' is a new template. */
type Editing = InviteTemplate | 'new' | null;

/** /admin/templates (admin): invite templates with the fixed placeholder set (§3.2). */
export function TemplatesPanel() {
  const [editing, setEditing] = useState<Editing>(null);
  const [expanded, setExpanded] = useState<number | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const templates = useQuery({
    queryKey: adminKey('templates'),
    queryFn: ({ signal }) => fetchTemplates(signal),
  });

  return (
    <Stack gap="md">
      <Title order={2}>Invite templates</Title>
      <PlaceholderHelp />
      <Group>
        <Button
          onClick={() => {
            setMessage(null);
            setEditing('new');
          }}
        >
          New template
        </Button>
      </Group>
      {message !== null && <SuccessStatus>{message}</SuccessStatus>}
      {templates.isPending && <LoadingState label="Loading the templates…" />}
      {templates.isError && (
        <ErrorAlert error={templates.error} title="Could not load the templates" />
      )}
      {templates.data !== undefined &&
        (templates.data.length === 0 ? (
          <Text>No templates yet.</Text>
        ) : (
          <TableRegion label="Invite templates">
            <Table captionSide="top">
              <Table.Caption>Invite templates</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Role</Table.Th>
                  <Table.Th scope="col">Subject</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Last changed</Table.Th>
                  <Table.Th scope="col">Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {templates.data.map((template) => {
                  const isOpen = expanded === template.id;
                  const sourceId = `template-source-${template.id}`;
                  return (
                    <Fragment key={template.id}>
                      <Table.Tr>
                        <Table.Td>{template.name}</Table.Td>
                        <Table.Td>{template.invite_type}</Table.Td>
                        <Table.Td>{template.subject}</Table.Td>
                        <Table.Td>{activeLabel(template.is_active)}</Table.Td>
                        <Table.Td>
                          {formatDateTime(template.updated_at ?? template.created_at)}
                        </Table.Td>
                        <Table.Td>
                          <Group gap="xs" wrap="nowrap">
                            <Button
                              size="xs"
                              variant="default"
                              aria-expanded={isOpen}
                              aria-controls={isOpen ? sourceId : undefined}
                              onClick={() => {
                                setExpanded(isOpen ? null : template.id);
                              }}
                            >
                              {isOpen ? 'Hide source' : 'Show source'}
                              <VisuallyHidden> of {template.name}</VisuallyHidden>
                            </Button>
                            <Button
                              size="xs"
                              variant="default"
                              onClick={() => {
                                setMessage(null);
                                setEditing(template);
                              }}
                            >
                              Edit<VisuallyHidden> {template.name}</VisuallyHidden>
                            </Button>
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                      {isOpen && (
                        <Table.Tr id={sourceId}>
                          <Table.Td colSpan={6}>
                            <Text size="sm" fw={500}>
                              Subject
                            </Text>
                            <Code block>{template.subject}</Code>
                            <Text size="sm" fw={500} mt="xs">
                              Message template
                            </Text>
                            <Code block>{template.message_template}</Code>
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Fragment>
                  );
                })}
              </Table.Tbody>
            </Table>
          </TableRegion>
        ))}
      {editing !== null && (
        <TemplateDialog
          template={editing === 'new' ? null : editing}
          onClose={() => {
            setEditing(null);
          }}
          onSaved={(text) => {
            setEditing(null);
            setMessage(text);
          }}
        />
      )}
    </Stack>
  );
}

function PlaceholderHelp() {
  return (
    <Stack gap={4}>
      <Text size="sm">
        Templates are plain text. These placeholders are replaced when the email is sent; any other
        placeholder is refused:
      </Text>
      <List size="sm">
        {PLACEHOLDER_EXAMPLES.map((placeholder) => (
          <List.Item key={placeholder}>
            <Code>{placeholder}</Code>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

interface TemplateDialogProps {
  template: InviteTemplate | null;
  onClose: () => void;
  onSaved: (message: string) => void;
}

function TemplateDialog({ template, onClose, onSaved }: TemplateDialogProps) {
  const queryClient = useQueryClient();
  const withReauth = useReauth();
  const [name, setName] = useState(template?.name ?? '');
  const [role, setRole] = useState<Role>(template?.invite_type ?? 'viewer');
  const [subject, setSubject] = useState(template?.subject ?? '');
  const [body, setBody] = useState(template?.message_template ?? '');
  const [active, setActive] = useState(template?.is_active ?? true);
  const [errors, setErrors] = useState<FieldErrorMap>({});
  const save = useMutation({
    mutationFn: (input: Parameters<typeof createTemplate>[0]) =>
      withReauth(() =>
        template === null ? createTemplate(input) : updateTemplate(template.id, input),
      ),
    onSuccess: async (saved) => {
      onSaved(
        template === null
          ? `Created the template ${saved.name}.`
          : `Saved the template ${saved.name}.`,
      );
      await queryClient.invalidateQueries({ queryKey: [ADMIN_KEY] });
    },
    onError: (error) => {
      if (error instanceof ApiError) setErrors(fieldErrors(error.errors));
    },
  });
  const unknown = unknownPlaceholders(`${subject}\n${body}`);

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = templateInputSchema.safeParse({
      name,
      invite_type: role,
      subject,
      message_template: body,
      is_active: active,
    });
    const next = parsed.success ? {} : fieldErrors(parsed.error.issues);
    if (unknown.length > 0) {
      next.message_template ??= unknownPlaceholderMessage(unknown);
    }
    setErrors(next);
    if (!parsed.success || unknown.length > 0) return;
    save.mutate(parsed.data);
  }

  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={template === null ? 'New template' : `Edit the template ${template.name}`}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Group grow align="flex-start">
            <TextInput
              label="Name"
              required
              value={name}
              error={errors.name}
              onChange={(event) => {
                setName(event.currentTarget.value);
              }}
            />
            <NativeSelect
              label="Role"
              data={[...ROLES]}
              value={role}
              error={errors.invite_type}
              onChange={(event) => {
                const next = ROLES.find((candidate) => candidate === event.currentTarget.value);
                if (next !== undefined) setRole(next);
              }}
            />
          </Group>
          <TextInput
            label="Subject"
            required
            value={subject}
            description={characterCount(subject, SUBJECT_MAX)}
            error={errors.subject}
            onChange={(event) => {
              setSubject(event.currentTarget.value);
            }}
          />
          <Textarea
            label="Message template"
            required
            autosize
            minRows={8}
            maxRows={20}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            value={body}
            description={characterCount(body, TEMPLATE_MAX)}
            error={errors.message_template}
            onChange={(event) => {
              setBody(event.currentTarget.value);
            }}
          />
          {unknown.length > 0 && errors.message_template === undefined && (
            <Text size="sm" c="red.9">
              {unknownPlaceholderMessage(unknown)}
            </Text>
          )}
          <Checkbox
            label="Active (inviters can pick it)"
            checked={active}
            onChange={(event) => {
              setActive(event.currentTarget.checked);
            }}
          />
          <PlaceholderHelp />
          {save.isError && <ErrorAlert error={save.error} title="Could not save the template" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {template === null ? 'Create template' : 'Save changes'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
