import { ActionIcon, Button, Group, NumberInput, SegmentedControl, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { ErrorText } from '../../ui/ErrorText';
import { useRecoverySettings, useSaveRecoverySettings, type RecoverySettings } from './recovery.api';

/** Step keys are what the server ticks by itself ("tell" starts the follow-up clock); a new step gets one from its label. */
function keyFor(label: string, taken: string[]): string {
  const base = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 32) || 'step';
  let key = base;
  for (let suffix = 2; taken.includes(key); suffix++) key = `${base}_${suffix}`;
  return key;
}

/** Settings → Recovery: whether a misery opens a recovery or proposes one, the follow-up, the remedy scale and the playbook. */
export function RecoverySettingsPage() {
  const settings = useRecoverySettings();
  return (
    <Stack p="md" maw={760}>
      <Title order={2}>Service recovery</Title>
      <ErrorText error={settings.error} />
      {settings.data ? <RecoverySettingsForm initial={settings.data} /> : null}
    </Stack>
  );
}

function RecoverySettingsForm({ initial }: { initial: RecoverySettings }) {
  const [draft, setDraft] = useState(initial);
  const [newStep, setNewStep] = useState('');
  const save = useSaveRecoverySettings();
  const change = (patch: Partial<RecoverySettings>) => setDraft((current) => ({ ...current, ...patch }));
  const move = (index: number, by: number) => {
    const playbook = [...draft.playbook];
    const [step] = playbook.splice(index, 1);
    playbook.splice(index + by, 0, step!);
    change({ playbook });
  };
  return (
    <Stack>
      <Stack gap={4}>
        <Text fw={600} size="sm">When a moment of misery happens</Text>
        <SegmentedControl
          value={draft.mode}
          onChange={(value) => change({ mode: value as RecoverySettings['mode'] })}
          data={[{ value: 'automatic', label: 'Open a recovery' }, { value: 'proposed', label: 'Propose one to the agent' }]}
        />
      </Stack>
      <Group align="end">
        <NumberInput label="Follow up after (days)" min={1} max={90} value={draft.followUpDays} onChange={(value) => change({ followUpDays: Number(value) || 1 })} w={180} />
        <Stack gap={4}>
          <Text fw={500} size="sm">Then</Text>
          <SegmentedControl value={draft.followUpAction} onChange={(value) => change({ followUpAction: value as RecoverySettings['followUpAction'] })} data={[{ value: 'remind', label: 'Remind the agent' }, { value: 'send', label: 'Send the message' }]} />
        </Stack>
      </Group>
      <Textarea label="Follow-up message" autosize minRows={2} value={draft.followUpMessage} onChange={(event) => change({ followUpMessage: event.currentTarget.value })} />
      <Group align="end">
        <NumberInput label="Remedy: % of lifetime value" min={0} max={100} decimalScale={1} value={Math.round(draft.remedy.shareOfLifetimeValue * 1000) / 10} onChange={(value) => change({ remedy: { ...draft.remedy, shareOfLifetimeValue: (Number(value) || 0) / 100 } })} w={200} />
        <NumberInput label="At least" min={0} value={draft.remedy.minimum} onChange={(value) => change({ remedy: { ...draft.remedy, minimum: Number(value) || 0 } })} w={120} />
        <NumberInput label="At most" min={0} value={draft.remedy.maximum} onChange={(value) => change({ remedy: { ...draft.remedy, maximum: Number(value) || 0 } })} w={120} />
      </Group>
      <Stack gap={6}>
        <Text fw={600} size="sm">Playbook</Text>
        {draft.playbook.map((step, index) => (
          <Group key={step.key} gap="xs" wrap="nowrap">
            <Text size="sm" c="dimmed" w={20}>{index + 1}.</Text>
            <TextInput aria-label={`Step ${index + 1}`} value={step.label} onChange={(event) => change({ playbook: draft.playbook.map((other) => (other.key === step.key ? { ...other, label: event.currentTarget.value } : other)) })} style={{ flex: 1 }} />
            <ActionIcon variant="subtle" aria-label={`Move step ${index + 1} up`} disabled={index === 0} onClick={() => move(index, -1)}>↑</ActionIcon>
            <ActionIcon variant="subtle" aria-label={`Move step ${index + 1} down`} disabled={index === draft.playbook.length - 1} onClick={() => move(index, 1)}>↓</ActionIcon>
            <ActionIcon variant="subtle" color="red" aria-label={`Remove step ${index + 1}`} disabled={draft.playbook.length === 1} onClick={() => change({ playbook: draft.playbook.filter((other) => other.key !== step.key) })}>×</ActionIcon>
          </Group>
        ))}
        <Group gap="xs">
          <TextInput aria-label="New step" placeholder="Add a step, e.g. Call the customer" value={newStep} onChange={(event) => setNewStep(event.currentTarget.value)} style={{ flex: 1 }} />
          <Button variant="light" disabled={!newStep.trim()} onClick={() => {
            change({ playbook: [...draft.playbook, { key: keyFor(newStep, draft.playbook.map((step) => step.key)), label: newStep.trim() }] });
            setNewStep('');
          }}>Add step</Button>
        </Group>
      </Stack>
      <ErrorText error={save.error} />
      <Group>
        <Button onClick={() => save.mutate(draft)} loading={save.isPending}>Save</Button>
        {save.isSuccess && !save.isPending ? <Text size="sm" c="teal.8">Saved. Recoveries opened from now on use these settings.</Text> : null}
      </Group>
    </Stack>
  );
}
