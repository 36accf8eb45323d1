import { Anchor, Button, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { get, query } from '../../app/api';
import type { Customer, Page } from '../../app/types';
import { ErrorText } from '../../ui/ErrorText';
import { money } from '../../ui/format';
import { TableScroll } from '../../ui/TableScroll';

export default function CustomersPage() {
  const customers = useInfiniteQuery({
    queryKey: ['customers'],
    queryFn: ({ pageParam }) => get<Page<Customer>>(`/api/v1/customers${query({ limit: 50, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = customers.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack p="md" style={{ overflow: 'auto' }}>
      <Title order={1} size="h3">Customers</Title>
      <ErrorText error={customers.error} />
      <TableScroll label="Customers">
        <Table miw={640} striped highlightOnHover>
          <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Email</Table.Th><Table.Th>Tier</Table.Th><Table.Th>Lifetime value</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {rows.map((customer) => (
              <Table.Tr key={customer.id}>
                <Table.Td><Anchor component={Link} to={`/customers/${customer.id}`}>{customer.name}</Anchor></Table.Td>
                <Table.Td>{customer.email ?? '—'}</Table.Td>
                <Table.Td>{customer.tier}</Table.Td>
                <Table.Td>{money(customer.lifetimeValue)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {customers.isSuccess && rows.length === 0 ? <Text c="dimmed">No customers yet.</Text> : null}
      {customers.hasNextPage ? <Button variant="default" onClick={() => void customers.fetchNextPage()} loading={customers.isFetchingNextPage}>Load more</Button> : null}
    </Stack>
  );
}
