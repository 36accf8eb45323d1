import { useState, type FormEvent } from 'react';
import { Button, Group, MultiSelect, NumberInput, Paper, Select, Stack, Switch, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { patch } from '../../app/api';
import { ErrorText } from '../../ui/ErrorText';
import { FormButtons, MoveButtons } from './SettingsControls';
import { errorAt, otherError, reorder, useCalendars, useSlaPolicies, type SlaPolicy, type SlaPolicyBody } from './settings.api';
import { TableScroll } from '../../ui/TableScroll';

type Minutes = string | number;
interface Draft {
  name: string;
  priorities: string[];
  tiers: string[];
  channels: string[];
  tags: string[];
  firstResponse: Minutes;
  nextResponse: Minutes;
  resolution: Minutes;
  warningPercent: Minutes;
  calendarId: string | null;
}

const emptyDraft: Draft = { name: '', priorities: [], tiers: [], channels: [], tags: [], firstResponse: 60, nextResponse: '', resolution: 480, warningPercent: 80, calendarId: null };

// An empty target box means "no target for this", which the API spells null.
const orNull = (value: Minutes) => (typeof value === 'number' && value > 0 ? value : null);
const shown = (value: number | null) => value ?? '';

function draftOf(policy: SlaPolicy): Draft {
  const { conditions, targets } = policy;
  return { name: policy.name, priorities: conditions.priorities ?? [], tiers: conditions.tiers ?? [], channels: conditions.channels ?? [], tags: conditions.tags ?? [], firstResponse: shown(targets.firstResponse), nextResponse: shown(targets.nextResponse), resolution: shown(targets.resolution), warningPercent: policy.warningPercent, calendarId: policy.calendarId };
}

function bodyOf(draft: Draft): Omit<SlaPolicyBody, 'isActive'> {
  const conditions = Object.fromEntries(Object.entries({ priorities: draft.priorities, tiers: draft.tiers, channels: draft.channels, tags: draft.tags }).filter(([, list]) => list.length > 0));
  return { name: draft.name, conditions, targets: { firstResponse: orNull(draft.firstResponse), nextResponse: orNull(draft.nextResponse), resolution: orNull(draft.resolution) }, warningPercent: typeof draft.warningPercent === 'number' ? draft.warningPercent : 80, calendarId: draft.calendarId };
}

function describeWhen(conditions: SlaPolicy['conditions']): string {
  const parts = [
    conditions.priorities?.length ? `priority ${conditions.priorities.join(' or ')}` : null,
    conditions.tiers?.length ? `tier ${conditions.tiers.join(' or ')}` : null,
    conditions.channels?.length ? `channel ${conditions.channels.join(' or ')}` : null,
    conditions.tags?.length ? `tagged ${conditions.tags.join(' or ')}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'every ticket';
}

const target = (minutes: number | null) => (minutes === null ? '–' : minutes >= 120 && minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`);
const fields = ['name', 'conditions', 'targets', 'warningPercent', 'calendarId'];

/** SLA policies: tried in order, the first whose conditions match applies; targets in business minutes. */
export function SlaPoliciesPage() {
  const { list, save, remove, arrange } = useSlaPolicies();
  const calendars = useCalendars().list;
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const policies = list.data ?? [];
  const error = save.error;
  const calendarName = (id: string | null) => (id ? calendars.data?.find((calendar) => calendar.id === id)?.name ?? 'A deleted calendar' : 'Team or workspace hours');
  const reset = () => {
    setEditing(null);
    setDraft(emptyDraft);
    save.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ id: editing, body: bodyOf(draft) }, { onSuccess: reset });
  };
  const move = (from: number, to: number) => arrange.mutate(() => reorder(policies, from, to, '/api/v1/sla-policies'));

  return (
    <Stack>
      <Title order={2} size="h3">SLA policies</Title>
      <Text size="sm" c="dimmed">Policies are tried top to bottom; the first whose conditions match a ticket sets its targets. Time is counted in business hours and stops while the ticket waits on the customer.</Text>
      <ErrorText error={list.error ?? arrange.error} />
      {policies.length ? (
        <TableScroll label="SLA policies">
          <Table miw={640} aria-label="SLA policies" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Order</Table.Th>
                <Table.Th>Policy</Table.Th>
                <Table.Th>First response</Table.Th>
                <Table.Th>Next response</Table.Th>
                <Table.Th>Resolution</Table.Th>
                <Table.Th>Enabled</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {policies.map((policy, index) => (
                <Table.Tr key={policy.id} data-testid="sla-policy-row">
                  <Table.Td w={80}>
                    <MoveButtons name={policy.name} index={index} count={policies.length} onMove={move} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600}>{policy.name}</Text>
                    <Text size="xs" c="dimmed">For {describeWhen(policy.conditions)} · {calendarName(policy.calendarId)} · warns at {policy.warningPercent}%</Text>
                  </Table.Td>
                  <Table.Td>{target(policy.targets.firstResponse)}</Table.Td>
                  <Table.Td>{target(policy.targets.nextResponse)}</Table.Td>
                  <Table.Td>{target(policy.targets.resolution)}</Table.Td>
                  <Table.Td>
                    <Switch aria-label={`${policy.name} enabled`} checked={policy.isActive} onChange={(event) => { const isActive = event.currentTarget.checked; arrange.mutate(() => patch(`/api/v1/sla-policies/${policy.id}`, { isActive })); }} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <Button size="compact-sm" variant="subtle" onClick={() => { setEditing(policy.id); setDraft(draftOf(policy)); save.reset(); }}>Edit</Button>
                      <Button size="compact-sm" variant="subtle" color="red" onClick={() => remove.mutate(policy.id)}>Delete</Button>
                    </Group>
                    {remove.variables === policy.id ? <ErrorText error={remove.error} inline /> : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      ) : list.isSuccess ? (
        <Text c="dimmed">No policies yet: tickets have no targets.</Text>
      ) : null}

      <Paper withBorder p="md">
        <form onSubmit={submit} noValidate aria-label={editing ? 'Edit policy' : 'New policy'}>
          <Stack gap="sm">
            <Title order={3} size="h5">{editing ? 'Edit policy' : 'New policy'}</Title>
            <Group grow align="flex-start">
              <TextInput label="Name" placeholder="Urgent tickets" value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.currentTarget.value })} error={errorAt(error, 'name')} />
              <Select label="Business hours" data={[{ value: '', label: "The ticket's team, else the workspace" }, ...(calendars.data ?? []).map((calendar) => ({ value: calendar.id, label: calendar.name }))]} value={draft.calendarId ?? ''} onChange={(value) => setDraft({ ...draft, calendarId: value || null })} allowDeselect={false} error={errorAt(error, 'calendarId')} />
            </Group>
            <Text fw={500} size="sm">Applies when (leave empty for every ticket)</Text>
            <Group grow align="flex-start">
              <MultiSelect label="Priority is" data={['low', 'normal', 'high', 'urgent']} value={draft.priorities} onChange={(priorities) => setDraft({ ...draft, priorities })} error={errorAt(error, 'conditions.priorities')} />
              <TagsInput label="Customer tier is" value={draft.tiers} onChange={(tiers) => setDraft({ ...draft, tiers })} error={errorAt(error, 'conditions.tiers')} />
            </Group>
            <Group grow align="flex-start">
              <TagsInput label="Channel is" placeholder="email, chat…" value={draft.channels} onChange={(channels) => setDraft({ ...draft, channels })} error={errorAt(error, 'conditions.channels')} />
              <TagsInput label="Tagged with any of" value={draft.tags} onChange={(tags) => setDraft({ ...draft, tags })} error={errorAt(error, 'conditions.tags')} />
            </Group>
            <Text fw={500} size="sm">Targets, in business minutes (leave one empty for no target)</Text>
            <Group grow align="flex-start">
              <NumberInput label="First response" min={1} value={draft.firstResponse} onChange={(firstResponse) => setDraft({ ...draft, firstResponse })} error={errorAt(error, 'targets.firstResponse')} />
              <NumberInput label="Next response" min={1} value={draft.nextResponse} onChange={(nextResponse) => setDraft({ ...draft, nextResponse })} error={errorAt(error, 'targets.nextResponse')} />
              <NumberInput label="Resolution" min={1} value={draft.resolution} onChange={(resolution) => setDraft({ ...draft, resolution })} error={errorAt(error, 'targets.resolution')} />
              <NumberInput label="Warn at (% of target)" min={1} max={99} value={draft.warningPercent} onChange={(warningPercent) => setDraft({ ...draft, warningPercent })} error={errorAt(error, 'warningPercent')} />
            </Group>
            <ErrorText error={otherError(error, fields)} inline />
            <FormButtons noun="policy" editing={Boolean(editing)} saving={save.isPending} onCancel={reset} />
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
