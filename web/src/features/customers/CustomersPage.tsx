import { Anchor, Box, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { get, query } from '../../app/api';
import type { Customer, Page } from '../../app/types';
import { ErrorText } from '../../ui/ErrorText';
import { money } from '../../ui/format';
import { TableScroll } from '../../ui/TableScroll';

const tiers = [
  { value: 'best', label: 'Best' },
  { value: 'standard', label: 'Standard' },
];
const tierLabel = new Map(tiers.map((tier) => [tier.value, tier.label]));
const sorts = [
  { value: '-createdAt', label: 'Newest first' },
  { value: 'name', label: 'Name, A to Z' },
  { value: '-lifetimeValue', label: 'Lifetime value, highest first' },
];
/** The server refuses longer search text; the box stops there rather than showing an error. */
const searchMaxLength = 100;

function countLabel(count: number): string {
  return `${count.toLocaleString('en')} ${count === 1 ? 'customer' : 'customers'}`;
}

export default function CustomersPage() {
  const [text, setText] = useState('');
  const [search] = useDebouncedValue(text.trim(), 300);
  const [tier, setTier] = useState<string | null>(null);
  const [sort, setSort] = useState('-createdAt');
  // The list and its count ask with the same filters, so the number always describes the rows below it.
  const filters = { q: search, tier };
  const customers = useInfiniteQuery({
    queryKey: ['customers', 'list', filters, sort],
    queryFn: ({ pageParam }) => get<Page<Customer>>(`/api/v1/customers${query({ ...filters, sort, limit: 50, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const count = useQuery({ queryKey: ['customers', 'count', filters], queryFn: () => get<{ count: number }>(`/api/v1/customers/count${query(filters)}`) });
  const rows = customers.data?.pages.flatMap((page) => page.items) ?? [];
  const isFiltered = Boolean(search || tier);
  return (
    // The box scrolls and the stack inside keeps its natural height: as the scrolling flex column
    // itself, the table's box and the Load more button were squeezed to fit the screen.
    <Box p="md" style={{ overflow: 'auto' }}>
      <Stack>
        <Title order={1} size="h3">Customers</Title>
        <Group align="flex-end" gap="sm">
          <TextInput
            label="Search"
            placeholder="Name or email"
            type="search"
            value={text}
            maxLength={searchMaxLength}
            onChange={(event) => setText(event.currentTarget.value)}
            style={{ flex: '1 1 220px' }}
          />
          <Select label="Tier" placeholder="All tiers" clearable data={tiers} value={tier} onChange={setTier} style={{ flex: '1 1 150px' }} />
          <Select label="Sort" data={sorts} value={sort} onChange={(value) => setSort(value ?? '-createdAt')} allowDeselect={false} style={{ flex: '1 1 200px' }} />
        </Group>
        <ErrorText error={customers.error ?? count.error} />
        <Text fw={500} aria-live="polite" data-testid="customer-count">
          {count.data ? countLabel(count.data.count) : '\u00a0'}
        </Text>
        <TableScroll label="Customers">
          <Table miw={640} striped highlightOnHover>
            <Table.Thead><Table.Tr><Table.Th>Name</Table.Th><Table.Th>Email</Table.Th><Table.Th>Tier</Table.Th><Table.Th>Lifetime value</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {rows.map((customer) => (
                <Table.Tr key={customer.id}>
                  <Table.Td><Anchor component={Link} to={`/customers/${customer.id}`}>{customer.name}</Anchor></Table.Td>
                  <Table.Td>{customer.email ?? '—'}</Table.Td>
                  <Table.Td>{tierLabel.get(customer.tier) ?? customer.tier}</Table.Td>
                  <Table.Td>{money(customer.lifetimeValue)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
        {customers.isSuccess && rows.length === 0 ? (
          <Text c="dimmed">{isFiltered ? (search ? `No customers match “${search}”${tier ? ' in this tier' : ''}.` : 'No customers in this tier.') : 'No customers yet.'}</Text>
        ) : null}
        {customers.hasNextPage ? <Button variant="default" onClick={() => void customers.fetchNextPage()} loading={customers.isFetchingNextPage}>Load more</Button> : null}
      </Stack>
    </Box>
  );
}
