import { ActionIcon, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { ErrorText } from '../../ui/ErrorText';
import { useBlamePhraseChange, useBlamePhrases } from './recovery.api';
import { TableScroll } from '../../ui/TableScroll';

const categories = ['blame', 'deflection', 'condescension', 'policy', 'custom'];

/** Settings → Blame guard: the workspace's own phrases (listed first) and the built-in ones, each with the kinder wording to offer. */
export function BlamePhrasesPage() {
  const phrases = useBlamePhrases();
  const { add, remove } = useBlamePhraseChange();
  const [draft, setDraft] = useState({ phrase: '', category: 'custom', suggestion: '' });
  return (
    <Stack p="md" maw={900}>
      <Title order={2}>Blame guard</Title>
      <Text size="sm" c="dimmed">Agents see these phrases flagged while they write, with the kinder wording; sending stays allowed and is recorded.</Text>
      <form onSubmit={(event) => {
        event.preventDefault();
        add.mutate(draft, { onSuccess: () => setDraft({ phrase: '', category: 'custom', suggestion: '' }) });
      }}>
        <Group align="end">
          <TextInput label="Phrase" placeholder="read the FAQ" required value={draft.phrase} onChange={(event) => setDraft({ ...draft, phrase: event.currentTarget.value })} />
          <Select label="Kind" data={categories} value={draft.category} onChange={(value) => value && setDraft({ ...draft, category: value })} allowDeselect={false} w={160} />
          <TextInput label="Suggested wording" placeholder="Here is the answer" value={draft.suggestion} onChange={(event) => setDraft({ ...draft, suggestion: event.currentTarget.value })} style={{ flex: 1 }} />
          <Button type="submit" loading={add.isPending}>Add phrase</Button>
        </Group>
      </form>
      <ErrorText error={phrases.error ?? add.error} />
      <TableScroll label="Blame guard list">
        <Table miw={640} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Phrase</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Suggested wording</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...(phrases.data ?? [])].sort((left, right) => Number(left.isDefault) - Number(right.isDefault)).map((phrase) => (
              <Table.Tr key={phrase.id ?? `default:${phrase.phrase}`}>
                <Table.Td>“{phrase.phrase}”</Table.Td>
                <Table.Td><Badge size="xs" variant="light">{phrase.category}</Badge></Table.Td>
                <Table.Td>{phrase.suggestion ? `“${phrase.suggestion}”` : <Text span size="sm" c="dimmed">leave it out</Text>}</Table.Td>
                <Table.Td>
                  {phrase.id ? (
                    <>
                      <ActionIcon variant="subtle" color="red" aria-label={`Remove “${phrase.phrase}”`} onClick={() => remove.mutate(phrase.id!)}>×</ActionIcon>
                      {remove.variables === phrase.id ? <ErrorText error={remove.error} inline /> : null}
                    </>
                  ) : (
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>built in</Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </TableScroll>
    </Stack>
  );
}
