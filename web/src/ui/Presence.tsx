import { Avatar, Group, Text, Tooltip } from '@mantine/core';
import type { Viewer } from '../app/realtime';

function initials(name: string): string {
  return name.split(/\s+/).map((part) => part[0] ?? '').join('').slice(0, 2).toUpperCase();
}

/** Who else is on this ticket right now, and whether they are typing: the collision warning. */
export function PresenceBar({ viewers, selfStaffId }: { viewers: Viewer[]; selfStaffId: string | undefined }) {
  const others = viewers.filter((viewer) => viewer.staffId !== selfStaffId);
  if (others.length === 0) return null;
  const typing = others.filter((viewer) => viewer.typing);
  return (
    <Group gap="xs" data-testid="presence" aria-live="polite">
      <Avatar.Group>
        {others.map((viewer) => (
          <Tooltip key={viewer.staffId} label={`${viewer.name}${viewer.typing ? ' is typing' : ' is viewing'}`}>
            <Avatar size="sm" color={viewer.typing ? 'orange' : 'blue'} radius="xl" aria-label={viewer.name}>
              {initials(viewer.name)}
            </Avatar>
          </Tooltip>
        ))}
      </Avatar.Group>
      <Text size="sm" c="dimmed">
        {typing.length > 0 ? `${typing.map((viewer) => viewer.name).join(', ')} ${typing.length === 1 ? 'is' : 'are'} typing…` : `${others.map((viewer) => viewer.name).join(', ')} ${others.length === 1 ? 'is' : 'are'} viewing`}
      </Text>
    </Group>
  );
}
