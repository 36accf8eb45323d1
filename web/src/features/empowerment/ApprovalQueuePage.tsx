import { useEffect, useState } from 'react';
import { Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { realtime } from '../../app/realtime';
import { useStaff } from '../../app/session';
import { ErrorText } from '../../ui/ErrorText';
import { ago, money } from '../../ui/format';
import { useApprovals, useDecide, type QueuedApproval } from './empowerment.api';

/** Keeps the queue current: a request made or decided anywhere refreshes it at once. */
function useApprovalEvents(): void {
  const client = useQueryClient();
  useEffect(() => realtime.onEvent((event) => {
    if (event.type.startsWith('approval.') || event.type === 'reconnected') void client.invalidateQueries({ queryKey: ['approvals'] });
  }), [client]);
}

function ApprovalCard({ approval }: { approval: QueuedApproval }) {
  const [reason, setReason] = useState('');
  const decide = useDecide();
  const { remedy, ticket, customer } = approval;
  const waited = ago(approval.createdAt);
  const requester = useStaff().data?.find((member) => member.id === approval.requestedBy)?.name;
  const act = (decision: 'approve' | 'deny') => decide.mutate({ id: approval.id, decision, reason: reason.trim() });
  return (
    <Card withBorder padding="md" data-testid="approval-card" aria-label={`Exception request for ticket ${ticket.number}`}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4}>
          <Text fw={600}>
            {remedy.type === 'custom' ? remedy.label : remedy.type[0]!.toUpperCase() + remedy.type.slice(1)} · {money(remedy.value)}
          </Text>
          <Text size="sm">
            <Link to={`/tickets/${ticket.id}`}>#{ticket.number} {ticket.subject}</Link>
          </Text>
          <Group gap={6}>
            <Text size="sm" c="dimmed">{customer.name}</Text>
            {customer.tier === 'best' ? <Badge color="yellow" size="sm">Best customer</Badge> : null}
            <Text size="sm" c="dimmed">LTV {money(customer.lifetimeValue)}</Text>
          </Group>
          {requester ? <Text size="sm">Asked by {requester}</Text> : null}
          {remedy.note ? <Text size="sm">Note: {remedy.note}</Text> : null}
          {approval.requestReason ? <Text size="sm">Why: {approval.requestReason}</Text> : null}
          {approval.heldReply ? (
            <Text size="sm" data-testid="held-reply">
              Reply sent to the customer on approval: <Text span fs="italic">“{approval.heldReply.text.length > 300 ? `${approval.heldReply.text.slice(0, 300)}…` : approval.heldReply.text}”</Text>
            </Text>
          ) : null}
        </Stack>
        <Text size="xs" c="dimmed">{waited === 'now' ? 'just now' : `waiting ${waited}`}</Text>
      </Group>
      <Group mt="sm" align="flex-end" wrap="wrap">
        <TextInput label="Reason (the agent sees it)" value={reason} onChange={(event) => setReason(event.currentTarget.value)} style={{ flex: 1, minWidth: 220 }} required />
        <Button color="green" disabled={!reason.trim()} loading={decide.isPending && decide.variables?.decision === 'approve'} onClick={() => act('approve')}>
          Approve
        </Button>
        <Button color="red" variant="light" disabled={!reason.trim()} loading={decide.isPending && decide.variables?.decision === 'deny'} onClick={() => act('deny')}>
          Deny
        </Button>
      </Group>
      <ErrorText error={decide.error} inline />
    </Card>
  );
}

/** The manager's queue of exceptions: only what agents could not decide alone. */
export function ApprovalQueuePage() {
  useApprovalEvents();
  const { data, error, isLoading } = useApprovals('pending');
  return (
    <Stack p="md" gap="md" maw={900}>
      <Title order={2}>Approvals</Title>
      <Text c="dimmed" size="sm">Remedies above an agent&apos;s empowerment limit wait here. Decide with one click and a reason; the agent and the ticket are told at once.</Text>
      <ErrorText error={error} />
      {isLoading ? <Text>Loading…</Text> : null}
      {data && data.length === 0 ? <Text data-testid="approvals-empty">Nothing waits for you: your agents are deciding alone.</Text> : null}
      {data?.map((approval) => <ApprovalCard key={approval.id} approval={approval} />)}
    </Stack>
  );
}
