import { useState } from 'react';
import { Badge, Button, Card, Group, NumberInput, SimpleGrid, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, put } from '../../app/api';
import { ErrorText } from '../../ui/ErrorText';
import { money } from '../../ui/format';
import { useHandleTime } from './useHandleTime';

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

/**
 * Lifetime value against cost to serve, for the customer page and the ticket sidebar. Given a
 * ticket, it also records the agent's handle time on it while shown.
 */
export function CustomerValueCard({ customerId, ticketId }: { customerId: string; ticketId?: string }) {
  // Under the ticket's key when shown on a ticket, so a remedy granted there (even by a manager's approval) refreshes it live.
  const queryKey = ticketId ? ['ticket', ticketId, 'customer-value', customerId] : ['customer', customerId, 'value'];
  const { data, error } = useQuery({ queryKey, queryFn: () => get<CustomerValue>(`/api/v1/customers/${customerId}/value`) });
  const [isEditing, setEditing] = useState(false);
  // On a ticket, the time the agent spends on it is its handle time (part of the cost to serve).
  useHandleTime(ticketId);
  if (error) return <ErrorText error={error} inline />;
  if (!data) return null;
  const share = data.lifetimeValue > 0 ? Math.round((data.costToServe / data.lifetimeValue) * 100) : null;
  return (
    <Card withBorder padding="sm" aria-label="Customer value">
      <Group justify="space-between">
        <Text fw={600}>Value</Text>
        <Group gap="xs">
          {data.tier === 'best' ? <Badge color="yellow">Best customer</Badge> : <Badge color="gray" variant="light">{data.tier}</Badge>}
          {isEditing ? null : <Button size="compact-xs" variant="subtle" onClick={() => setEditing(true)}>Edit value</Button>}
        </Group>
      </Group>
      {isEditing ? <ValueForm customerId={customerId} value={data} onDone={() => setEditing(false)} /> : null}
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

/** Revenue to date, orders and expected future value by hand; tiers are recomputed by the server. */
function ValueForm({ customerId, value, onDone }: { customerId: string; value: CustomerValue; onDone(): void }) {
  const [draft, setDraft] = useState({ revenueToDate: value.revenueToDate, orders: value.orders, expectedFutureValue: value.expectedFutureValue });
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: () => put<CustomerValue>(`/api/v1/customers/${customerId}/value`, draft),
    onSuccess: async () => {
      // A tier may have moved for other customers too, wherever they are shown.
      await client.invalidateQueries({ queryKey: ['customer'] });
      await client.invalidateQueries({ queryKey: ['ticket'] });
      onDone();
    },
  });
  const number = (input: number | string) => (typeof input === 'number' ? input : Number(input) || 0);
  return (
    <form onSubmit={(event) => { event.preventDefault(); save.mutate(); }} aria-label="Edit customer value">
      <Group mt="xs" align="flex-end" wrap="wrap">
        <NumberInput label="Revenue to date" min={0} prefix="$" w={140} value={draft.revenueToDate} onChange={(input) => setDraft({ ...draft, revenueToDate: number(input) })} />
        <NumberInput label="Orders" min={0} allowDecimal={false} w={90} value={draft.orders} onChange={(input) => setDraft({ ...draft, orders: number(input) })} />
        <NumberInput label="Expected future" min={0} prefix="$" w={140} value={draft.expectedFutureValue} onChange={(input) => setDraft({ ...draft, expectedFutureValue: number(input) })} />
        <Button size="xs" type="submit" loading={save.isPending}>Save</Button>
        <Button size="xs" variant="subtle" onClick={onDone}>Cancel</Button>
      </Group>
      <ErrorText error={save.error} inline />
    </form>
  );
}
