import { useState } from 'react';
import { Button, Card, Group, MultiSelect, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { ErrorText } from '../../ui/ErrorText';
import { useCreateSlaPolicy, useDeleteSlaPolicy, useSlaPolicies } from './consistency.api';

const orNull = (value: string | number) => (typeof value === 'number' && value > 0 ? value : null);

/** SLA policies: tried in order, first match wins; targets in business minutes. */
export function SlaPoliciesPage() {
  const { data, error } = useSlaPolicies();
  const create = useCreateSlaPolicy();
  const remove = useDeleteSlaPolicy();
  const [name, setName] = useState('');
  const [priorities, setPriorities] = useState<string[]>([]);
  const [firstResponse, setFirstResponse] = useState<string | number>(60);
  const [nextResponse, setNextResponse] = useState<string | number>('');
  const [resolution, setResolution] = useState<string | number>(480);
  const [warningPercent, setWarningPercent] = useState<string | number>(80);
  return (
    <Stack gap="md">
      <Title order={3}>SLA policies</Title>
      <ErrorText error={error ?? remove.error} />
      <Table withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Order</Table.Th>
            <Table.Th>Name</Table.Th>
            <Table.Th>When</Table.Th>
            <Table.Th>First response</Table.Th>
            <Table.Th>Next response</Table.Th>
            <Table.Th>Resolution</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(data ?? []).map((policy) => (
            <Table.Tr key={policy.id}>
              <Table.Td>{policy.position}</Table.Td>
              <Table.Td>{policy.name}</Table.Td>
              <Table.Td>{policy.conditions.priorities?.length ? `priority ${policy.conditions.priorities.join(', ')}` : 'every ticket'}</Table.Td>
              <Table.Td>{policy.targets.firstResponse ?? '–'} min</Table.Td>
              <Table.Td>{policy.targets.nextResponse ?? '–'} min</Table.Td>
              <Table.Td>{policy.targets.resolution ?? '–'} min</Table.Td>
              <Table.Td><Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(policy.id)}>Delete</Button></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Card withBorder>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate(
              { name, conditions: priorities.length ? { priorities } : {}, targets: { firstResponse: orNull(firstResponse), nextResponse: orNull(nextResponse), resolution: orNull(resolution) }, warningPercent: Number(warningPercent) || 80 },
              { onSuccess: () => setName('') },
            );
          }}
        >
          <Stack gap="xs">
            <Text fw={600}>New policy</Text>
            <Group align="flex-end">
              <TextInput label="Name" required value={name} onChange={(event) => setName(event.currentTarget.value)} />
              <MultiSelect label="Priorities (empty = all)" data={['low', 'normal', 'high', 'urgent']} value={priorities} onChange={setPriorities} />
            </Group>
            <Group align="flex-end">
              <NumberInput label="First response (business min)" min={1} value={firstResponse} onChange={setFirstResponse} />
              <NumberInput label="Next response (business min)" min={1} value={nextResponse} onChange={setNextResponse} />
              <NumberInput label="Resolution (business min)" min={1} value={resolution} onChange={setResolution} />
              <NumberInput label="Warn at (%)" min={1} max={99} value={warningPercent} onChange={setWarningPercent} />
            </Group>
            <ErrorText error={create.error} />
            <Group><Button type="submit" loading={create.isPending}>Create policy</Button></Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
