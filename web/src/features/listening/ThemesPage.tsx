import '@mantine/charts/styles.css';
import { useState } from 'react';
import { Sparkline } from '@mantine/charts';
import { Anchor, Badge, Button, Card, Group, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useSession } from '../../app/session';
import { ErrorText } from '../../ui/ErrorText';
import { ListeningNav } from './ListeningNav';
import { agoText } from './listening.format';
import { respondToTheme, useChange, useThemes, type Theme } from './listening.api';
import { plural } from '../../ui/format';

// Dot badges: the colour is in the dot and the text keeps full contrast.
const statusColor = { watching: 'gray', alerted: 'red', actioned: 'green', dismissed: 'dark' } as const;
const statusLabel = { watching: 'watching', alerted: 'needs a response', actioned: 'actioned', dismissed: 'dismissed' } as const;

function Respond({ theme }: { theme: Theme }) {
  const session = useSession();
  const [description, setDescription] = useState('');
  const [reason, setReason] = useState('');
  const [due, setDue] = useState('');
  const respond = useChange(['themes'], respondToTheme);
  const ownerId = session.data?.workspace?.staffId ?? '';
  return (
    <Stack gap={6} mt="sm">
      <Group align="flex-end" wrap="wrap">
        <TextInput label="Action (you own it)" value={description} onChange={(event) => setDescription(event.currentTarget.value)} style={{ flex: 1, minWidth: 220 }} />
        <TextInput label="Due" type="date" value={due} onChange={(event) => setDue(event.currentTarget.value)} />
        <Button disabled={!description.trim() || !ownerId} loading={respond.isPending} onClick={() => respond.mutate({ id: theme.id, body: { action: { description: description.trim(), ownerId, ...(due ? { dueAt: `${due}T17:00:00.000Z` } : {}) } } })}>
          Record action
        </Button>
      </Group>
      <Group align="flex-end" wrap="wrap">
        <TextInput label="…or a reason to dismiss" value={reason} onChange={(event) => setReason(event.currentTarget.value)} style={{ flex: 1, minWidth: 220 }} />
        <Button variant="light" color="gray" disabled={!reason.trim()} loading={respond.isPending} onClick={() => respond.mutate({ id: theme.id, body: { dismissReason: reason.trim() } })}>
          Dismiss
        </Button>
      </Group>
      <ErrorText error={respond.error} inline />
    </Stack>
  );
}

/** Is it growing? Mentions per week over the last twelve, with the figures in words beside the line. */
function Trend({ weeks, lastMentionedAt }: { weeks: Theme['recentWeeks']; lastMentionedAt: string }) {
  const total = weeks.reduce((sum, week) => sum + week.mentions, 0);
  return (
    <Stack gap={2} align="flex-end" data-testid="theme-trend">
      <Sparkline w={150} h={40} data={weeks.map((week) => week.mentions)} curveType="linear" color="indigo.7" fillOpacity={0.25} strokeWidth={2} />
      <Text size="xs" c="dimmed">{plural(total, 'mention')} in 12 weeks, {weeks.at(-1)?.mentions ?? 0} this week</Text>
      <Text size="xs" c="dimmed">Last heard {agoText(lastMentionedAt)}</Text>
    </Stack>
  );
}

/** Themes by recency: the Three Times Rule marks those heard from three voices, which need an answer. */
export default function ThemesPage() {
  const [status, setStatus] = useState('alerted');
  const { data, error, isLoading } = useThemes(status === 'all' ? undefined : status);
  return (
    <Stack p="md" gap="md" maw={1000}>
      <ListeningNav />
      <Title order={2}>Themes</Title>
      <SegmentedControl value={status} onChange={setStatus} data={[{ value: 'alerted', label: 'Needs a response' }, { value: 'watching', label: 'Watching' }, { value: 'actioned', label: 'Actioned' }, { value: 'dismissed', label: 'Dismissed' }, { value: 'all', label: 'All' }]} />
      <ErrorText error={error} />
      {isLoading ? <Text>Loading…</Text> : null}
      {data && data.items.length === 0 ? <Text c="dimmed">No themes here.</Text> : null}
      {data?.items.map((theme) => (
        <Card key={theme.id} withBorder padding="md" data-testid="theme-card">
          <Group justify="space-between" align="flex-start">
            <Stack gap={4}>
              <Group gap={6}>
                <Text fw={600}>{theme.label.charAt(0).toUpperCase() + theme.label.slice(1)}</Text>
                <Badge color={statusColor[theme.status]} variant="dot">{statusLabel[theme.status]}</Badge>
              </Group>
              <Text size="sm">
                {theme.distinctSourcesInWindow} distinct voices in {theme.windowDays} days · {theme.mentionCount} mentions · {Object.entries(theme.sources).map(([source, count]) => `${source} ${count}`).join(', ')}
              </Text>
              {theme.examples.map((example) => (
                <Text key={example.feedbackItemId} size="sm" c="dimmed" fs="italic">“{example.quote}” <Text span size="xs">({example.source.replace('_', ' ')})</Text></Text>
              ))}
              {theme.ticketIds.length ? (
                <Group gap={8}>
                  <Text size="sm">Linked tickets:</Text>
                  {theme.ticketIds.map((id, index) => <Anchor key={id} component={Link} to={`/tickets/${id}`} size="sm">Ticket {index + 1}</Anchor>)}
                </Group>
              ) : null}
              {theme.action ? <Text size="sm">Action: {theme.action.description}{theme.action.dueAt ? ` (due ${theme.action.dueAt.slice(0, 10)})` : ''}</Text> : null}
              {theme.dismissReason ? <Text size="sm">Dismissed: {theme.dismissReason}</Text> : null}
              <Link to={`/listening/feedback?themeId=${theme.id}`}>All feedback on this theme</Link>
            </Stack>
            <Trend weeks={theme.recentWeeks} lastMentionedAt={theme.lastMentionedAt} />
          </Group>
          {theme.status === 'alerted' || theme.status === 'watching' ? <Respond theme={theme} /> : null}
        </Card>
      ))}
    </Stack>
  );
}
