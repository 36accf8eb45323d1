import { Badge, Button, Checkbox, Group, Paper, Select, Stack, Text, TextInput, Timeline, Title } from '@mantine/core';
import { useState } from 'react';
import { useStaff } from '../../app/session';
import { ErrorText } from '../../ui/ErrorText';
import { useRecordRootCause, useRecoveryAction, useTicketFeelings, useTicketMoments, useTicketRecoveries, type Recovery } from './recovery.api';

const kindColor = { truth: 'gray', misery: 'red', magic: 'teal' } as const;
const ruleLabel = (rule: string) => rule.replace(/_/g, ' ');

function RootCauseForm({ ticketId, recovery }: { ticketId: string; recovery: Recovery }) {
  const record = useRecordRootCause(ticketId);
  const [category, setCategory] = useState('');
  const [whatFailed, setWhatFailed] = useState('');
  const [action, setAction] = useState('');
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [due, setDue] = useState('');
  const staff = useStaff();
  // A due date is the end of that day in the agent's own time zone.
  const dueAt = due ? new Date(`${due}T23:59:59`).toISOString() : null;
  return (
    <Stack gap={4}>
      <TextInput size="xs" label="Cause category" value={category} onChange={(event) => setCategory(event.currentTarget.value)} />
      <TextInput size="xs" label="What failed" value={whatFailed} onChange={(event) => setWhatFailed(event.currentTarget.value)} />
      <TextInput size="xs" label="Preventive action" value={action} onChange={(event) => setAction(event.currentTarget.value)} />
      {action.trim() ? (
        <Group gap="xs" grow>
          <Select size="xs" label="Owner" placeholder="Nobody yet" clearable data={(staff.data ?? []).map((member) => ({ value: member.id, label: member.name }))} value={ownerId} onChange={setOwnerId} />
          <TextInput size="xs" type="date" label="Due" value={due} onChange={(event) => setDue(event.currentTarget.value)} />
        </Group>
      ) : null}
      <Button size="xs" disabled={!category.trim() || !whatFailed.trim()} loading={record.isPending} onClick={() => record.mutate({ recoveryId: recovery.id, category, whatFailed, preventiveAction: action.trim() ? { description: action, ownerId, dueAt } : undefined })}>
        Record root cause
      </Button>
      <ErrorText error={record.error} />
    </Stack>
  );
}

/** The recovery playbook on the ticket: steps to tick, the remedy suggested by lifetime value, the outcome. */
function RecoveryPanel({ ticketId, recovery }: { ticketId: string; recovery: Recovery }) {
  const act = useRecoveryAction(ticketId);
  const isOpen = recovery.status === 'open';
  return (
    <Paper withBorder p="sm" data-testid="recovery-panel">
      <Group justify="space-between">
        <Title order={5}>Recovery</Title>
        <Badge color={recovery.outcome === 'recovered' ? 'teal' : recovery.status === 'closed' ? 'gray' : 'orange'}>{recovery.outcome ? ruleLabel(recovery.outcome) : recovery.status}</Badge>
      </Group>
      <Text size="xs" c="dimmed">
        Suggested remedy: {recovery.suggestedRemedy.type} {recovery.suggestedRemedy.value} ({recovery.suggestedRemedy.reason})
      </Text>
      {recovery.status === 'proposed' ? (
        <Group gap="xs" mt="xs">
          <Button size="xs" onClick={() => act.mutate({ recoveryId: recovery.id, kind: 'accept' })}>Start recovery</Button>
          <Button size="xs" variant="default" onClick={() => act.mutate({ recoveryId: recovery.id, kind: 'dismiss' })}>Dismiss</Button>
        </Group>
      ) : null}
      <Stack gap={4} mt="xs">
        {recovery.steps.map((step) => (
          <Checkbox key={step.key} size="xs" label={step.label} checked={step.done} disabled={!isOpen || act.isPending} onChange={(event) => act.mutate({ recoveryId: recovery.id, kind: 'step', key: step.key, done: event.currentTarget.checked })} />
        ))}
      </Stack>
      {recovery.followUpAt ? <Text size="xs" mt={4}>Follow-up on {new Date(recovery.followUpAt).toLocaleDateString()}</Text> : null}
      {isOpen && !recovery.steps.find((step) => step.key === 'root_cause')?.done ? <RootCauseForm ticketId={ticketId} recovery={recovery} /> : null}
      {isOpen ? (
        <Group gap="xs" mt="xs">
          <Button size="xs" color="teal" onClick={() => act.mutate({ recoveryId: recovery.id, kind: 'close', outcome: 'recovered' })}>Recovered</Button>
          <Button size="xs" variant="default" onClick={() => act.mutate({ recoveryId: recovery.id, kind: 'close', outcome: 'not_recovered' })}>Not recovered</Button>
        </Group>
      ) : null}
      <ErrorText error={act.error} />
    </Paper>
  );
}

/** How the customer feels, the ticket's moments of misery and magic, and its recovery; mounted on the ticket page. */
export function TicketMomentsPanel({ ticketId }: { ticketId: string }) {
  const feelings = useTicketFeelings(ticketId);
  const moments = useTicketMoments(ticketId);
  const recoveries = useTicketRecoveries(ticketId);
  const latest = feelings.data?.latest;
  const notable = (moments.data ?? []).filter((moment) => moment.kind !== 'truth');
  return (
    <Stack gap="sm" data-testid="moments-panel">
      {latest ? (
        <Paper withBorder p="sm">
          <Group gap="xs">
            <Text size="sm" fw={600}>Agitation</Text>
            <Badge color={latest.agitation >= 0.6 ? 'red' : latest.agitation >= 0.3 ? 'orange' : 'gray'}>{Math.round(latest.agitation * 100)}%</Badge>
            <Text size="xs" c="dimmed">{latest.trend.agitation > 0 ? 'rising' : latest.trend.agitation < 0 ? 'easing' : 'steady'}</Text>
          </Group>
          {latest.reasons.length > 0 ? <Text size="xs">{latest.reasons.join(', ')}</Text> : null}
        </Paper>
      ) : null}
      {(recoveries.data ?? []).filter((recovery) => recovery.status !== 'dismissed').slice(0, 1).map((recovery) => <RecoveryPanel key={recovery.id} ticketId={ticketId} recovery={recovery} />)}
      <Paper withBorder p="sm">
        <Title order={5}>Moments</Title>
        {notable.length === 0 ? <Text size="xs" c="dimmed">No misery or magic yet ({moments.data?.length ?? 0} moments of truth).</Text> : null}
        <Timeline bulletSize={10} lineWidth={2} mt="xs">
          {notable.map((moment) => (
            <Timeline.Item key={moment.id} color={kindColor[moment.kind]} title={<Text size="xs" fw={600}>{ruleLabel(moment.rule)}</Text>}>
              <Text size="xs" c="dimmed">{moment.kind} · {new Date(moment.occurredAt).toLocaleString()}</Text>
            </Timeline.Item>
          ))}
        </Timeline>
      </Paper>
    </Stack>
  );
}
