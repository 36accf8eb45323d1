import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Anchor, Card, Group, List, Modal, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorText } from '../../ui/ErrorText';
import { countAxis } from '../../ui/charts';
import { duration, hour, money } from '../../ui/format';
import { useMomentsReport } from './recovery.api';

const day = 86_400_000;
const dateInput = (date: Date) => date.toISOString().slice(0, 10);

function Figure({ label, value, ticketIds, hint, onDrill }: { label: string; value: string; ticketIds: string[]; hint?: string; onDrill(target: { title: string; ticketIds: string[] }): void }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">{label}</Text>
      {ticketIds.length > 0 ? (
        <Anchor component="button" type="button" fw={700} size="xl" onClick={() => onDrill({ title: label, ticketIds })} aria-label={`${label}: ${value}. Show the tickets`}>{value}</Anchor>
      ) : (
        <Text fw={700} size="xl">{value}</Text>
      )}
      {hint ? <Text size="xs" c="dimmed">{hint}</Text> : null}
    </Card>
  );
}

/** Moments of truth, misery and magic per week; recovery rate, time to recover, root causes and lifetime value at risk. */
export function MomentsReportPage() {
  const [from, setFrom] = useState(dateInput(new Date(Date.now() - 84 * day)));
  const [to, setTo] = useState(dateInput(new Date(Date.now() + day)));
  const [drill, setDrill] = useState<{ title: string; ticketIds: string[] } | null>(null);
  const { data, error } = useMomentsReport({ from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z` });
  const weeks = (data?.weeks ?? []).map((week) => ({ week: week.weekStart, Misery: week.misery, Magic: week.magic, Truth: week.truth }));
  const rate = data?.recovery.rate;
  return (
    <Stack p="md">
      <Group justify="space-between">
        <Title order={2}>Moments and recovery</Title>
        <Group>
          <TextInput type="date" label="From" value={from} onChange={(event) => setFrom(event.currentTarget.value)} />
          <TextInput type="date" label="To" value={to} onChange={(event) => setTo(event.currentTarget.value)} />
        </Group>
      </Group>
      <ErrorText error={error} />
      {data ? (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Figure label="Recovery rate" value={rate === null || rate === undefined ? '–' : `${Math.round(rate * 100)}%`} ticketIds={data.recovery.recoveredTicketIds} hint={`${data.recovery.recovered} of ${data.recovery.closed} closed`} onDrill={setDrill} />
            <Figure label="Time to recover (median)" value={data.timeToRecoverHours.median === null ? '–' : duration(data.timeToRecoverHours.median * hour)} ticketIds={data.timeToRecoverHours.slowestTicketIds} hint={data.timeToRecoverHours.p90 === null ? undefined : `p90 ${duration(data.timeToRecoverHours.p90 * hour)}`} onDrill={setDrill} />
            <Figure label="Lifetime value at risk" value={money(data.lifetimeValueAtRisk.total)} ticketIds={data.lifetimeValueAtRisk.ticketIds} hint={`${data.lifetimeValueAtRisk.customerIds.length} customers with an open misery`} onDrill={setDrill} />
            <Figure label="Not recovered" value={String(data.recovery.notRecoveredTicketIds.length)} ticketIds={data.recovery.notRecoveredTicketIds} onDrill={setDrill} />
          </SimpleGrid>
          {/* An empty period says so rather than drawing two blank charts. */}
          {weeks.some((week) => week.Misery + week.Magic + week.Truth > 0) ? (
            <>
              <Card withBorder>
                <Title order={4} mb="sm">Misery and magic per week</Title>
                <BarChart h={260} data={weeks} dataKey="week" withLegend yAxisProps={countAxis} series={[{ name: 'Misery', color: 'red.6' }, { name: 'Magic', color: 'teal.6' }]} />
              </Card>
              <Card withBorder>
                <Title order={4} mb="sm">Moments of truth per week</Title>
                <BarChart h={180} data={weeks} dataKey="week" yAxisProps={countAxis} series={[{ name: 'Truth', color: 'gray.6' }]} />
              </Card>
            </>
          ) : (
            <Text c="dimmed">No moment of misery, magic or truth in this period.</Text>
          )}
          <Card withBorder>
            <Title order={4}>Top root causes</Title>
            {data.topRootCauses.length === 0 ? <Text c="dimmed">No root cause recorded in this period.</Text> : null}
            <List>
              {data.topRootCauses.map((cause) => (
                <List.Item key={cause.problemId}>
                  <Anchor component="button" type="button" onClick={() => setDrill({ title: cause.title, ticketIds: cause.ticketIds })}>{cause.title}</Anchor> ({cause.category}) × {cause.count}
                </List.Item>
              ))}
            </List>
          </Card>
        </>
      ) : null}
      <Modal opened={drill !== null} onClose={() => setDrill(null)} title={drill?.title}>
        <List>
          {(drill?.ticketIds ?? []).map((ticketId) => (
            <List.Item key={ticketId}><Anchor component={Link} to={`/tickets/${ticketId}`}>{ticketId}</Anchor></List.Item>
          ))}
        </List>
      </Modal>
    </Stack>
  );
}
