import { useEffect } from 'react';
import { Anchor, Badge, Group, Paper, Text, Timeline, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { get } from '../../app/api';
import { realtime } from '../../app/realtime';
import type { Ticket } from '../../app/types';
import { ErrorText } from '../../ui/ErrorText';
import { dateTime, plural } from '../../ui/format';
import type { Moment } from '../recovery/recovery.api';

const kindColor = { misery: 'red', magic: 'teal' } as const;
/** Rules named for people; the rest read well enough from their key. */
const ruleNames: Record<string, string> = { misery_other: 'Misery noted by an agent', magic_other: 'Magic noted by an agent', csat_low: 'Low satisfaction score', csat_delighted: 'Delighted in a survey', misery_recovered: 'Misery recovered', sla_breached: 'Response time missed' };
const ruleLabel = (rule: string) => ruleNames[rule] ?? rule[0]!.toUpperCase() + rule.slice(1).replace(/_/g, ' ');

/** The words behind a moment, when its cause left any: a comment, a promise, a note, a rating. */
function detailText(detail: Record<string, unknown>): string | null {
  for (const key of ['comment', 'description', 'note'] as const) {
    const value = detail[key];
    if (typeof value === 'string' && value.trim()) return `“${value.trim()}”`;
  }
  if (typeof detail.rating === 'number') return `Rated ${detail.rating} of 5${typeof detail.source === 'string' ? ` on ${detail.source}` : ''}`;
  if (typeof detail.score === 'number') return `Scored ${detail.score}`;
  return null;
}

/**
 * The customer's misery and magic across every ticket, survey and review, newest first: what an
 * agent should know before answering them again. Moments of truth (every message) are only counted.
 */
export function CustomerMoments({ customerId, tickets }: { customerId: string; tickets: Ticket[] }) {
  const client = useQueryClient();
  const moments = useQuery({ queryKey: ['customer', customerId, 'moments'], queryFn: () => get<{ items: Moment[] }>(`/api/v1/customers/${customerId}/moments?limit=500`).then((page) => page.items) });
  // A moment is recorded on its ticket's event stream, which the app-wide refresh does not tie to the customer.
  useEffect(() => realtime.onEvent((event) => {
    if (event.type.startsWith('moment.') || event.type === 'reconnected') void client.invalidateQueries({ queryKey: ['customer', customerId, 'moments'] });
  }), [client, customerId]);
  const numberOf = new Map(tickets.map((ticket) => [ticket.id, ticket.number]));
  const all = moments.data ?? [];
  const notable = all.filter((moment): moment is Moment & { kind: 'misery' | 'magic' } => moment.kind !== 'truth');
  const misery = notable.filter((moment) => moment.kind === 'misery').length;
  return (
    <Paper withBorder p="sm" data-testid="customer-moments">
      <Group justify="space-between">
        <Title order={2} size="h4">Moments</Title>
        <Group gap={6}>
          <Badge color="red.9" variant="filled">{misery} misery</Badge>
          <Badge color="teal.9" variant="filled">{notable.length - misery} magic</Badge>
        </Group>
      </Group>
      <ErrorText error={moments.error} />
      {moments.data && notable.length === 0 ? <Text size="sm" c="dimmed" mt="xs">No misery or magic yet ({plural(all.length, 'moment')} of truth).</Text> : null}
      <Timeline active={notable.length - 1} bulletSize={12} lineWidth={2} mt="sm">
        {notable.map((moment) => {
          const text = detailText(moment.detail);
          const number = moment.ticketId ? numberOf.get(moment.ticketId) : undefined;
          return (
            <Timeline.Item key={moment.id} color={kindColor[moment.kind]} title={<Text size="sm" fw={600}>{ruleLabel(moment.rule)}</Text>}>
              <Text size="xs" c="dimmed">
                {moment.kind} · {dateTime(moment.occurredAt)}
                {moment.ticketId ? <> · <Anchor component={Link} to={`/tickets/${moment.ticketId}`} size="xs" underline="always">{number ? `ticket #${number}` : 'ticket'}</Anchor></> : null}
              </Text>
              {text ? <Text size="sm">{text}</Text> : null}
            </Timeline.Item>
          );
        })}
      </Timeline>
    </Paper>
  );
}
