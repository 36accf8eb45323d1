import { useState } from 'react';
import { Button, Checkbox, Group, NumberInput, Radio, Stack, Switch, Table, TagsInput, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { put } from '../../app/api';
import { useStaff } from '../../app/session';
import type { Staff } from '../../app/types';
import { ErrorText } from '../../ui/ErrorText';
import { errorAt, otherError, useRouting, type Availability, type RoutingMethod } from './settings.api';
import { TableScroll } from '../../ui/TableScroll';

const methods: Array<{ value: RoutingMethod; label: string; description: string }> = [
  { value: 'off', label: 'Off', description: 'New tickets wait in the inbox until someone takes them.' },
  { value: 'round_robin', label: 'Round robin', description: 'Each new ticket goes to the next available agent in turn.' },
  { value: 'load', label: 'By load', description: 'Each new ticket goes to the available agent with the smallest share of their capacity in use.' },
  { value: 'skills', label: 'By skills', description: "Each new ticket goes to the available agent whose skills meet most of its needs (the customer's language, the ticket's product, the customer's tier), the least loaded first." },
];

// Agents who never set their availability are away: routing only gives tickets to people who said they are here.
const defaults = (staffId: string): Availability => ({ staffId, available: false, capacity: 20, skills: [] });

/** One agent's availability, capacity and skills, saved together; going away can hand their open tickets on. */
function AgentRow({ member, current }: { member: Staff; current: Availability }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState(current);
  const [reassign, setReassign] = useState(false);
  const save = useMutation({
    mutationFn: () => put<Availability>(`/api/v1/routing/availability/${member.id}`, { available: draft.available, capacity: draft.capacity, skills: draft.skills, reassignOpenTickets: !draft.available && reassign }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['routing', 'availability'] }),
  });
  const changed = draft.available !== current.available || draft.capacity !== current.capacity || draft.skills.join() !== current.skills.join();
  return (
    <Table.Tr data-testid="agent-row">
      <Table.Th scope="row" style={{ verticalAlign: 'top', paddingTop: 14 }}>
        <Text size="sm" fw={600}>{member.name}</Text>
        <Text size="xs" c="dimmed">{member.role}</Text>
      </Table.Th>
      <Table.Td style={{ verticalAlign: 'top', paddingTop: 14 }}>
        <Switch aria-label={`${member.name} is available`} label={draft.available ? 'Available' : 'Away'} checked={draft.available} onChange={(event) => setDraft({ ...draft, available: event.currentTarget.checked })} />
        {current.available && !draft.available ? <Checkbox mt={6} size="xs" label="Hand their open tickets to others" checked={reassign} onChange={(event) => setReassign(event.currentTarget.checked)} /> : null}
      </Table.Td>
      <Table.Td style={{ verticalAlign: 'top' }}>
        <NumberInput aria-label={`${member.name}'s capacity`} min={0} max={1000} w={100} value={draft.capacity} onChange={(value) => setDraft({ ...draft, capacity: typeof value === 'number' ? value : 0 })} error={errorAt(save.error, 'capacity')} />
      </Table.Td>
      <Table.Td style={{ verticalAlign: 'top' }}>
        <TagsInput aria-label={`${member.name}'s skills`} placeholder={draft.skills.length ? undefined : 'language:fr, product:billing, tier:best'} value={draft.skills} onChange={(skills) => setDraft({ ...draft, skills })} error={errorAt(save.error, 'skills')} />
      </Table.Td>
      <Table.Td style={{ verticalAlign: 'top' }}>
        <Button size="compact-sm" mt={6} variant={changed ? 'filled' : 'default'} disabled={!changed} loading={save.isPending} onClick={() => save.mutate()}>Save</Button>
        <ErrorText error={otherError(save.error, ['capacity', 'skills'])} inline />
      </Table.Td>
    </Table.Tr>
  );
}

/** Routing: how new tickets find an agent, and who is available to take them. */
export function RoutingPage() {
  const { settings, availability, setMethod } = useRouting();
  const staff = useStaff();
  const agents = (staff.data ?? []).filter((member) => member.isActive);
  const byStaff = new Map((availability.data ?? []).map((item) => [item.staffId, item]));
  return (
    <Stack>
      <Title order={2} size="h3">Routing</Title>
      {/* The choice shows at once while it is saved; a refused change falls back to the saved method. */}
      <Radio.Group label="Assign new tickets" value={(setMethod.isPending ? setMethod.variables : settings.data?.method) ?? 'off'} onChange={(value) => setMethod.mutate(value as RoutingMethod)}>
        <Stack gap="xs" mt="xs">
          {methods.map((method) => (
            <Radio key={method.value} value={method.value} label={method.label} description={method.description} disabled={setMethod.isPending} />
          ))}
        </Stack>
      </Radio.Group>
      <ErrorText error={settings.error ?? setMethod.error} inline />

      <Title order={3} size="h4" mt="md">Agents</Title>
      <Text size="sm" c="dimmed">Only available agents receive tickets, and never more open tickets than their capacity. Skills are written kind:value: language:fr matches the customer’s “language” custom field, product:billing the ticket’s “product” custom field, tier:best the customer’s tier.</Text>
      <ErrorText error={staff.error ?? availability.error} />
      {availability.isSuccess ? (
        <TableScroll label="Agent availability">
          <Table miw={640} aria-label="Agent availability">
            <Table.Thead>
              <Table.Tr><Table.Th>Agent</Table.Th><Table.Th>Availability</Table.Th><Table.Th>Capacity</Table.Th><Table.Th>Skills</Table.Th><Table.Th /></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {agents.map((member) => {
                const current = byStaff.get(member.id) ?? defaults(member.id);
                // Keyed by the saved values so the row's draft starts again from what the server now holds.
                return <AgentRow key={`${member.id}-${current.available}-${current.capacity}-${current.skills.join()}`} member={member} current={current} />;
              })}
            </Table.Tbody>
          </Table>
        </TableScroll>
      ) : null}
    </Stack>
  );
}
