import '@mantine/charts/styles.css';
import { useState } from 'react';
import { BarChart } from '@mantine/charts';
import { Anchor, Badge, Card, Group, List, Modal, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { ErrorText } from '../../ui/ErrorText';
import { categoryAxis, countAxis, targetLine, targetMargin } from '../../ui/charts';
import { duration, money } from '../../ui/format';
import { TableScroll } from '../../ui/TableScroll';
import { CustomerValueSection, PestsSection } from './CustomerReportSections';
import { useEmpowermentReport, type Drill, type Figures } from './empowerment.api';

const day = 86_400_000;
const dateInput = (date: Date) => date.toISOString().slice(0, 10);
const percent = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 1000) / 10}%`);

interface DrillTarget {
  title: string;
  ticketIds: string[];
}

/** A figure people can click to see the tickets behind it. */
function Figure({ label, value, drill, onDrill, hint }: { label: string; value: string; drill?: Drill | { ticketIds: string[] }; onDrill(target: DrillTarget): void; hint?: string }) {
  const clickable = drill && drill.ticketIds.length > 0;
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">{label}</Text>
      {clickable ? (
        <Anchor component="button" type="button" fw={700} size="xl" onClick={() => onDrill({ title: label, ticketIds: drill.ticketIds })} aria-label={`${label}: ${value}. Show the tickets`}>
          {value}
        </Anchor>
      ) : (
        <Text fw={700} size="xl">{value}</Text>
      )}
      {hint ? <Text size="xs" c="dimmed">{hint}</Text> : null}
    </Card>
  );
}

function Summary({ figures, target, onDrill }: { figures: Figures; target: number; onDrill(target: DrillTarget): void }) {
  const toDecide = figures.approvals.medianSecondsToDecide === null ? '–' : duration(figures.approvals.medianSecondsToDecide * 1000);
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
      <Figure label="Empowerment rate" value={percent(figures.empowermentRate)} drill={figures.empowered} onDrill={onDrill} hint={`target ${percent(target)} · ${figures.empowered.count} of ${figures.resolved.count} resolved`} />
      <Figure label="Escalations" value={String(figures.escalations.count)} drill={figures.escalations} onDrill={onDrill} />
      <Figure label="Handoffs per ticket" value={figures.handoffs.perTicket === null ? '–' : String(figures.handoffs.perTicket)} drill={figures.handoffs} onDrill={onDrill} hint={`${figures.handoffs.count} handoffs`} />
      <Figure label="Remedies granted" value={money(figures.remedies.value)} drill={figures.remedies} onDrill={onDrill} hint={`${figures.remedies.count} remedies`} />
      <Figure label="Approvals" value={String(figures.approvals.requested.count)} drill={figures.approvals.requested} onDrill={onDrill} hint={`median ${toDecide} to decide`} />
      <Figure label="Promises kept" value={`${figures.promises.kept.count} / ${figures.promises.kept.count + figures.promises.broken.count}`} drill={figures.promises.broken} onDrill={onDrill} hint={`${figures.promises.keptEarly.count} early · ${figures.promises.broken.count} broken`} />
    </SimpleGrid>
  );
}

/** Empowerment per agent, team or week, against the 95% line; every figure drills down to tickets. */
export function EmpowermentReportPage() {
  const [groupBy, setGroupBy] = useState('agent');
  const [from, setFrom] = useState(dateInput(new Date(Date.now() - 28 * day)));
  const [to, setTo] = useState(dateInput(new Date(Date.now() + day)));
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const { data, error } = useEmpowermentReport({ from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z`, groupBy });
  // A group without resolved tickets has no rate: a bar at 0% would read as a failure.
  const rateData = (data?.groups ?? []).flatMap((group) => (group.empowermentRate === null ? [] : [{ label: group.label, 'Empowerment rate': Math.round(group.empowermentRate * 1000) / 10 }]));
  const remedyData = (data?.total.remedies.byType ?? []).map((item) => ({ type: item.type, Value: item.value, Count: item.count }));
  const groups = data?.groups ?? [];
  const escalationData = groups.map((group) => ({ label: group.label, Escalations: group.escalations.count, Handoffs: group.handoffs.count, 'Approval requests': group.approvals.requested.count }));
  const promiseData = groups.map((group) => ({ label: group.label, 'Kept early': group.promises.keptEarly.count, 'Kept on time': group.promises.kept.count - group.promises.keptEarly.count, Broken: group.promises.broken.count }));
  return (
    <Stack p="md" gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Empowerment</Title>
        <Group align="flex-end">
          <TextInput type="date" label="From" value={from} onChange={(event) => setFrom(event.currentTarget.value)} />
          <TextInput type="date" label="To" value={to} onChange={(event) => setTo(event.currentTarget.value)} />
          <SegmentedControl value={groupBy} onChange={setGroupBy} data={[{ label: 'Agent', value: 'agent' }, { label: 'Team', value: 'team' }, { label: 'Week', value: 'week' }]} aria-label="Group by" />
        </Group>
      </Group>
      <ErrorText error={error} />
      {data ? (
        <>
          <Summary figures={data.total} target={data.target} onDrill={setDrill} />
          <Card withBorder>
            <Text fw={600} mb="xs">Resolved without escalation or approval (%)</Text>
            {rateData.length === 0 ? (
              <Text c="dimmed" size="sm">No ticket was resolved in this period.</Text>
            ) : (
              <BarChart
                h={320}
                data={rateData}
                dataKey="label"
                series={[{ name: 'Empowerment rate', color: 'indigo.6' }]}
                xAxisProps={categoryAxis(rateData.length)}
                yAxisProps={{ domain: [0, 100] }}
                unit="%"
                barChartProps={{ margin: targetMargin }}
                referenceLines={[targetLine(data.target * 100, `${Math.round(data.target * 100)}% target`)]}
              />
            )}
          </Card>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Text fw={600} mb="xs">Escalations, handoffs and approval requests</Text>
              {groups.length ? <BarChart h={300} data={escalationData} dataKey="label" withLegend xAxisProps={categoryAxis(groups.length)} yAxisProps={countAxis} series={[{ name: 'Escalations', color: 'red.6' }, { name: 'Handoffs', color: 'grape.6' }, { name: 'Approval requests', color: 'yellow.6' }]} /> : <Text c="dimmed">Nothing in this period.</Text>}
            </Card>
            <Card withBorder>
              <Text fw={600} mb="xs">Promises</Text>
              {promiseData.some((row) => row['Kept early'] + row['Kept on time'] + row.Broken > 0) ? (
                <BarChart h={300} data={promiseData} dataKey="label" type="stacked" withLegend xAxisProps={categoryAxis(groups.length)} yAxisProps={countAxis} series={[{ name: 'Kept early', color: 'teal.6' }, { name: 'Kept on time', color: 'green.4' }, { name: 'Broken', color: 'red.6' }]} />
              ) : (
                <Text c="dimmed">No promise fell due in this period.</Text>
              )}
            </Card>
            <Card withBorder>
              <Text fw={600} mb="xs">Remedies by type</Text>
              {remedyData.length ? <BarChart h={220} data={remedyData} dataKey="type" orientation="vertical" yAxisProps={{ width: 96 }} series={[{ name: 'Value', color: 'teal.6' }]} valueFormatter={money} /> : <Text c="dimmed">No remedies granted in this period.</Text>}
            </Card>
          </SimpleGrid>
          <TableScroll label="Empowerment by group, table">
            <Table striped withTableBorder aria-label="Empowerment by group" miw={720}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{groupBy === 'week' ? 'Week' : groupBy === 'team' ? 'Team' : 'Agent'}</Table.Th>
                  <Table.Th>Resolved</Table.Th>
                  <Table.Th>Empowerment</Table.Th>
                  <Table.Th>Escalations</Table.Th>
                  <Table.Th>Handoffs/ticket</Table.Th>
                  <Table.Th>Remedies</Table.Th>
                  <Table.Th>Approvals</Table.Th>
                  <Table.Th>Promises kept / early / broken</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.groups.map((group) => (
                  <Table.Tr key={group.key ?? 'none'}>
                    <Table.Td>{group.label}</Table.Td>
                    <Table.Td>
                      <Anchor component="button" type="button" onClick={() => setDrill({ title: `${group.label}: resolved`, ticketIds: group.resolved.ticketIds })}>{group.resolved.count}</Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={group.meetsTarget ? 'teal.9' : group.meetsTarget === false ? 'red.9' : 'gray.7'} variant="filled">{percent(group.empowermentRate)}</Badge>
                    </Table.Td>
                    <Table.Td>{group.escalations.count}</Table.Td>
                    <Table.Td>{group.handoffs.perTicket ?? '–'}</Table.Td>
                    <Table.Td>{money(group.remedies.value)}</Table.Td>
                    <Table.Td>{group.approvals.requested.count}</Table.Td>
                    <Table.Td>
                      {group.promises.kept.count} / {group.promises.keptEarly.count} / {group.promises.broken.count}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </TableScroll>
        </>
      ) : null}
      <CustomerValueSection />
      <PestsSection />
      <Modal opened={drill !== null} onClose={() => setDrill(null)} title={drill?.title}>
        <List>
          {drill?.ticketIds.map((id) => (
            <List.Item key={id}>
              <Link to={`/tickets/${id}`}>Ticket {id.slice(0, 8)}…</Link>
            </List.Item>
          ))}
        </List>
      </Modal>
    </Stack>
  );
}
