import { useState } from 'react';
import { Anchor, Badge, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorText } from '../../ui/ErrorText';
import { ListeningNav } from './ListeningNav';
import { agoText, sentimentColor } from './listening.format';
import { useFeedback } from './listening.api';

const sourceLabel: Record<string, string> = { survey: 'Survey', review: 'Review', mention: 'Mention', mystery_shop: 'Mystery shop', staff_voice: 'Staff voice', complaint: 'Complaint' };

/** Every opinion in one inbox, newest first, filtered by source, sentiment or theme. */
export default function FeedbackPage() {
  const [params] = useSearchParams();
  const [source, setSource] = useState<string | null>(null);
  const [sentiment, setSentiment] = useState<string | null>(null);
  const themeId = params.get('themeId') ?? undefined;
  const { data, error, isLoading } = useFeedback({ source: source ?? undefined, sentiment: sentiment ?? undefined, themeId });
  return (
    <Stack p="md" gap="md" maw={1000}>
      <ListeningNav />
      <Title order={2}>Feedback</Title>
      <Group>
        <Select label="Source" placeholder="All sources" clearable value={source} onChange={setSource} data={Object.entries(sourceLabel).map(([value, label]) => ({ value, label }))} />
        <Select label="Sentiment" placeholder="Any sentiment" clearable value={sentiment} onChange={setSentiment} data={['negative', 'neutral', 'positive']} />
      </Group>
      <ErrorText error={error} />
      {isLoading ? <Text>Loading…</Text> : null}
      {data && data.items.length === 0 ? <Text c="dimmed">No feedback matches.</Text> : null}
      {data?.items.map((item) => (
        <Card key={item.id} withBorder padding="sm" data-testid="feedback-item">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={4}>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{item.text}</Text>
              <Group gap={6}>
                <Badge variant="light">{sourceLabel[item.source] ?? item.source}</Badge>
                <Badge color={sentimentColor[item.sentimentLabel]} variant="dot">{item.sentimentLabel}</Badge>
                {item.themes.map((theme) => (
                  <Badge key={theme.id} variant="outline" color="indigo">{theme.label}</Badge>
                ))}
                {item.ticketId && item.ticket ? (
                  <Anchor component={Link} to={`/tickets/${item.ticketId}`} size="sm" truncate maw={360} title={item.ticket.subject}>
                    #{item.ticket.number} {item.ticket.subject}
                  </Anchor>
                ) : null}
              </Group>
            </Stack>
            <Text size="xs" c="dimmed">{agoText(item.createdAt)}</Text>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
