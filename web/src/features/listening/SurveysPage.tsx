import { Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useStaff } from '../../app/session';
import { ErrorText } from '../../ui/ErrorText';
import { RatingBadge } from '../../ui/RatingBadge';
import { ListeningNav } from './ListeningNav';
import { agoText } from './listening.format';
import { useSurveyResponses, useSurveySummary, type SurveyResponse } from './listening.api';
import { plural } from '../../ui/format';

const kindLabel: Record<SurveyResponse['kind'], string> = { csat: 'CSAT', nps: 'NPS', ces: 'Effort', feelings: 'Feelings' };
const scaleMax: Record<Exclude<SurveyResponse['kind'], 'feelings'>, number> = { csat: 5, nps: 10, ces: 7 };
const percent = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)} %`);

function Figure({ label, value, detail }: { label: string; value: string; detail: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>{label}</Text>
      <Text size="xl" fw={700}>{value}</Text>
      <Text size="xs" c="dimmed">{detail}</Text>
    </Card>
  );
}

/** What customers answered: the headline figures, then every answer with its ticket and agent. */
export default function SurveysPage() {
  const summary = useSurveySummary();
  const responses = useSurveyResponses();
  const staff = useStaff();
  const agentName = (id: string | null) => (id ? (staff.data?.find((member) => member.id === id)?.name ?? 'an agent') : '–');
  const figures = summary.data;
  return (
    <Stack p="md" gap="md" maw={1000}>
      <ListeningNav />
      <Title order={2}>Surveys</Title>
      <ErrorText error={summary.error ?? responses.error} />
      {figures ? (
        <SimpleGrid cols={{ base: 2, sm: 5 }}>
          <Figure label="CSAT" value={figures.csat.average === null ? '–' : `${figures.csat.average} / 5`} detail={`${percent(figures.csat.satisfiedShare)} satisfied · ${plural(figures.csat.responses, 'answer')}`} />
          <Figure label="NPS" value={figures.nps.score === null ? '–' : String(figures.nps.score)} detail={plural(figures.nps.responses, 'answer')} />
          <Figure label="Effort" value={figures.ces.average === null ? '–' : `${figures.ces.average} / 7`} detail={`${plural(figures.ces.responses, 'answer')} (7 = very easy)`} />
          <Figure label="Response rate" value={percent(figures.responseRate)} detail={`${figures.responses} of ${figures.invitations} asked`} />
          <Figure label="Grateful" value={percent(figures.gratefulShare)} detail="of answers felt grateful or glad" />
        </SimpleGrid>
      ) : null}
      {responses.isLoading ? <Text>Loading…</Text> : null}
      {responses.data && responses.data.items.length === 0 ? <Text c="dimmed">No answers yet. Surveys go out at the stages chosen in Settings → Surveys and themes.</Text> : null}
      {responses.data && responses.data.items.length > 0 ? (
        <Table striped withTableBorder data-testid="survey-responses">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Survey</Table.Th>
              <Table.Th>Rating</Table.Th>
              <Table.Th>Felt</Table.Th>
              <Table.Th>Comment</Table.Th>
              <Table.Th>Agent</Table.Th>
              <Table.Th>Ticket</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {responses.data.items.map((response) => (
              <Table.Tr key={response.id} data-testid="survey-response">
                <Table.Td><Text size="sm" c="dimmed">{agoText(response.createdAt)}</Text></Table.Td>
                <Table.Td>{kindLabel[response.kind]}</Table.Td>
                <Table.Td>{response.score === null || response.kind === 'feelings' ? '–' : <RatingBadge score={response.score} scale={response.kind} size="lg">{response.score} / {scaleMax[response.kind]}</RatingBadge>}</Table.Td>
                <Table.Td><Group gap={4}>{response.feelings.map((feeling) => <Badge key={feeling} variant="outline" size="sm">{feeling}</Badge>)}</Group></Table.Td>
                <Table.Td><Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{response.comment ?? ''}</Text></Table.Td>
                <Table.Td><Text size="sm">{agentName(response.agentId)}</Text></Table.Td>
                <Table.Td>{response.ticketId ? <Link to={`/tickets/${response.ticketId}`}>Open</Link> : <Link to={`/customers/${response.customerId}`}>Customer</Link>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}
