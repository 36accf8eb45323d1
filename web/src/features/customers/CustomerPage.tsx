import { Anchor, Badge, Box, Grid, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { get, query } from '../../app/api';
import type { Customer, Page, Ticket } from '../../app/types';
import { ErrorText } from '../../ui/ErrorText';
import { ago, dateTime, money } from '../../ui/format';
import { StatusBadge } from '../../ui/StatusBadge';
import { CustomerValueCard } from '../empowerment/CustomerValueCard';
import { CustomerMoments } from './CustomerMoments';

export default function CustomerPage() {
  const { customerId = '' } = useParams();
  const customer = useQuery({ queryKey: ['customer', customerId], queryFn: () => get<Customer>(`/api/v1/customers/${customerId}`) });
  const organization = useQuery({
    queryKey: ['organization', customer.data?.organizationId],
    queryFn: () => get<{ id: string; name: string; domain: string | null }>(`/api/v1/organizations/${customer.data!.organizationId}`),
    enabled: Boolean(customer.data?.organizationId),
  });
  const tickets = useQuery({ queryKey: ['tickets', 'customer', customerId], queryFn: () => get<Page<Ticket>>(`/api/v1/tickets${query({ customerId, limit: 200, sort: '-createdAt' })}`) });
  if (customer.error) return <Box p="md"><ErrorText error={customer.error} /></Box>;
  if (!customer.data) return <Text p="md" c="dimmed">Loading the customer…</Text>;
  const person = customer.data;
  return (
    <Stack p="md" gap="md" style={{ overflow: 'auto' }}>
      <Group gap="sm">
        <Title order={1} size="h2" data-testid="customer-name">{person.name}</Title>
        <Badge variant="light">{person.tier}</Badge>
      </Group>
      {/* The address gets the widest card: split over two lines it could not be read or copied at a glance. */}
      <Grid>
        <Grid.Col span={{ base: 12, sm: 6, md: 4 }}><Paper withBorder p="sm" h="100%"><Text size="xs" c="dimmed">Email</Text><Text style={{ overflowWrap: 'anywhere' }}>{person.email ?? '—'}</Text></Paper></Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, md: 2 }}><Paper withBorder p="sm" h="100%"><Text size="xs" c="dimmed">Phone</Text><Text>{person.phone ?? '—'}</Text></Paper></Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}><Paper withBorder p="sm" h="100%"><Text size="xs" c="dimmed">Organization</Text><Text>{organization.data?.name ?? (person.organizationId ? '…' : '—')}</Text></Paper></Grid.Col>
        <Grid.Col span={{ base: 12, sm: 6, md: 3 }}><Paper withBorder p="sm" h="100%"><Text size="xs" c="dimmed">Lifetime value</Text><Text fw={600}>{money(person.lifetimeValue)}</Text></Paper></Grid.Col>
      </Grid>
      <SimpleGrid cols={{ base: 1, md: 2 }} style={{ alignItems: 'start' }}>
        <CustomerValueCard customerId={person.id} />
        <CustomerMoments customerId={person.id} tickets={tickets.data?.items ?? []} />
      </SimpleGrid>
      {Object.keys(person.customFields).length > 0 ? (
        <Paper withBorder p="sm">
          {Object.entries(person.customFields).map(([key, value]) => <Text size="sm" key={key}><Text span c="dimmed">{key}: </Text>{String(value)}</Text>)}
        </Paper>
      ) : null}
      <Text size="sm" c="dimmed">Customer since {dateTime(person.createdAt)}</Text>
      <Title order={2} size="h4">Tickets</Title>
      <ErrorText error={tickets.error} />
      <Table striped highlightOnHover data-testid="customer-tickets">
        <Table.Thead>
          <Table.Tr><Table.Th>#</Table.Th><Table.Th>Subject</Table.Th><Table.Th>Status</Table.Th><Table.Th>Updated</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(tickets.data?.items ?? []).map((ticket) => (
            <Table.Tr key={ticket.id}>
              <Table.Td>{ticket.number}</Table.Td>
              <Table.Td><Anchor component={Link} to={`/tickets/${ticket.id}`}>{ticket.subject}</Anchor></Table.Td>
              <Table.Td><StatusBadge status={ticket.status} category={ticket.statusCategory} /></Table.Td>
              <Table.Td><time dateTime={ticket.updatedAt} title={dateTime(ticket.updatedAt)}>{ago(ticket.updatedAt)} ago</time></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {tickets.data && tickets.data.items.length === 0 ? <Text c="dimmed">No tickets yet.</Text> : null}
    </Stack>
  );
}
