import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link, useLocation } from 'react-router';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <Stack gap="sm">
      <Title order={1}>Page not found</Title>
      <Text>
        There is no page at <code>{pathname}</code>. Check the address, or go back to the hub.
      </Text>
      <Text>
        <Anchor component={Link} to="/">
          Back to the hub
        </Anchor>
      </Text>
    </Stack>
  );
}
