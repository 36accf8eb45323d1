import '@mantine/charts/styles.css';
import { useState } from 'react';
import { BarChart } from '@mantine/charts';
import { Anchor, Card, Group, List, Modal, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { ErrorText } from '../../ui/ErrorText';
import { TableScroll } from '../../ui/TableScroll';
import { useConsistencyReport, type Attainment, type Distribution } from './consistency.api';
import { categoryAxis } from '../../ui/charts';

const day = 86_400_000;
const dateInput = (date: Date) => date.toISOString().slice(0, 10);
const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? '–' : `${Math.round(rate * 1000) / 10}%`);
const minutes = (value: number | null) => (value === null ? '–' : value >= 120 ? `${Math.round(value / 6) / 10} h` : `${Math.round(value)} min`);

interface DrillTarget {
  title: string;
  ticketIds: string[];
}

function Drill({ label, ticketIds, onDrill }: { label: string; ticketIds: string[]; onDrill(target: DrillTarget): void }) {
  if (ticketIds.length === 0) return <>{label}</>;
  return (
    <Anchor component="button" type="button" onClick={() => onDrill({ title: label, ticketIds })} aria-label={`${label}: show the ${ticketIds.length} tickets`}>
      {label}
    </Anchor>
  );
}

function AttainmentCell({ attainment, onDrill }: { attainment: Attainment | undefined; onDrill(target: DrillTarget): void }) {
  if (!attainment || attainment.due === 0) return <>–</>;
  return (
    <>
      <Drill label={percent(attainment.rate)} ticketIds={attainment.metTicketIds} onDrill={onDrill} />{' '}
      <Text span size="xs" c="dimmed">
        (<Drill label={`${attainment.breached} missed`} ticketIds={attainment.breachedTicketIds} onDrill={onDrill} />)
      </Text>
    </>
  );
}

function Spread({ distribution, onDrill }: { distribution: Distribution; onDrill(target: DrillTarget): void }) {
  return (
    <>
      {minutes(distribution.p50)} / <Drill label={minutes(distribution.p90)} ticketIds={distribution.slowestTicketIds} onDrill={onDrill} /> / {minutes(distribution.p99)}
      <Text span size="xs" c="dimmed"> ×{distribution.spread ?? '–'}</Text>
    </>
  );
}

/** Consistency: SLA attainment, percentiles and spread per agent, team, channel or week; every figure opens its tickets. */
export function ConsistencyReportPage() {
  const [groupBy, setGroupBy] = useState('week');
  const [from, setFrom] = useState(dateInput(new Date(Date.now() - 28 * day)));
  const [to, setTo] = useState(dateInput(new Date(Date.now() + day)));
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const { data, error } = useConsistencyReport({ from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z`, groupBy });
  const chart = (data?.groups ?? []).map((group) => ({
    label: group.label,
    'First response met (%)': Math.round((group.attainment.first_response?.rate ?? 0) * 1000) / 10,
    'Resolution met (%)': Math.round((group.attainment.resolution?.rate ?? 0) * 1000) / 10,
  }));
  return (
    <Stack p="md" gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Consistency</Title>
        <Group align="flex-end">
          <TextInput type="date" label="From" value={from} onChange={(event) => setFrom(event.currentTarget.value)} />
          <TextInput type="date" label="To" value={to} onChange={(event) => setTo(event.currentTarget.value)} />
          <SegmentedControl value={groupBy} onChange={setGroupBy} aria-label="Group by" data={[{ label: 'Week', value: 'week' }, { label: 'Agent', value: 'agent' }, { label: 'Team', value: 'team' }, { label: 'Channel', value: 'channel' }]} />
        </Group>
      </Group>
      <ErrorText error={error} />
      {data ? (
        <>
          <Card withBorder>
            <Text fw={600} mb="xs">SLA attainment (met ÷ due)</Text>
            <BarChart h={300} data={chart} dataKey="label" withLegend unit="%" xAxisProps={categoryAxis(chart.length)} series={[{ name: 'First response met (%)', color: 'indigo.6' }, { name: 'Resolution met (%)', color: 'teal.6' }]} yAxisProps={{ domain: [0, 100] }} />
          </Card>
          <TableScroll label="Consistency by group">
            <Table striped withTableBorder miw={640}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th tt="capitalize">{groupBy}</Table.Th>
                  <Table.Th>Tickets</Table.Th>
                  <Table.Th>First response met</Table.Th>
                  <Table.Th>Next response met</Table.Th>
                  <Table.Th>Resolution met</Table.Th>
                  <Table.Th>First response p50 / p90 / p99 (spread)</Table.Th>
                  <Table.Th>Resolution p50 / p90 / p99 (spread)</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[{ key: 'all', label: 'All', ...data.overall }, ...data.groups.flatMap((group) => [group, ...group.weeks.map((week) => ({ ...week, key: `${group.key}:${week.week}`, label: `${group.label}, week of ${week.week}`, isWeek: true }))])].map((group) => (
                  <Table.Tr key={group.key}>
                    <Table.Td pl={'isWeek' in group ? 'xl' : undefined}>{group.label}</Table.Td>
                    <Table.Td><Drill label={String(group.tickets)} ticketIds={group.ticketIds} onDrill={setDrill} /></Table.Td>
                    <Table.Td><AttainmentCell attainment={group.attainment.first_response} onDrill={setDrill} /></Table.Td>
                    <Table.Td><AttainmentCell attainment={group.attainment.next_response} onDrill={setDrill} /></Table.Td>
                    <Table.Td><AttainmentCell attainment={group.attainment.resolution} onDrill={setDrill} /></Table.Td>
                    <Table.Td><Spread distribution={group.firstResponseMinutes} onDrill={setDrill} /></Table.Td>
                    <Table.Td><Spread distribution={group.resolutionMinutes} onDrill={setDrill} /></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableScroll>
          <Text size="sm" c="dimmed">
            Times are p50 / p90 / p99, spread = p90 ÷ p50. First responses under an SLA first-response target are in business minutes of the policy&apos;s calendar ({data.overall.firstResponseMinutes.inBusinessTime} of {data.overall.firstResponseMinutes.count}); other times are wall-clock. Merged tickets are left out.
          </Text>
          <Card withBorder>
            <Text fw={600} mb="xs">Outside the standard ({data.outsideStandard.length})</Text>
            {data.outsideStandard.length === 0 ? <Text c="dimmed">Every ticket in this period met the standard.</Text> : null}
            <List spacing="xs">
              {data.outsideStandard.map((item) => (
                <List.Item key={item.ticketId}>
                  {/* Underlined: in the dark theme the link colour alone is too close to the sentence around it. */}
                  <Anchor component={Link} to={`/tickets/${item.ticketId}`} underline="always">#{item.number}</Anchor> — {item.reasons.join('; ')}
                </List.Item>
              ))}
            </List>
          </Card>
        </>
      ) : null}
      <Modal opened={drill !== null} onClose={() => setDrill(null)} title={drill?.title}>
        <List>
          {(drill?.ticketIds ?? []).map((id) => (
            <List.Item key={id}><Anchor component={Link} to={`/tickets/${id}`}>{id}</Anchor></List.Item>
          ))}
        </List>
      </Modal>
    </Stack>
  );
}
