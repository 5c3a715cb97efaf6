import { Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';

export interface TermProps {
  /** The word or number shown. */
  children: ReactNode;
  /** What it means, with its unit. */
  definition: string;
}

/**
 * A term or number with its definition in a tooltip (DESIGN "Web": every number has a unit and
 * a definition). It takes keyboard focus so the tooltip also opens without a mouse; the tooltip
 * is the element's accessible description while open.
 */
export function Term({ children, definition }: TermProps) {
  return (
    <Tooltip
      label={definition}
      multiline
      w={300}
      withArrow
      events={{ hover: true, focus: true, touch: true }}
    >
      <Text
        component="span"
        inherit
        tabIndex={0}
        style={{ textDecoration: 'underline dotted', textUnderlineOffset: 3, cursor: 'help' }}
      >
        {children}
      </Text>
    </Tooltip>
  );
}
