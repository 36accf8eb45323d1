import { useState, type FormEvent } from 'react';
import { Button, Group, MultiSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { del, patch, post } from '../../app/api';
import { useStaff, useTeams } from '../../app/session';
import { ErrorText, fieldError } from '../../ui/ErrorText';
import { TableScroll } from '../../ui/TableScroll';

export default function TeamsPage() {
  const teams = useTeams();
  const staff = useStaff();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, unknown>>({});
  const refresh = () => client.invalidateQueries({ queryKey: ['teams'] });
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await post('/api/v1/teams', { name });
      setName('');
      void refresh();
    } catch (caught) {
      setError(caught);
    }
  };
  const run = async (id: string, work: () => Promise<unknown>) => {
    setRowErrors((current) => ({ ...current, [id]: null }));
    try {
      await work();
      void refresh();
    } catch (caught) {
      setRowErrors((current) => ({ ...current, [id]: caught }));
    }
  };
  const people = (staff.data ?? []).filter((member) => member.isActive).map((member) => ({ value: member.id, label: member.name }));
  return (
    <Stack>
      <Title order={2} size="h3">Teams</Title>
      <form onSubmit={create} noValidate>
        <Group align="flex-start" gap="xs">
          <TextInput label="New team" placeholder="Billing" value={name} onChange={(event) => setName(event.currentTarget.value)} error={fieldError(error, 'name')} />
          <Button type="submit" mt={25}>Create team</Button>
        </Group>
        <ErrorText error={fieldError(error, 'name') ? null : error} inline />
      </form>
      <ErrorText error={teams.error} />
      <TableScroll label="Teams">
        <Table miw={640}>
          <Table.Thead><Table.Tr><Table.Th>Team</Table.Th><Table.Th>Members</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {(teams.data ?? []).map((team) => (
              <Table.Tr key={team.id}>
                <Table.Td>{team.name}</Table.Td>
                <Table.Td>
                  <MultiSelect aria-label={`Members of ${team.name}`} data={people} value={team.memberIds} onChange={(memberIds) => void run(team.id, () => patch(`/api/v1/teams/${team.id}`, { memberIds }))} searchable />
                  <ErrorText error={rowErrors[team.id]} inline />
                </Table.Td>
                <Table.Td><Button size="compact-xs" variant="subtle" color="red" onClick={() => void run(team.id, () => del(`/api/v1/teams/${team.id}`))}>Delete</Button></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
      {teams.data?.length === 0 ? <Text c="dimmed" size="sm">No teams yet. Name one above, then choose its members; tickets and views can then be filtered by team.</Text> : null}
    </Stack>
  );
}
