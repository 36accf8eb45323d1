import { Badge, Checkbox, Paper, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from '../../app/api';
import { ErrorText } from '../../ui/ErrorText';

interface Checklist {
  id: string;
  name: string;
  steps: Array<{ id: string; title: string; required: boolean; done: boolean }>;
  completedAt: string | null;
}

/**
 * The ticket's playbooks as checklists to tick, for the ticket page. Kept under the ticket's query
 * key, so a change of type (which may attach one) refreshes it with the ticket.
 */
export function TicketChecklists({ ticketId }: { ticketId: string }) {
  const client = useQueryClient();
  const key = ['ticket', ticketId, 'playbooks'];
  const checklists = useQuery({ queryKey: key, queryFn: () => get<{ items: Checklist[] }>(`/api/v1/tickets/${ticketId}/playbooks`).then((page) => page.items) });
  const tick = useMutation({
    mutationFn: ({ checklistId, stepId, done }: { checklistId: string; stepId: string; done: boolean }) => post(`/api/v1/tickets/${ticketId}/playbooks/${checklistId}/steps/${stepId}`, { done }),
    onSettled: () => client.invalidateQueries({ queryKey: ['ticket', ticketId] }),
  });
  if (!checklists.data?.length) return <ErrorText error={checklists.error} inline />;
  return (
    <Stack gap="sm">
      {checklists.data.map((checklist) => (
        <Paper withBorder p="sm" key={checklist.id} data-testid="checklist" aria-label={`Checklist ${checklist.name}`}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>Checklist{checklist.completedAt ? ' · done' : ''}</Text>
          <Text fw={600} size="sm" mb={6}>{checklist.name}</Text>
          <Stack gap={6}>
            {checklist.steps.map((step) => (
              <Checkbox
                key={step.id}
                size="sm"
                checked={step.done}
                disabled={tick.isPending}
                onChange={(event) => tick.mutate({ checklistId: checklist.id, stepId: step.id, done: event.currentTarget.checked })}
                label={<>{step.title} {step.required ? <Badge size="xs" color="indigo.8" variant="filled">required</Badge> : null}</>}
              />
            ))}
          </Stack>
        </Paper>
      ))}
      <ErrorText error={tick.error} inline />
    </Stack>
  );
}
