import { useEffect, useMemo, useRef, useState } from 'react';
import { Anchor, Badge, Box, Button, Group, Paper, ScrollArea, Select, Stack, TagsInput, Text, Title, useComputedColorScheme } from '@mantine/core';
import { useHotkeys, useMediaQuery } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { get, patch } from '../../app/api';
import { useViewers, useViewing } from '../../app/realtime';
import { useSession, useStaff, useStatuses, useTeams } from '../../app/session';
import { neighbourOf } from '../../app/ticketList';
import type { Message, Ticket, TicketEvent } from '../../app/types';
import { ErrorText } from '../../ui/ErrorText';
import { dateTime } from '../../ui/format';
import { PresenceBar } from '../../ui/Presence';
import { PriorityBadge, StatusBadge } from '../../ui/StatusBadge';
import { Composer, type ComposerMode } from './Composer';
import { MessageCard } from './MessageCard';
import { describeEvent } from './timeline';
// Imported from their files, not their feature's routes.tsx: the routes are in the first page's
// bundle, and these belong to the ticket page's chunk.
import { TicketSlaBadges } from '../consistency/TicketSlaBadges';
import { TicketChecklists } from '../consistency/TicketChecklists';
import { useTicketTypes } from '../consistency/ticketTypes.api';
import { CustomerValueCard } from '../empowerment/CustomerValueCard';
import { TicketMomentsPanel } from '../recovery/TicketMomentsPanel';

type Entry = { at: string; message: Message } | { at: string; event: TicketEvent };

/** One control of the properties panel with the API's refusal, if any, right under it. */
function Property({ children, error }: { children: React.ReactNode; error?: unknown }) {
  return (
    <div>
      {children}
      {error ? <ErrorText error={error} inline /> : null}
    </div>
  );
}

function PropertiesPanel({ ticket }: { ticket: Ticket }) {
  const statuses = useStatuses();
  const staff = useStaff();
  const teams = useTeams();
  const types = useTicketTypes();
  const client = useQueryClient();
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const [tags, setTags] = useState(ticket.tags);
  useEffect(() => setTags(ticket.tags), [ticket.tags]);
  const change = async (field: string, body: Record<string, unknown>) => {
    setErrors((current) => ({ ...current, [field]: null }));
    try {
      const updated = await patch<Ticket>(`/api/v1/tickets/${ticket.id}`, body);
      client.setQueryData(['ticket', ticket.id, 'ticket'], updated);
      void client.invalidateQueries({ queryKey: ['ticket', ticket.id] });
      void client.invalidateQueries({ queryKey: ['tickets'] });
    } catch (error) {
      setErrors((current) => ({ ...current, [field]: error }));
    }
  };
  return (
    <Stack gap="sm" data-testid="properties">
      <Property error={errors.status}>
        <Select label="Status" data={(statuses.data ?? []).map((status) => ({ value: status.key, label: status.label }))} value={ticket.status} onChange={(value) => value && void change('status', { status: value })} allowDeselect={false} />
      </Property>
      <Property error={errors.priority}>
        <Select label="Priority" data={['urgent', 'high', 'normal', 'low']} value={ticket.priority} onChange={(value) => value && void change('priority', { priority: value })} allowDeselect={false} />
      </Property>
      <Property error={errors.assigneeId}>
        <Select label="Assignee" data-testid="assignee-select" placeholder="Unassigned" clearable searchable data={(staff.data ?? []).filter((member) => member.isActive || member.id === ticket.assigneeId).map((member) => ({ value: member.id, label: member.name }))} value={ticket.assigneeId} onChange={(value) => void change('assigneeId', { assigneeId: value ?? null })} />
      </Property>
      <Property error={errors.teamId}>
        <Select label="Team" placeholder="No team" clearable data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))} value={ticket.teamId} onChange={(value) => void change('teamId', { teamId: value ?? null })} />
      </Property>
      <Property error={errors.type}>
        <Select label="Type" placeholder="No type" clearable data={(types.data ?? []).map((type) => ({ value: type.key, label: type.label }))} value={ticket.type} onChange={(value) => void change('type', { type: value ?? null })} />
      </Property>
      <Property error={errors.tags}>
        <TagsInput label="Tags" value={tags} onChange={(value) => { setTags(value); void change('tags', { tags: value }); }} clearable />
      </Property>
      {Object.keys(ticket.customFields).length > 0 ? (
        <div>
          <Text size="sm" fw={500}>Custom fields</Text>
          {Object.entries(ticket.customFields).map(([key, value]) => (
            <Text size="sm" key={key}><Text span c="dimmed">{key}: </Text>{String(value)}</Text>
          ))}
        </div>
      ) : null}
    </Stack>
  );
}

