import { Badge, Group } from '@mantine/core';
import { duration } from '../../ui/format';
import { useTicketSla } from './consistency.api';

const colors = { running: 'blue', paused: 'gray', met: 'green', breached: 'red' } as const;
const names: Record<string, string> = { first_response: 'First response', next_response: 'Next response', resolution: 'Resolution' };

/** The ticket's SLA targets with time left; for the ticket page. */
export function TicketSlaBadges({ ticketId }: { ticketId: string }) {
  const { data } = useTicketSla(ticketId);
  if (!data?.policy) return null;
  return (
    <Group gap="xs" aria-label={`SLA: ${data.policy.name}`}>
      {data.targets.map((target) => (
        <Badge key={target.metric} color={colors[target.status]} variant="light">
          {names[target.metric] ?? target.metric}: {target.status === 'running' ? `${duration(target.remainingMinutes * 60_000)} left` : target.status}
        </Badge>
      ))}
    </Group>
  );
}
