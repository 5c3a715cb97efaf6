import { Anchor, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { TOOLS } from '../tools';

export function HomePage() {
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Umbrella Hub</Title>
        <Text c="gray.7">One login, four tools for investors.</Text>
      </div>
      <SimpleGrid
        cols={{ base: 1, md: 2 }}
        spacing="md"
        component="ul"
        style={{ listStyle: 'none', padding: 0, margin: 0 }}
      >
        {TOOLS.map((tool) => (
          <Card key={tool.id} withBorder component="li" padding="lg">
            <Title order={2} size="h3">
              <Anchor component={Link} to={tool.path} inherit>
                {tool.title}
              </Anchor>
            </Title>
            <Text mt="xs">{tool.summary}</Text>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
