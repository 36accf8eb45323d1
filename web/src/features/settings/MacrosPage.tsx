import { useState, type FormEvent } from 'react';
import { Button, Code, Group, Paper, SegmentedControl, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { del, get, patch, post } from '../../app/api';
import { isManager, useSession, useStatuses } from '../../app/session';
import type { Macro } from '../../app/types';
import { ErrorText, fieldError } from '../../ui/ErrorText';

const empty = { name: '', body: '', kind: 'reply' as 'reply' | 'note', setStatus: null as string | null };

export default function MacrosPage() {
  const { data: session } = useSession();
  const manager = isManager(session);
  const statuses = useStatuses();
  const client = useQueryClient();
  const macros = useQuery({ queryKey: ['macros'], queryFn: () => get<{ items: Macro[] }>('/api/v1/macros').then((page) => page.items) });
  const [editing, setEditing] = useState<string | null>(null);
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<unknown>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, unknown>>({});

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      if (editing) await patch(`/api/v1/macros/${editing}`, form);
      else await post('/api/v1/macros', form);
      setForm(empty);
      setEditing(null);
      void client.invalidateQueries({ queryKey: ['macros'] });
    } catch (caught) {
      setError(caught);
    }
  };
  const remove = async (id: string) => {
    setRowErrors((current) => ({ ...current, [id]: null }));
    try {
      await del(`/api/v1/macros/${id}`);
      void client.invalidateQueries({ queryKey: ['macros'] });
    } catch (caught) {
      setRowErrors((current) => ({ ...current, [id]: caught }));
    }
  };

  return (
    <Stack>
      <Title order={2} size="h3">Macros</Title>
      <Text size="sm" c="dimmed">
        Saved replies. Variables: <Code>{'{{customer.first_name}}'}</Code> <Code>{'{{customer.name}}'}</Code> <Code>{'{{ticket.number}}'}</Code> <Code>{'{{ticket.subject}}'}</Code> <Code>{'{{agent.first_name}}'}</Code>
      </Text>
      {manager ? (
        <Paper withBorder p="md">
          <form onSubmit={save} noValidate>
            <Title order={3} size="h5" mb="xs">{editing ? 'Edit macro' : 'New macro'}</Title>
            <TextInput label="Name" value={form.name} onChange={(event) => setForm({ ...form, name: event.currentTarget.value })} error={fieldError(error, 'name')} mb="xs" />
            <Textarea label="Text" autosize minRows={3} value={form.body} onChange={(event) => setForm({ ...form, body: event.currentTarget.value })} error={fieldError(error, 'body')} mb="xs" />
            <Group gap="md" mb="xs" align="flex-end">
              <SegmentedControl aria-label="Sent as" value={form.kind} onChange={(value) => setForm({ ...form, kind: value as 'reply' | 'note' })} data={[{ value: 'reply', label: 'Reply' }, { value: 'note', label: 'Note' }]} />
              <Select label="Then set status" placeholder="Leave as is" clearable data={(statuses.data ?? []).map((status) => ({ value: status.key, label: status.label }))} value={form.setStatus} onChange={(value) => setForm({ ...form, setStatus: value })} error={fieldError(error, 'setStatus')} w={200} />
            </Group>
            <ErrorText error={fieldError(error, 'name') || fieldError(error, 'body') || fieldError(error, 'setStatus') ? null : error} inline />
            <Group gap="xs" mt="xs">
              <Button type="submit">{editing ? 'Save macro' : 'Create macro'}</Button>
              {editing ? <Button variant="subtle" onClick={() => { setEditing(null); setForm(empty); }}>Cancel</Button> : null}
            </Group>
          </form>
        </Paper>
      ) : null}
      <ErrorText error={macros.error} />
      {(macros.data ?? []).map((macro) => (
        <Paper withBorder p="sm" key={macro.id} data-testid="macro">
          <Group justify="space-between">
            <Text fw={600}>{macro.name}</Text>
            <Text size="xs" c="dimmed">{macro.kind}{macro.setStatus ? ` · sets ${macro.setStatus}` : ''}</Text>
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{macro.body}</Text>
          {manager ? (
            <Group gap="xs" mt="xs">
              <Button size="compact-xs" variant="subtle" onClick={() => { setEditing(macro.id); setForm({ name: macro.name, body: macro.body, kind: macro.kind, setStatus: macro.setStatus }); }}>Edit</Button>
              <Button size="compact-xs" variant="subtle" color="red" onClick={() => void remove(macro.id)}>Delete</Button>
            </Group>
          ) : null}
          <ErrorText error={rowErrors[macro.id]} inline />
        </Paper>
      ))}
      {macros.isSuccess && macros.data.length === 0 ? <Text c="dimmed">No macros yet.</Text> : null}
    </Stack>
  );
}
