import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export interface ComingSoonPageProps {
  title: string;
}

/** The page of a tool whose module has not landed yet. */
export function ComingSoonPage({ title }: ComingSoonPageProps) {
  return (
    <Stack gap="sm">
      <Title order={1}>{title}</Title>
      <Text>{title} is not available yet: this part of the hub is coming soon.</Text>
      <Text>
        <Anchor component={Link} to="/">
          Back to the hub
        </Anchor>
      </Text>
    </Stack>
  );
}
