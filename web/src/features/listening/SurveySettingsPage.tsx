import { useEffect, useState } from 'react';
import { Button, Checkbox, Group, NumberInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { ErrorText } from '../../ui/ErrorText';
import { saveListeningSettings, useChange, useListeningSettings, type ListeningSettings } from './listening.api';

const kinds = [{ value: 'csat', label: 'CSAT (1–5)' }, { value: 'nps', label: 'NPS (0–10)' }, { value: 'ces', label: 'Effort (1–7)' }, { value: 'feelings', label: 'How did we make you feel' }];
const stageLabels = { first_response: 'After the first response', solved: 'After solving', recovery: 'After a recovery' } as const;

/** When customers are asked, how often at most, and when a repeated theme needs a response. */
export default function SurveySettingsPage() {
  const { data, error } = useListeningSettings();
  const [draft, setDraft] = useState<ListeningSettings | null>(null);
  const save = useChange(['listening-settings'], saveListeningSettings);
  useEffect(() => {
    if (data) setDraft(data);
  }, [data]);
  if (!draft) return <ErrorText error={error} />;
  const surveys = draft.surveys;
  const setSurveys = (change: Partial<ListeningSettings['surveys']>) => setDraft({ ...draft, surveys: { ...surveys, ...change } });
  return (
    <Stack gap="md" maw={640}>
      <Title order={3}>Surveys and themes</Title>
      {(Object.keys(stageLabels) as Array<keyof typeof stageLabels>).map((stage) => (
        <Group key={stage} align="flex-end">
          <Checkbox label={stageLabels[stage]} checked={surveys.stages[stage].enabled} onChange={(event) => setSurveys({ stages: { ...surveys.stages, [stage]: { ...surveys.stages[stage], enabled: event.currentTarget.checked } } })} w={220} />
          <Select aria-label={`${stageLabels[stage]}: survey`} data={kinds} value={surveys.stages[stage].kind} onChange={(kind) => kind && setSurveys({ stages: { ...surveys.stages, [stage]: { ...surveys.stages[stage], kind } } })} />
        </Group>
      ))}
      <Group align="flex-end">
        <Checkbox label="Periodic NPS" checked={surveys.stages.periodic_nps.enabled} onChange={(event) => setSurveys({ stages: { ...surveys.stages, periodic_nps: { ...surveys.stages.periodic_nps, enabled: event.currentTarget.checked } } })} w={220} />
        <NumberInput label="every (days)" min={7} max={730} value={surveys.stages.periodic_nps.everyDays} onChange={(value) => setSurveys({ stages: { ...surveys.stages, periodic_nps: { ...surveys.stages.periodic_nps, everyDays: Number(value) || 90 } } })} />
      </Group>
      <NumberInput label="Ask one customer at most once every (days)" min={0} max={365} value={surveys.throttleDays} onChange={(value) => setSurveys({ throttleDays: Number(value) || 0 })} />
      <NumberInput label="Survey links work for (days)" min={1} max={90} value={surveys.linkValidDays} onChange={(value) => setSurveys({ linkValidDays: Number(value) || 14 })} />
      <TextInput label="Feelings offered (comma-separated)" value={surveys.feelings.join(', ')} onChange={(event) => setSurveys({ feelings: event.currentTarget.value.split(',').map((feeling) => feeling.trim()).filter(Boolean) })} />
      <Text fw={600}>Three Times Rule</Text>
      <Group>
        <NumberInput label="Voices that make a theme urgent" min={2} max={50} value={draft.themes.alertAt} onChange={(value) => setDraft({ ...draft, themes: { ...draft.themes, alertAt: Number(value) || 3 } })} />
        <NumberInput label="within (days)" min={1} max={365} value={draft.themes.windowDays} onChange={(value) => setDraft({ ...draft, themes: { ...draft.themes, windowDays: Number(value) || 30 } })} />
      </Group>
      <Group>
        <Button loading={save.isPending} onClick={() => save.mutate({ surveys: { throttleDays: surveys.throttleDays, linkValidDays: surveys.linkValidDays, feelings: surveys.feelings, stages: surveys.stages }, themes: draft.themes })}>Save</Button>
        {save.isSuccess ? <Text size="sm" c="green.8">Saved.</Text> : null}
      </Group>
      <ErrorText error={save.error} inline />
    </Stack>
  );
}
