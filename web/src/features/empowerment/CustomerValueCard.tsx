import { Badge, Card, Group, SimpleGrid, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get } from '../../app/api';
import { ErrorText } from '../../ui/ErrorText';
import { money } from '../../ui/format';

interface CustomerValue {
  revenueToDate: number;
  orders: number;
  expectedFutureValue: number;
  lifetimeValue: number;
  tier: string;
  handleSeconds: number;
  handleCost: number;
  remediesGranted: number;
  costToServe: number;
}

/** Lifetime value against cost to serve, for the customer page and the ticket sidebar. */
export function CustomerValueCard({ customerId, ticketId }: { customerId: string; ticketId?: string }) {
  // Under the ticket's key when shown on a ticket, so a remedy granted there (even by a manager's approval) refreshes it live.
  const queryKey = ticketId ? ['ticket', ticketId, 'customer-value', customerId] : ['customer', customerId, 'value'];
  const { data, error } = useQuery({ queryKey, queryFn: () => get<CustomerValue>(`/api/v1/customers/${customerId}/value`) });
  if (error) return <ErrorText error={error} inline />;
  if (!data) return null;
  const share = data.lifetimeValue > 0 ? Math.round((data.costToServe / data.lifetimeValue) * 100) : null;
  return (
    <Card withBorder padding="sm" aria-label="Customer value">
      <Group justify="space-between">
        <Text fw={600}>Value</Text>
        {data.tier === 'best' ? <Badge color="yellow">Best customer</Badge> : <Badge color="gray" variant="light">{data.tier}</Badge>}
      </Group>
      <SimpleGrid cols={2} mt="xs" spacing="xs">
        <Text size="sm">Lifetime value</Text>
        <Text size="sm" fw={600}>{money(data.lifetimeValue)}</Text>
        <Text size="sm">Revenue to date · orders</Text>
        <Text size="sm">{money(data.revenueToDate)} · {data.orders}</Text>
        <Text size="sm">Expected future</Text>
        <Text size="sm">{money(data.expectedFutureValue)}</Text>
        <Text size="sm">Cost to serve</Text>
        <Text size="sm" c={share !== null && share >= 100 ? 'red.8' : undefined}>
          {money(data.costToServe)}
          {share !== null ? ` (${share}% of value)` : ''}
        </Text>
        <Text size="xs" c="dimmed">Handle time · remedies</Text>
        <Text size="xs" c="dimmed">{Math.round(data.handleSeconds / 60)} min ({money(data.handleCost)}) · {money(data.remediesGranted)}</Text>
      </SimpleGrid>
    </Card>
  );
}
