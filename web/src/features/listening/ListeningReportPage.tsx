import '@mantine/charts/styles.css';
import { useState, type ReactNode } from 'react';
import { BarChart, LineChart } from '@mantine/charts';
import { Anchor, Card, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { categoryAxis } from '../../ui/charts';
import { ErrorText } from '../../ui/ErrorText';
import { TableScroll } from '../../ui/TableScroll';
import { useMysteryShopScores, useReviewRatings, useSurveyBreakdown, useThemes } from './listening.api';
import { plural } from '../../ui/format';

const percent = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)} %`);
const value = (figure: number | null) => (figure === null ? '–' : String(figure));
const groupings = [
  { value: 'agent', label: 'Agent' },
  { value: 'team', label: 'Team' },
  { value: 'channel', label: 'Channel' },
] as const;
const since = new Date(Date.now() - 182 * 86_400_000).toISOString().slice(0, 10) + 'T00:00:00.000Z';

function ChartCard({ title, empty, children }: { title: string; empty: boolean; children: ReactNode }) {
  return (
    <Card withBorder padding="md">
      <Title order={3} size="h5" mb="sm">{title}</Title>
      {empty ? <Text c="dimmed" size="sm">Nothing measured yet.</Text> : children}
    </Card>
  );
}

/** What customers, the public and shoppers tell us over the last six months, in charts and one table. */
export default function ListeningReportPage() {
  const [by, setBy] = useState<'agent' | 'team' | 'channel'>('agent');
  const weeks = useSurveyBreakdown('week', since);
  const groups = useSurveyBreakdown(by, since);
  const ratings = useReviewRatings();
  const shops = useMysteryShopScores();
  const alerted = useThemes('alerted');
  const weekly = (weeks.data?.items ?? []).map((week) => ({ week: week.key ?? '', CSAT: week.csat.average, Effort: week.ces.average, NPS: week.nps.score, 'Response rate (%)': week.responseRate === null ? null : Math.round(week.responseRate * 100), 'Grateful (%)': week.gratefulShare === null ? null : Math.round(week.gratefulShare * 100) }));
  const bySource = new Map<string, { sum: number; rated: number; reviews: number }>();
  for (const row of ratings.data?.items ?? []) {
    const total = bySource.get(row.source) ?? { sum: 0, rated: 0, reviews: 0 };
    total.reviews += row.reviews;
    if (row.averageRating !== null) {
      // The API gives each month's average over its rated reviews; weighting by the month's count is close enough for a chart.
      total.sum += row.averageRating * row.reviews;
      total.rated += row.reviews;
    }
    bySource.set(row.source, total);
  }
  const sources = [...bySource].map(([source, total]) => ({ source, 'Average rating': total.rated ? Math.round((total.sum / total.rated) * 100) / 100 : null, reviews: total.reviews }));
  const shopScores = (shops.data?.items ?? []).map((item) => ({ week: item.period, Score: item.averageScore }));
  // Groups without an answer have no share to compare: a bar at 0% would read as unhappy customers.
  const satisfied = (groups.data?.items ?? []).flatMap((group) => (group.csat.satisfiedShare === null ? [] : [{ group: group.label, 'Satisfied (%)': Math.round(group.csat.satisfiedShare * 100) }]));
  return (
    <Stack p="md" gap="md" maw={1100}>
      <Title order={2}>Listening report</Title>
      <Text c="dimmed" size="sm">Last six months. Survey figures come from answers to surveys sent at each stage; reviews from every imported source; scores from mystery shoppers.</Text>
      <ErrorText error={weeks.error ?? groups.error ?? ratings.error ?? shops.error} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ChartCard title="CSAT (1–5) and effort (1–7, 7 = very easy) by week" empty={weekly.length === 0}>
          <LineChart h={220} data={weekly} dataKey="week" withLegend series={[{ name: 'CSAT', color: 'indigo.7' }, { name: 'Effort', color: 'teal.7' }]} yAxisProps={{ domain: [1, 7], ticks: [1, 2, 3, 4, 5, 6, 7] }} connectNulls />
        </ChartCard>
        <ChartCard title="NPS by week (−100 to 100)" empty={weekly.every((week) => week.NPS === null)}>
          <BarChart h={220} data={weekly} dataKey="week" series={[{ name: 'NPS', color: 'grape.7' }]} yAxisProps={{ domain: [-100, 100] }} />
        </ChartCard>
        <ChartCard title="Response rate and the grateful share by week" empty={weekly.length === 0}>
          <LineChart h={220} data={weekly} dataKey="week" withLegend unit="%" series={[{ name: 'Response rate (%)', color: 'blue.7' }, { name: 'Grateful (%)', color: 'green.8' }]} yAxisProps={{ domain: [0, 100] }} connectNulls />
        </ChartCard>
        <ChartCard title="Review ratings by source (1–5)" empty={sources.length === 0}>
          <BarChart h={220} data={sources} dataKey="source" series={[{ name: 'Average rating', color: 'yellow.8' }]} yAxisProps={{ domain: [0, 5], ticks: [0, 1, 2, 3, 4, 5] }} />
        </ChartCard>
        <ChartCard title="Mystery-shop score by week (0–100)" empty={shopScores.length === 0}>
          <LineChart h={220} data={shopScores} dataKey="week" series={[{ name: 'Score', color: 'orange.8' }]} yAxisProps={{ domain: [0, 100] }} connectNulls />
        </ChartCard>
        <Card withBorder padding="md">
          <Title order={3} size="h5" mb="sm">Open themes</Title>
          {alerted.data && alerted.data.items.length === 0 ? <Text c="dimmed" size="sm">No theme waits for a response.</Text> : null}
          {alerted.data?.items.slice(0, 6).map((theme) => (
            <Text key={theme.id} size="sm">
              {theme.label} · {plural(theme.distinctSourcesInWindow, 'voice')}
            </Text>
          ))}
          {alerted.data?.items.length ? <Anchor component={Link} to="/listening/themes" size="sm" mt="xs">Respond on the themes page</Anchor> : null}
        </Card>
      </SimpleGrid>
      <Card withBorder padding="md">
        <Title order={3} size="h5" mb="sm">Surveys by {by}: satisfied customers (CSAT 4 or 5)</Title>
        <SegmentedControl value={by} onChange={(next) => setBy(next as typeof by)} data={groupings.map((grouping) => ({ ...grouping }))} mb="sm" aria-label="Group surveys by" />
        {satisfied.length ? (
          <BarChart h={260} mb="md" data={satisfied} dataKey="group" unit="%" xAxisProps={categoryAxis(satisfied.length)} yAxisProps={{ domain: [0, 100] }} series={[{ name: 'Satisfied (%)', color: 'teal.7' }]} />
        ) : null}
        <TableScroll label="Surveys by group, table">
          <Table striped withTableBorder data-testid="survey-breakdown" miw={640}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{groupings.find((grouping) => grouping.value === by)!.label}</Table.Th>
                <Table.Th>Asked</Table.Th>
                <Table.Th>Answered</Table.Th>
                <Table.Th>CSAT</Table.Th>
                <Table.Th>Satisfied</Table.Th>
                <Table.Th>NPS</Table.Th>
                <Table.Th>Effort</Table.Th>
                <Table.Th>Grateful</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {groups.data?.items.map((group) => (
                <Table.Tr key={group.key ?? 'none'}>
                  <Table.Td>{group.label}</Table.Td>
                  <Table.Td>{group.invitations}</Table.Td>
                  <Table.Td>{group.responses} ({percent(group.responseRate)})</Table.Td>
                  <Table.Td>{value(group.csat.average)}</Table.Td>
                  <Table.Td>{percent(group.csat.satisfiedShare)}</Table.Td>
                  <Table.Td>{value(group.nps.score)}</Table.Td>
                  <Table.Td>{value(group.ces.average)}</Table.Td>
                  <Table.Td>{percent(group.gratefulShare)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      </Card>
    </Stack>
  );
}
