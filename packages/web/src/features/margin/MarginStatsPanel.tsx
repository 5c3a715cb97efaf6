import { marginStatsSchema } from '@hub/core';
import { SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../api/client';
import { TableRegion } from '../admin/adminUi';
import { LoadingStatus, RequestError } from '../identity/components';

/** Admin: how many margin calculations were saved, per UTC day and per ticker. */
export function MarginStatsPanel() {
  const stats = useQuery({
    queryKey: ['margin', 'admin-stats'],
    queryFn: ({ signal }) => apiGet('/api/margin/admin/stats', marginStatsSchema, { signal }),
  });
  return (
    <Stack gap="md">
      <Title order={2}>Margin calculations</Title>
      {stats.isPending && <LoadingStatus label="Loading the calculation counts…" />}
      <RequestError error={stats.error} fallback="The calculation counts could not be loaded." />
      {stats.data !== undefined && (
        <>
          <Text>
            {stats.data.total} calculation{stats.data.total === 1 ? '' : 's'} saved in all.
          </Text>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <TableRegion label="Calculations per day">
              <Table striped aria-label="Calculations per day (UTC)">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Day (UTC)</Table.Th>
                    <Table.Th ta="right">Calculations</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {stats.data.per_day.map((row) => (
                    <Table.Tr key={row.day}>
                      <Table.Td>{row.day}</Table.Td>
                      <Table.Td ta="right">{row.count}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </TableRegion>
            <TableRegion label="Calculations per ticker">
              <Table striped aria-label="Calculations per ticker">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Ticker</Table.Th>
                    <Table.Th ta="right">Calculations</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {stats.data.per_ticker.map((row) => (
                    <Table.Tr key={row.ticker}>
                      <Table.Td>{row.ticker}</Table.Td>
                      <Table.Td ta="right">{row.count}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </TableRegion>
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
