/**
 * Small building blocks shared by the admin panels: error and success alerts, a pager, the
 * loading state and a scrollable table region. Every user-controlled string is rendered as React
 * text (escaped), never as HTML (spec V-03).
 */

import { Alert, Badge, Box, Button, Group, List, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { isReauthCancelled } from '../identity/session';
import { describeError, pageCount } from './adminHelpers';

export interface ErrorAlertProps {
  error: unknown;
  /** Shown before the server's title, e.g. "Could not approve the request". */
  title?: string;
}

/**
 * A server problem (title, detail, field errors) in an Alert with role="alert". Nothing is shown
 * when the user closed the password dialog of withReauth: that is their choice, not a failure.
 */
export function ErrorAlert({ error, title }: ErrorAlertProps) {
  if (isReauthCancelled(error)) return null;
  const description = describeError(error);
  return (
    <Alert color="red" variant="light" title={title ?? description.title}>
      {title !== undefined && <Text size="sm">{description.title}</Text>}
      {description.detail !== undefined && <Text size="sm">{description.detail}</Text>}
      {description.fieldErrors.length > 0 && (
        <List size="sm">
          {description.fieldErrors.map((fieldError) => (
            <List.Item key={`${fieldError.path}:${fieldError.message}`}>
              {fieldError.path}: {fieldError.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

/** A success message in an Alert with role="status" (a polite live region). */
export function SuccessStatus({ children }: { children: ReactNode }) {
  return (
    <Alert color="green" variant="light" role="status">
      <Text size="sm">{children}</Text>
    </Alert>
  );
}

export function LoadingState({ label }: { label: string }) {
  return (
    <Group role="status" gap="sm">
      <Loader size="sm" />
      <Text>{label}</Text>
    </Group>
  );
}

export interface PagerProps {
  page: number;
  pageSize: number;
  total: number;
  /** What is being paged, plural: "users". */
  noun: string;
  onChange: (page: number) => void;
}

/** "Page 2 of 5 (93 users)" with Previous page / Next page buttons. */
export function Pager({ page, pageSize, total, noun, onChange }: PagerProps) {
  const pages = pageCount(total, pageSize);
  return (
    <Group gap="sm" justify="flex-end">
      <Text size="sm">
        Page {page} of {pages} ({total} {noun})
      </Text>
      <Button
        variant="default"
        size="xs"
        disabled={page <= 1}
        onClick={() => {
          onChange(page - 1);
        }}
      >
        Previous page
      </Button>
      <Button
        variant="default"
        size="xs"
        disabled={page >= pages}
        onClick={() => {
          onChange(page + 1);
        }}
      >
        Next page
      </Button>
    </Group>
  );
}

/**
 * A horizontally scrollable, keyboard-focusable region around a wide table (axe
 * scrollable-region-focusable), named like the table.
 */
export function TableRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto' }}>
      {children}
    </Box>
  );
}

/** A status badge whose text colour follows the background (readable on every colour). */
export function StatusBadge({ colour, children }: { colour: string; children: ReactNode }) {
  return (
    <Badge color={colour} variant="filled" autoContrast>
      {children}
    </Badge>
  );
}

export function yesNo(value: boolean): string {
  return value ? 'Yes' : 'No';
}
