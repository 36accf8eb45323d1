import { Anchor, Badge, Checkbox, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useStaff } from '../../app/session';
import { ErrorText } from '../../ui/ErrorText';
import { money } from '../../ui/format';
import { useProblems, useSetActionStatus } from './recovery.api';
import { TableScroll } from '../../ui/TableScroll';

/** Root causes rolled up into problems, most tickets first; preventive actions ticked off to done. */
export function ProblemsPage() {
  const [status, setStatus] = useState<'open' | 'solved' | 'all'>('open');
  const problems = useProblems(status === 'all' ? undefined : status);
  const setAction = useSetActionStatus();
  const staff = useStaff();
  const nameOf = (staffId: string | null) => staff.data?.find((member) => member.id === staffId)?.name;
  const isOverdue = (dueAt: string | null, status: string) => status === 'open' && dueAt !== null && dueAt < new Date().toISOString();
  return (
    <Stack p="md">
      <Group justify="space-between">
        <Title order={2}>Problems</Title>
        <SegmentedControl value={status} onChange={(value) => setStatus(value as typeof status)} data={[{ value: 'open', label: 'Open' }, { value: 'solved', label: 'Solved' }, { value: 'all', label: 'All' }]} aria-label="Show problems" />
      </Group>
      <ErrorText error={problems.error} />
      {problems.data?.length === 0 ? <Text c="dimmed">No problems here. Root causes recorded on recoveries appear in this list.</Text> : null}
      <TableScroll label="Problems">
        <Table miw={640} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Problem</Table.Th>
              <Table.Th>Tickets</Table.Th>
              <Table.Th>Customers</Table.Th>
              <Table.Th>Lifetime value affected</Table.Th>
              <Table.Th>Preventive actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(problems.data ?? []).map((problem) => (
              <Table.Tr key={problem.id}>
                <Table.Td>
                  <Text fw={600}>{problem.title}</Text>
                  <Group gap={4}>
                    <Badge size="xs" variant="light">{problem.category}</Badge>
                    <Badge size="xs" color={problem.status === 'open' ? 'orange' : 'teal'}>{problem.status}</Badge>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{problem.ticketsAffected}</Text>
                  <Group gap={6}>
                    {problem.ticketIds.slice(0, 5).map((ticketId, index) => (
                      <Anchor key={ticketId} component={Link} to={`/tickets/${ticketId}`} size="xs">Ticket {index + 1}</Anchor>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{problem.customersAffected}</Table.Td>
                <Table.Td>{money(problem.lifetimeValueAffected)}</Table.Td>
                <Table.Td>
                  <Stack gap={2}>
                    {problem.preventiveActions.map((action) => (
                      <Stack key={action.id} gap={0}>
                        <Group gap={6} wrap="nowrap">
                          <Checkbox size="xs" label={action.description} checked={action.status === 'done'} onChange={(event) => setAction.mutate({ id: action.id, status: event.currentTarget.checked ? 'done' : 'open' })} />
                          {action.ownerId ? <Text size="xs" c="dimmed">{nameOf(action.ownerId) ?? 'someone'}</Text> : null}
                          {action.dueAt ? <Text size="xs" c={isOverdue(action.dueAt, action.status) ? 'red.8' : 'dimmed'}>due {new Date(action.dueAt).toLocaleDateString()}</Text> : null}
                        </Group>
                        {/* A refused tick is said under the action it was for. */}
                        {setAction.variables?.id === action.id ? <ErrorText error={setAction.error} inline /> : null}
                      </Stack>
                    ))}
                  </Stack>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
    </Stack>
  );
}
