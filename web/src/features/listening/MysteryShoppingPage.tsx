import { useState } from 'react';
import { Badge, Button, Card, Code, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { ErrorText } from '../../ui/ErrorText';
import { ListeningNav } from './ListeningNav';
import { agoText } from './listening.format';
import { assignMysteryShop, useChange, useMysteryEvaluations, type MysteryEvaluation } from './listening.api';

function Assign() {
  const [shopperName, setShopperName] = useState('');
  const [channel, setChannel] = useState('');
  const [created, setCreated] = useState<MysteryEvaluation | null>(null);
  const assign = useChange(['mystery-shop'], assignMysteryShop);
  const submit = () =>
    assign.mutate({ shopperName: shopperName.trim(), ...(channel.trim() ? { channel: channel.trim() } : {}) }, {
      onSuccess: (evaluation) => {
        setCreated(evaluation as MysteryEvaluation);
        setShopperName('');
        setChannel('');
      },
    });
  return (
    <Card withBorder padding="md">
      <Text fw={600}>Send a mystery shopper</Text>
      <Text size="sm" c="dimmed">The shopper gets a link to the evaluation form (no account needed); the scores show here and in the listening report.</Text>
      <Group mt="sm" align="flex-end" wrap="wrap">
        <TextInput label="Shopper" value={shopperName} onChange={(event) => setShopperName(event.currentTarget.value)} style={{ flex: 1, minWidth: 200 }} />
        <TextInput label="Channel (optional)" placeholder="email, phone, chat…" value={channel} onChange={(event) => setChannel(event.currentTarget.value)} />
        <Button disabled={!shopperName.trim()} loading={assign.isPending} onClick={submit}>Create link</Button>
      </Group>
      {created?.link ? (
        <Text size="sm" mt="sm">
          Send this link to {created.shopperName}: <Code data-testid="shopper-link">{created.link}</Code>
        </Text>
      ) : null}
      <ErrorText error={assign.error} inline />
    </Card>
  );
}

/** Evaluations by mystery shoppers (or managers after a visit): who, where, and the score out of 100. */
export default function MysteryShoppingPage() {
  const { data, error, isLoading } = useMysteryEvaluations();
  return (
    <Stack p="md" gap="md" maw={1000}>
      <ListeningNav />
      <Title order={2}>Mystery shopping</Title>
      <Assign />
      <ErrorText error={error} />
      {isLoading ? <Text>Loading…</Text> : null}
      {data && data.items.length === 0 ? <Text c="dimmed">No evaluations yet.</Text> : null}
      {data && data.items.length > 0 ? (
        <Table striped withTableBorder data-testid="evaluations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Shopper</Table.Th>
              <Table.Th>Channel</Table.Th>
              <Table.Th>Form</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Score</Table.Th>
              <Table.Th>Note</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.items.map((evaluation) => (
              <Table.Tr key={evaluation.id} data-testid="evaluation">
                <Table.Td>{evaluation.shopperName}</Table.Td>
                <Table.Td>{evaluation.channel ?? '–'}</Table.Td>
                <Table.Td>{evaluation.formName}</Table.Td>
                <Table.Td>
                  {evaluation.submittedAt ? (
                    <Badge variant="dot" color="green">submitted {agoText(evaluation.submittedAt)}</Badge>
                  ) : (
                    <Badge variant="dot" color="gray">waiting, link valid until {evaluation.expiresAt.slice(0, 10)}</Badge>
                  )}
                </Table.Td>
                <Table.Td>{evaluation.score === null ? '–' : <Text fw={700} style={{ whiteSpace: 'nowrap' }}>{evaluation.score} / 100</Text>}</Table.Td>
                <Table.Td><Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{evaluation.note ?? ''}</Text></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}
