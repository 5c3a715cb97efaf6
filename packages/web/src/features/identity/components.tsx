import {
  Alert,
  Anchor,
  Code,
  Group,
  List,
  Loader,
  Paper,
  PasswordInput,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import type { ReactNode, Ref } from 'react';
import { Link } from 'react-router';
import { describeError, isReauthCancelled, type ErrorText } from './errors';
import { PASSWORD_HINT } from './helpers';

/** A failure, announced to screen readers (role="alert"). Renders its text as text only. */
export function ErrorAlert({ text }: { text: ErrorText }) {
  return (
    <Alert color="red" variant="light" title={text.title} role="alert">
      {text.message}
    </Alert>
  );
}

/**
 * The failure of a request, if any: nothing when `error` is null or the user closed the
 * re-authentication dialog.
 */
export function RequestError({ error, fallback }: { error: unknown; fallback?: string }) {
  if (error === null || error === undefined || isReauthCancelled(error)) return null;
  return <ErrorAlert text={describeError(error, fallback)} />;
}

/** A success or progress message, announced politely (role="status"). */
export function SuccessAlert({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Alert color="green" variant="light" title={title} role="status">
      {children}
    </Alert>
  );
}

/** Neutral information (not announced). */
export function InfoAlert({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Alert color="blue" variant="light" title={title} role="note">
      {children}
    </Alert>
  );
}

export function LoadingStatus({ label }: { label: string }) {
  return (
    <Group role="status" gap="sm">
      <Loader size="sm" />
      <Text>{label}</Text>
    </Group>
  );
}

export interface LinkProblemProps {
  /** The page's heading. */
  title: string;
  /** What is wrong with the link (an invalid, expired or incomplete token)… */
  message?: string;
  /** …or the failed request, worded by describeError. */
  error?: unknown;
  /** Where to go from here. */
  action?: { label: string; to: string };
}

/** The page of an emailed link that cannot be used. */
export function LinkProblem({ title, message, error, action }: LinkProblemProps) {
  return (
    <Stack gap="md" maw={520}>
      <Title order={1}>{title}</Title>
      {message !== undefined ? (
        <ErrorAlert text={{ title: 'Link not valid', message }} />
      ) : (
        <RequestError error={error} />
      )}
      {action !== undefined && (
        <Text>
          <Anchor component={Link} to={action.to}>
            {action.label}
          </Anchor>
        </Text>
      )}
    </Stack>
  );
}

/** One-time recovery codes, shown once after enabling MFA or regenerating them. */
export function RecoveryCodeList({ codes }: { codes: readonly string[] }) {
  return (
    <List
      type="ordered"
      spacing={4}
      aria-label="Recovery codes"
      styles={{ root: { columns: 2, maxWidth: 360 } }}
    >
      {codes.map((code) => (
        <List.Item key={code}>
          <Code fz="md">{code}</Code>
        </List.Item>
      ))}
    </List>
  );
}

/** A titled block of the account page. */
export function AccountSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper component="section" withBorder p="lg" radius="md">
      <Stack gap="md">
        <Title order={2} size="h3">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

export interface NewPasswordFieldsProps {
  /** "Password" when an account is being created, "New password" when one is replaced. */
  readonly label: 'Password' | 'New password';
  readonly password: string;
  readonly confirm: string;
  readonly onPasswordChange: (value: string) => void;
  readonly onConfirmChange: (value: string) => void;
  readonly passwordError: string | undefined;
  readonly confirmError: string | undefined;
  readonly passwordRef: Ref<HTMLInputElement>;
  readonly confirmRef: Ref<HTMLInputElement>;
}

/** A new password and its confirmation, with the policy hint; every page that sets one uses it. */
export function NewPasswordFields({
  label,
  password,
  confirm,
  onPasswordChange,
  onConfirmChange,
  passwordError,
  confirmError,
  passwordRef,
  confirmRef,
}: NewPasswordFieldsProps) {
  return (
    <>
      <PasswordInput
        ref={passwordRef}
        label={label}
        description={PASSWORD_HINT}
        autoComplete="new-password"
        required
        withAsterisk={false}
        value={password}
        error={passwordError}
        // Mantine marks a PasswordInput invalid only with data-invalid; screen readers need aria-invalid.
        aria-invalid={passwordError !== undefined}
        onChange={(event) => {
          onPasswordChange(event.currentTarget.value);
        }}
      />
      <PasswordInput
        ref={confirmRef}
        label="Confirm password"
        autoComplete="new-password"
        required
        withAsterisk={false}
        value={confirm}
        error={confirmError}
        aria-invalid={confirmError !== undefined}
        onChange={(event) => {
          onConfirmChange(event.currentTarget.value);
        }}
      />
    </>
  );
}
