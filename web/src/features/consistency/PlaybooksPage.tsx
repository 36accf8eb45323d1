import { useState, type FormEvent } from 'react';
import { ActionIcon, Badge, Button, Checkbox, Group, List, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { ErrorText } from '../../ui/ErrorText';
import { FormButtons } from './SettingsControls';
import { errorAt, otherError, usePlaybooks, type Playbook, type PlaybookStep } from './settings.api';

interface Draft {
  name: string;
  steps: PlaybookStep[];
}

const emptyDraft: Draft = { name: '', steps: [{ title: '', required: false }] };

/** Playbooks: named checklists for the ticket page; a required step must be ticked before the ticket can be solved. */
export function PlaybooksPage() {
  const { list, save, remove } = usePlaybooks();
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const error = save.error;
  const setStep = (index: number, step: PlaybookStep) => setDraft({ ...draft, steps: draft.steps.map((other, at) => (at === index ? step : other)) });
  const moveStep = (from: number, to: number) => {
    const steps = [...draft.steps];
    const [moved] = steps.splice(from, 1);
    steps.splice(to, 0, moved!);
    setDraft({ ...draft, steps });
  };
  const reset = () => {
    setEditing(null);
    setDraft(emptyDraft);
    save.reset();
  };
  const edit = (playbook: Playbook) => {
    setEditing(playbook.id);
    // Step ids travel with the steps so ticks already made on tickets keep pointing at the same step.
    setDraft({ name: playbook.name, steps: playbook.steps.map((step) => ({ ...step })) });
    save.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ id: editing, body: draft }, { onSuccess: reset });
  };

  return (
    <Stack>
      <Title order={2} size="h3">Playbooks</Title>
      <Text size="sm" c="dimmed">Named checklists agents tick on the ticket page. Attach them by hand or with an automation; a required step blocks “solved” until it is done.</Text>
      <ErrorText error={list.error} />
      {(list.data ?? []).map((playbook) => (
        <Paper withBorder p="sm" key={playbook.id} data-testid="playbook">
          <Group justify="space-between" align="flex-start">
            <div>
              <Text fw={600}>{playbook.name}</Text>
              <List size="sm" type="ordered">
                {playbook.steps.map((step) => (
                  <List.Item key={step.id}>
                    {step.title} {step.required ? <Badge size="xs" color="indigo.8" variant="filled">required</Badge> : null}
                  </List.Item>
                ))}
              </List>
            </div>
            <Group gap="xs">
              <Button size="compact-sm" variant="subtle" onClick={() => edit(playbook)}>Edit</Button>
              <Button size="compact-sm" variant="subtle" color="red" onClick={() => remove.mutate(playbook.id)}>Delete</Button>
            </Group>
          </Group>
          {remove.variables === playbook.id ? <ErrorText error={remove.error} inline /> : null}
        </Paper>
      ))}
      {list.isSuccess && list.data.length === 0 ? <Text c="dimmed">No playbooks yet.</Text> : null}

      <Paper withBorder p="md">
        <form onSubmit={submit} noValidate aria-label={editing ? 'Edit playbook' : 'New playbook'}>
          <Stack gap="sm">
            <Title order={3} size="h5">{editing ? 'Edit playbook' : 'New playbook'}</Title>
            <TextInput label="Name" placeholder="Refund a damaged order" value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.currentTarget.value })} error={errorAt(error, 'name')} />
            <Text fw={500} size="sm">Steps</Text>
            {draft.steps.map((step, index) => (
              <Group key={index} gap="xs" align="flex-start" wrap="nowrap" data-testid="playbook-step">
                <Text size="sm" w={24} pt={8} ta="right">{index + 1}.</Text>
                <TextInput aria-label={`Step ${index + 1}`} placeholder="Check the photo of the damage" value={step.title} onChange={(event) => setStep(index, { ...step, title: event.currentTarget.value })} error={errorAt(error, `steps.${index}`)} style={{ flex: 1 }} />
                <Checkbox mt={8} label="Required" checked={step.required} onChange={(event) => setStep(index, { ...step, required: event.currentTarget.checked })} />
                <ActionIcon variant="subtle" color="gray" mt={4} aria-label={`Move step ${index + 1} up`} disabled={index === 0} onClick={() => moveStep(index, index - 1)}>↑</ActionIcon>
                <ActionIcon variant="subtle" color="gray" mt={4} aria-label={`Move step ${index + 1} down`} disabled={index === draft.steps.length - 1} onClick={() => moveStep(index, index + 1)}>↓</ActionIcon>
                <ActionIcon variant="subtle" color="gray" mt={4} aria-label={`Remove step ${index + 1}`} disabled={draft.steps.length === 1} onClick={() => setDraft({ ...draft, steps: draft.steps.filter((_, at) => at !== index) })}>×</ActionIcon>
              </Group>
            ))}
            {errorAt(error, 'steps') && !draft.steps.some((_, index) => errorAt(error, `steps.${index}`)) ? <Text size="sm" c="red.8" role="alert">{errorAt(error, 'steps')}</Text> : null}
            <Group><Button variant="light" size="compact-sm" onClick={() => setDraft({ ...draft, steps: [...draft.steps, { title: '', required: false }] })} disabled={draft.steps.length >= 100}>Add step</Button></Group>
            <ErrorText error={otherError(error, ['name', 'steps'])} inline />
            <FormButtons noun="playbook" editing={Boolean(editing)} saving={save.isPending} onCancel={reset} />
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
