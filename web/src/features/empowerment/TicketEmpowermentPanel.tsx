import { useState } from 'react';
import { Alert, Badge, Button, Card, CopyButton, Group, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { ErrorText } from '../../ui/ErrorText';
import { dateTime, money } from '../../ui/format';
import {
  remedyTypes,
  useCreateCommitment,
  useEscalate,
  useGrantRemedy,
  useKeepCommitment,
  useLimits,
  useSuggestions,
  useTicketCommitments,
  useTicketRemedies,
  type GrantResult,
  type OverpromiseWarning,
  type Remedy,
  type RemedyType,
} from './empowerment.api';

const statusColor = { granted: 'green', pending: 'yellow', denied: 'red', open: 'blue', kept: 'green', broken: 'red' } as const;

/**
 * Remedy and promise controls for the ticket page. Give it the composer's text as `replyText` and
 * the remedy is granted in the same action as the reply ("Grant and send").
 */
export function TicketEmpowermentPanel({ ticketId, replyText = '', onReplySent }: { ticketId: string; replyText?: string; onReplySent?(): void }) {
  return (
    <Stack gap="sm">
      <RemedyControls ticketId={ticketId} replyText={replyText} onReplySent={onReplySent} />
      <CommitmentControls ticketId={ticketId} replyText={replyText} />
      <EscalateControl ticketId={ticketId} />
    </Stack>
  );
}

function RemedyControls({ ticketId, replyText, onReplySent }: { ticketId: string; replyText: string; onReplySent?(): void }) {
  const [type, setType] = useState<RemedyType>('refund');
  const [value, setValue] = useState<number | string>('');
  const [note, setNote] = useState('');
  const [label, setLabel] = useState('');
  const [result, setResult] = useState<GrantResult | null>(null);
  const limits = useLimits(ticketId);
  const remedies = useTicketRemedies(ticketId);
  const grant = useGrantRemedy(ticketId);
  const amount = typeof value === 'number' ? value : Number(value);
  // Once a manager decides, the "sent for approval" notice is history: the list below shows the decision.
  const isDecided = result?.outcome === 'approval_requested' && remedies.data?.some((remedy) => remedy.id === result.remedy.id && remedy.status !== 'pending');
  const isOverLimit = limits.data?.perRemedy !== null && limits.data !== undefined && amount > (limits.data.perRemedy ?? Infinity);

  const submit = async (withReply: boolean) => {
    const granted = await grant.mutateAsync({ type, value: amount, note, ...(type === 'custom' ? { label } : {}), ...(withReply && replyText.trim() ? { reply: { text: replyText } } : {}) });
    setResult(granted);
    setValue('');
    setNote('');
    // Granted: the reply went out. Asked for approval: the reply waits with the request. Either way
    // the composer is done with it.
    if (withReply) onReplySent?.();
  };

  return (
    <Card withBorder padding="sm" aria-label="Remedies">
      <Group justify="space-between">
        <Text fw={600}>Remedy</Text>
        {limits.data ? (
          <Text size="xs" c="dimmed" data-testid="remedy-limit">
            Your limit {limits.data.perRemedy === null ? 'none' : money(limits.data.perRemedy)}
            {limits.data.isBestCustomer ? ` (×${limits.data.factor} best customer)` : ''} · used {money(limits.data.usedThisMonth)}
            {limits.data.perMonth === null ? '' : ` of ${money(limits.data.perMonth)}`} this month
          </Text>
        ) : null}
      </Group>
      <Group mt="xs" align="flex-end" wrap="wrap">
        <Select label="Type" data={remedyTypes.map((item) => ({ value: item, label: item[0]!.toUpperCase() + item.slice(1) }))} value={type} onChange={(next) => next && setType(next as RemedyType)} allowDeselect={false} w={150} />
        {type === 'custom' ? <TextInput label="Name" value={label} onChange={(event) => setLabel(event.currentTarget.value)} w={150} /> : null}
        <NumberInput label="Value" min={0} value={value} onChange={setValue} w={120} />
        <TextInput label="Note" value={note} onChange={(event) => setNote(event.currentTarget.value)} style={{ flex: 1, minWidth: 160 }} />
      </Group>
      {isOverLimit ? <Text size="xs" c="orange.8" mt={4}>Above your limit: this goes to a manager for approval.</Text> : null}
      <Group mt="xs">
        <Button size="xs" disabled={!(amount > 0)} loading={grant.isPending} onClick={() => void submit(false)}>
          {isOverLimit ? 'Ask a manager' : 'Grant'}
        </Button>
        {replyText.trim() ? (
          <Button size="xs" variant="light" disabled={!(amount > 0)} loading={grant.isPending} onClick={() => void submit(true)} data-testid="grant-and-send">
            {isOverLimit ? 'Ask a manager, reply when approved' : 'Grant and send reply'}
          </Button>
        ) : null}
      </Group>
      <ErrorText error={grant.error} inline />
      {result && !isDecided ? (
        <Alert mt="xs" color={result.outcome === 'granted' ? 'green' : 'yellow'} variant="light" role="status">
          {result.outcome === 'granted'
            ? `Granted: ${result.remedy.type} ${money(result.remedy.value)}.`
            : result.remedy.approval?.heldReply
              ? 'Sent to a manager for approval with your reply; the reply goes out when it is approved.'
              : 'Sent to a manager for approval; you will see the decision here.'}
        </Alert>
      ) : null}
      <Stack gap={4} mt="xs" data-testid="remedy-list">
        {remedies.data?.map((remedy) => (
          <Group key={remedy.id} gap="xs">
            <Badge color={statusColor[remedy.status]} variant="light">{remedy.status === 'pending' ? 'awaiting approval' : remedy.status}</Badge>
            <Text size="sm">
              {remedy.type === 'custom' ? remedy.label : remedy.type} {money(remedy.value)}
              {remedy.note ? ` · ${remedy.note}` : ''}
            </Text>
            {remedy.approval?.decisionReason ? <Text size="xs" c="dimmed">“{remedy.approval.decisionReason}”</Text> : null}
            {remedy.approval?.heldReply ? <HeldReply reply={remedy.approval.heldReply} /> : null}
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

const heldReplyLabel = { held: 'reply waits for approval', sent: 'reply sent on approval', returned: 'reply not sent' } as const;

/** A reply that waited with an exception request; when it could not go out, its writer can copy it back. */
function HeldReply({ reply }: { reply: NonNullable<NonNullable<Remedy['approval']>['heldReply']> }) {
  return (
    <Group gap={4}>
      <Badge size="xs" variant="outline" color={reply.state === 'returned' ? 'orange' : 'gray'}>{heldReplyLabel[reply.state]}</Badge>
      {reply.state === 'returned' ? (
        <CopyButton value={reply.text}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="subtle" onClick={copy}>
              {copied ? 'Copied' : 'Copy the reply'}
            </Button>
          )}
        </CopyButton>
      ) : null}
    </Group>
  );
}

/** The explicit "escalate to manager", with a reason: counted, because the goal is to need it rarely. */
function EscalateControl({ ticketId }: { ticketId: string }) {
  const [reason, setReason] = useState('');
  const [isDone, setDone] = useState(false);
  const escalate = useEscalate(ticketId);
  return (
    <Card withBorder padding="sm" aria-label="Escalate">
      <Group align="flex-end" wrap="wrap">
        <TextInput label="Escalate to a manager" placeholder="Why a manager is needed" value={reason} onChange={(event) => { setReason(event.currentTarget.value); setDone(false); }} style={{ flex: 1, minWidth: 220 }} />
        <Button size="xs" variant="light" color="orange" disabled={!reason.trim()} loading={escalate.isPending} onClick={() => escalate.mutate(reason.trim(), { onSuccess: () => { setReason(''); setDone(true); } })}>
          Escalate
        </Button>
      </Group>
      <ErrorText error={escalate.error} inline />
      {isDone ? <Text size="xs" c="dimmed" role="status" mt={4}>Escalated: a manager has been asked to step in.</Text> : null}
    </Card>
  );
}

function CommitmentControls({ ticketId, replyText }: { ticketId: string; replyText: string }) {
  const [description, setDescription] = useState('');
  const [due, setDue] = useState('');
  const [warnings, setWarnings] = useState<OverpromiseWarning[]>([]);
  const commitments = useTicketCommitments(ticketId);
  const suggestions = useSuggestions(replyText);
  const create = useCreateCommitment(ticketId);
  const keep = useKeepCommitment(ticketId);

  const record = async (input: { description: string; dueAt: string }) => {
    const created = await create.mutateAsync(input);
    setWarnings(created.warnings);
    setDescription('');
    setDue('');
  };

  return (
    <Card withBorder padding="sm" aria-label="Promises">
      <Text fw={600}>Promises</Text>
      {suggestions.data?.map((suggestion) => (
        <Group key={`${suggestion.phrase}-${suggestion.dueAt}`} gap="xs" mt={4}>
          <Text size="sm">
            “{suggestion.sentence}” — due {dateTime(suggestion.dueAt)}
          </Text>
          <Button size="compact-xs" variant="light" onClick={() => void record({ description: suggestion.sentence.slice(0, 500), dueAt: suggestion.dueAt })}>
            Track this promise
          </Button>
        </Group>
      ))}
      <Group mt="xs" align="flex-end" wrap="wrap">
        <TextInput label="Promise" placeholder="Refund within 3 days" value={description} onChange={(event) => setDescription(event.currentTarget.value)} style={{ flex: 1, minWidth: 180 }} />
        <TextInput type="datetime-local" label="Due" value={due} onChange={(event) => setDue(event.currentTarget.value)} />
        <Button size="xs" disabled={!description.trim() || !due} loading={create.isPending} onClick={() => void record({ description, dueAt: new Date(due).toISOString() })}>
          Record
        </Button>
      </Group>
      <ErrorText error={create.error ?? keep.error} inline />
      {warnings.map((warning) => (
        <Text key={warning.code} size="xs" c="orange.8" role="alert">
          {warning.message}
        </Text>
      ))}
      <Stack gap={4} mt="xs">
        {commitments.data?.map((commitment) => (
          <Group key={commitment.id} gap="xs">
            <Badge color={statusColor[commitment.status]} variant="light">{commitment.isKeptEarly ? 'kept early' : commitment.status}</Badge>
            <Text size="sm">{commitment.description}</Text>
            <Text size="xs" c="dimmed">due {dateTime(commitment.dueAt)}</Text>
            {commitment.status === 'open' ? (
              <Button size="compact-xs" variant="subtle" onClick={() => keep.mutate(commitment.id)}>
                Kept
              </Button>
            ) : null}
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
