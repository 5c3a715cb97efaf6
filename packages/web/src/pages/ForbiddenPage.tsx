import { Anchor, Stack, Text, Title } from '@mantine/core';
import type { Role } from '@hub/core';
import { Link } from 'react-router';

export interface ForbiddenPageProps {
  /** The lowest role that may open the page, when known. */
  requiredRole?: Role;
}

const ROLE_NAMES: Readonly<Record<Role, string>> = {
  viewer: 'viewer',
  analyst: 'analyst',
  manager: 'manager',
  admin: 'admin',
};

/** The 403 page: the user is signed in, but their role is too low for this page. */
export function ForbiddenPage({ requiredRole }: ForbiddenPageProps) {
  return (
    <Stack gap="sm">
      <Title order={1}>Access denied</Title>
      <Text>
        {requiredRole === undefined || requiredRole === 'viewer'
          ? 'This page needs a higher role than yours.'
          : `This page needs a higher role than yours: the ${ROLE_NAMES[requiredRole]} role or above.`}{' '}
        If you need access, ask an administrator.
      </Text>
      <Text>
        <Anchor component={Link} to="/">
          Back to the hub
        </Anchor>
      </Text>
    </Stack>
  );
}
