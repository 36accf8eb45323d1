import { BarChart } from '@mantine/charts';
import { Anchor, Badge, Card, Group, List, SimpleGrid, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { ErrorText } from '../../ui/ErrorText';
import { money } from '../../ui/format';
import { useCustomerValueReport, usePests } from './empowerment.api';
import { categoryAxis } from '../../ui/charts';

const percent = (share: number | null) => (share === null ? '–' : `${Math.round(share * 1000) / 10}%`);

/** What the most valuable customers are worth against what serving them costs, and who the best customers are. */
export function CustomerValueSection() {
  const { data, error } = useCustomerValueReport(10);
  if (error) return <ErrorText error={error} />;
  if (!data) return null;
  const chart = data.items.map((item) => ({ customer: item.customer.name, 'Lifetime value': item.lifetimeValue, 'Cost to serve': item.costToServe }));
  const best = data.items.filter((item) => item.customer.tier === 'best');
  return (
    <Card withBorder aria-label="Cost to serve against lifetime value">
      <Text fw={600}>Cost to serve against lifetime value</Text>
      <SimpleGrid cols={{ base: 2, sm: 4 }} my="sm">
        <Stat label="Customers" value={String(data.customers)} />
        <Stat label="Lifetime value" value={money(data.lifetimeValue)} />
        <Stat label="Cost to serve" value={money(data.costToServe)} hint={data.lifetimeValue > 0 ? `${percent(data.costToServe / data.lifetimeValue)} of value` : undefined} />
        <Stat label="Best customers" value={String(data.bestCustomers.count)} hint={`${percent(data.bestCustomers.shareOfLifetimeValue)} of all value`} />
      </SimpleGrid>
      {chart.length ? (
        <BarChart h={320} data={chart} dataKey="customer" valueFormatter={money} withLegend xAxisProps={categoryAxis(chart.length)} series={[{ name: 'Lifetime value', color: 'indigo.6' }, { name: 'Cost to serve', color: 'orange.6' }]} />
      ) : (
        <Text c="dimmed">No customer has a value yet: set it on the customer page or import a CSV in Settings.</Text>
      )}
      {best.length ? (
        <>
          <Text fw={600} mt="md" mb={4}>Best customers</Text>
          <Table withTableBorder aria-label="Best customers">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Customer</Table.Th>
                <Table.Th>Lifetime value</Table.Th>
                <Table.Th>Cost to serve</Table.Th>
                <Table.Th>Cost share</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {best.map((item) => (
                <Table.Tr key={item.customer.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/customers/${item.customer.id}`}>{item.customer.name}</Anchor>
                  </Table.Td>
                  <Table.Td>{money(item.lifetimeValue)}</Table.Td>
                  <Table.Td>{money(item.costToServe)}</Table.Td>
                  <Table.Td>{percent(item.costShare)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      ) : null}
    </Card>
  );
}

/** Customers whose pest score reaches the threshold, with the reasons; nothing happens to them automatically. */
export function PestsSection() {
  const { data, error } = usePests();
  if (error) return <ErrorText error={error} />;
  if (!data) return null;
  return (
    <Card withBorder aria-label="Customers to review">
      <Group justify="space-between">
        <Text fw={600}>Customers to review</Text>
        <Text size="xs" c="dimmed">score ≥ {data.threshold} over the last 90 days · listed for review, nothing is done to them</Text>
      </Group>
      {data.items.length === 0 ? (
        <Text c="dimmed" mt="xs">No customer reaches the threshold.</Text>
      ) : (
        <Table mt="xs" withTableBorder aria-label="Pests">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Customer</Table.Th>
              <Table.Th>Score</Table.Th>
              <Table.Th>Reasons</Table.Th>
              <Table.Th>Tickets</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.items.map((pest) => (
              <Table.Tr key={pest.customer.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/customers/${pest.customer.id}`}>{pest.customer.name}</Anchor>
                  {pest.customer.tier === 'best' ? <Badge ml={6} size="xs" color="yellow">Best customer</Badge> : null}
                </Table.Td>
                <Table.Td>
                  <Badge color={pest.score >= 75 ? 'red' : 'orange'} variant="light">{pest.score}</Badge>
                </Table.Td>
                <Table.Td>
                  <List size="sm" spacing={0}>
                    {pest.reasons.map((reason) => <List.Item key={reason.code}>{reason.message} (+{reason.points})</List.Item>)}
                  </List>
                </Table.Td>
                <Table.Td>{pest.tickets}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">{label}</Text>
      <Text fw={700} size="lg">{value}</Text>
      {hint ? <Text size="xs" c="dimmed">{hint}</Text> : null}
    </div>
  );
}
