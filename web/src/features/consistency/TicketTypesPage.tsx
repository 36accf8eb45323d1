import { useState, type FormEvent } from 'react';
import { Badge, Button, Code, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { ErrorText } from '../../ui/ErrorText';
import { FormButtons } from './SettingsControls';
import { errorAt, otherError, usePlaybooks } from './settings.api';
import { useTicketTypeChanges, useTicketTypes, type TicketType, type TicketTypeBody } from './ticketTypes.api';

const emptyDraft: TicketTypeBody = { key: '', label: '', playbookId: null };

/** "Refund request" → "refund-request": the key proposed while a new type's label is typed. */
const keyFrom = (label: string) => label.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);

/** Ticket types: the workspace's list, each optionally giving its playbook to every ticket that gets the type. */
export function TicketTypesPage() {
  const types = useTicketTypes();
  const playbooks = usePlaybooks().list;
  const { save, remove } = useTicketTypeChanges();
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<TicketTypeBody>(emptyDraft);
  const [keyTouched, setKeyTouched] = useState(false);
  const playbookName = new Map((playbooks.data ?? []).map((playbook) => [playbook.id, playbook.name]));
  const reset = () => {
    setEditing(null);
    setDraft(emptyDraft);
    setKeyTouched(false);
    save.reset();
  };
  const edit = (type: TicketType) => {
    setEditing(type.key);
    setDraft({ key: type.key, label: type.label, playbookId: type.playbookId });
    save.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ editing, body: draft }, { onSuccess: reset });
  };
  const error = save.error;
  return (
    <Stack>
      <Title order={2} size="h3">Ticket types</Title>
      <Text size="sm" c="dimmed">Agents set a ticket’s type in its properties, and the inbox can filter by it. A type with a playbook gives that checklist to every ticket that gets the type.</Text>
      <ErrorText error={types.error} />
      {(types.data ?? []).map((type) => (
        <Paper withBorder p="sm" key={type.key} data-testid="ticket-type">
          <Group justify="space-between">
            <div>
              <Text fw={600}>{type.label} <Code>{type.key}</Code></Text>
              <Text size="sm" c="dimmed">
                {type.playbookId ? <>Playbook: <Badge size="sm" variant="light">{playbookName.get(type.playbookId) ?? '…'}</Badge></> : 'No playbook'}
              </Text>
            </div>
            <Group gap="xs">
              <Button size="compact-sm" variant="subtle" onClick={() => edit(type)}>Edit</Button>
              <Button size="compact-sm" variant="subtle" color="red" onClick={() => remove.mutate(type.key)}>Delete</Button>
            </Group>
          </Group>
          {remove.variables === type.key ? <ErrorText error={remove.error} inline /> : null}
        </Paper>
      ))}
      {types.isSuccess && types.data.length === 0 ? <Text c="dimmed">No ticket types yet.</Text> : null}

      <Paper withBorder p="md">
        <form onSubmit={submit} noValidate aria-label={editing ? 'Edit ticket type' : 'New ticket type'}>
          <Stack gap="sm">
            <Title order={3} size="h5">{editing ? 'Edit ticket type' : 'New ticket type'}</Title>
            <TextInput label="Name" placeholder="Refund request" value={draft.label} onChange={(event) => { const label = event.currentTarget.value; setDraft({ ...draft, label, key: editing || keyTouched ? draft.key : keyFrom(label) }); }} error={errorAt(error, 'label')} />
            <TextInput label="Key" description={editing ? 'Stored on tickets; it does not change.' : 'Stored on tickets and used in filters: lowercase letters, digits, - and _.'} value={draft.key} disabled={Boolean(editing)} onChange={(event) => { setKeyTouched(true); setDraft({ ...draft, key: event.currentTarget.value }); }} error={errorAt(error, 'key')} />
            <Select label="Playbook" description="Given to each ticket that gets this type" placeholder="None" clearable data={(playbooks.data ?? []).map((playbook) => ({ value: playbook.id, label: playbook.name }))} value={draft.playbookId} onChange={(value) => setDraft({ ...draft, playbookId: value })} error={errorAt(error, 'playbookId')} />
            <ErrorText error={otherError(error, ['label', 'key', 'playbookId'])} inline />
            <FormButtons noun="type" editing={Boolean(editing)} saving={save.isPending} onCancel={reset} />
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