export default function TicketPage() {
  const { ticketId = '' } = useParams();
  const navigate = useNavigate();
  const { data: session } = useSession();
  const staff = useStaff();
  const statuses = useStatuses();
  const client = useQueryClient();
  const dark = useComputedColorScheme('light') === 'dark';
  const wide = useMediaQuery('(min-width: 62em)');
  const [mode, setMode] = useState<ComposerMode>('reply');
  const [actionError, setActionError] = useState<unknown>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  useViewing(ticketId);
  const viewers = useViewers(ticketId);

  const ticket = useQuery({ queryKey: ['ticket', ticketId, 'ticket'], queryFn: () => get<Ticket>(`/api/v1/tickets/${ticketId}`) });
  const messages = useQuery({ queryKey: ['ticket', ticketId, 'messages'], queryFn: () => get<{ items: Message[] }>(`/api/v1/tickets/${ticketId}/messages`).then((page) => page.items) });
  const events = useQuery({ queryKey: ['ticket', ticketId, 'events'], queryFn: () => get<{ items: TicketEvent[] }>(`/api/v1/tickets/${ticketId}/events`).then((page) => page.items) });
  const names = useMemo(() => new Map((staff.data ?? []).map((member) => [member.id, member.name])), [staff.data]);

  const entries = useMemo<Entry[]>(() => {
    const list: Entry[] = [...(messages.data ?? []).map((message) => ({ at: message.createdAt, message })), ...(events.data ?? []).map((event) => ({ at: event.createdAt, event }))];
    // "Created the ticket" is written in the same moment as the first message but belongs above it.
    const rank = (entry: Entry) => ('event' in entry && entry.event.type === 'ticket.created' ? 0 : 1);
    return list.sort((a, b) => a.at.slice(0, 19).localeCompare(b.at.slice(0, 19)) || rank(a) - rank(b) || a.at.localeCompare(b.at));
  }, [messages.data, events.data]);

  const focusComposer = (next: ComposerMode) => {
    setMode(next);
    setTimeout(() => textareaRef.current?.focus(), 0);
  };
  const quickChange = async (body: Record<string, unknown>) => {
    setActionError(null);
    try {
      await patch(`/api/v1/tickets/${ticketId}`, body);
      void client.invalidateQueries({ queryKey: ['ticket', ticketId] });
      void client.invalidateQueries({ queryKey: ['tickets'] });
    } catch (error) {
      setActionError(error);
    }
  };
  const solvedKey = statuses.data?.find((status) => status.category === 'solved')?.key ?? 'solved';
  useHotkeys([
    ['r', () => focusComposer('reply')],
    ['n', () => focusComposer('note')],
    ['a', () => session?.workspace && void quickChange({ assigneeId: session.workspace.staffId })],
    ['s', () => void quickChange({ status: solvedKey })],
    ['j', () => { const next = neighbourOf(ticketId, 1); if (next) navigate(`/tickets/${next}`); }],
    ['k', () => { const previous = neighbourOf(ticketId, -1); if (previous) navigate(`/tickets/${previous}`); }],
  ]);

  if (ticket.error) return <Box p="md"><ErrorText error={ticket.error} /></Box>;
  if (!ticket.data) return <Text p="md" c="dimmed">Loading the ticket…</Text>;
  const current = ticket.data;
  const authorOf = (message: Message) => (message.authorType === 'customer' ? current.customer?.name ?? 'Customer' : message.authorType === 'system' ? 'Raving' : names.get(message.authorId ?? '') ?? 'Staff');

  const conversation = (
    <Stack gap="sm" p="md" data-testid="conversation">
      {entries.map((entry) =>
        'message' in entry ? (
          <MessageCard key={`m-${entry.message.id}`} message={entry.message} author={authorOf(entry.message)} dark={dark} />
        ) : (
          (() => {
            const text = describeEvent(entry.event, names);
            return text ? (
              <Text key={`e-${entry.event.id}`} className="timeline-event" data-testid="timeline-event">
                {text} · <time dateTime={entry.event.createdAt}>{dateTime(entry.event.createdAt)}</time>
              </Text>
            ) : null;
          })()
        ),
      )}
      <ErrorText error={messages.error ?? events.error} />
      <Composer ticket={current} mode={mode} setMode={setMode} textareaRef={textareaRef} />
    </Stack>
  );

  const side = (
    <Stack gap="md" p="md" className="ticket-side" style={wide ? { borderLeft: '1px solid var(--mantine-color-default-border)', width: 300, flexShrink: 0, overflow: 'auto' } : undefined}>
      {current.customer ? (
        <Paper withBorder p="sm">
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>Customer</Text>
          <Anchor component={Link} to={`/customers/${current.customer.id}`} fw={600} data-testid="customer-link">{current.customer.name}</Anchor>
          {current.customer.email ? <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>{current.customer.email}</Text> : null}
        </Paper>
      ) : null}
      <PropertiesPanel ticket={current} />
      <TicketChecklists ticketId={current.id} />
      {current.customer ? <CustomerValueCard customerId={current.customer.id} ticketId={current.id} /> : null}
      <TicketMomentsPanel ticketId={current.id} />
    </Stack>
  );

  return (
    <Stack gap={0} style={{ flex: 1, minHeight: 0 }}>
      <Box px="md" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap="xs" wrap="wrap" style={{ minWidth: 0 }}>
            <Text c="dimmed" size="sm">#{current.number}</Text>
            <Title order={1} size="h3" style={{ overflowWrap: 'anywhere' }} data-testid="ticket-subject">{current.subject}</Title>
            <StatusBadge status={current.status} category={current.statusCategory} />
            <PriorityBadge priority={current.priority} />
          </Group>
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={() => session?.workspace && void quickChange({ assigneeId: session.workspace.staffId })} disabled={current.assigneeId === session?.workspace?.staffId}>
              Assign to me
            </Button>
            <Button size="xs" variant="filled" onClick={() => void quickChange({ status: solvedKey })} disabled={current.statusCategory === 'solved'} data-testid="solve">
              Solve
            </Button>
          </Group>
        </Group>
        <ErrorText error={actionError} inline />
        <Group mt={4} gap="sm" wrap="wrap">
          <TicketSlaBadges ticketId={current.id} />
          <PresenceBar viewers={viewers} selfStaffId={session?.workspace?.staffId} />
        </Group>
      </Box>
      {wide ? (
        <div style={{ display: 'flex', flex: 1, minHeight: 0 }}>
          <ScrollArea style={{ flex: 1 }} type="auto">{conversation}</ScrollArea>
          {side}
        </div>
      ) : (
        <div style={{ flex: 1, overflow: 'auto' }}>
          {conversation}
          {side}
        </div>
      )}
    </Stack>
  );
}
