import { Badge } from '@mantine/core';
import { categoryColor, priorityColor } from './format';

// Dot badges: the colour is in the dot and the text keeps full contrast (light badges fail WCAG at this size).

export function StatusBadge({ status, category }: { status: string; category: string }) {
  const color = categoryColor[category] ?? 'gray';
  return (
    <Badge color={color} variant="dot" radius="sm" className="status-badge">
      {status.replace(/_/g, ' ')}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: string }) {
  if (priority === 'normal') return null;
  const color = priorityColor[priority] ?? 'gray';
  if (priority === 'urgent') return <Badge color="red.8" variant="filled" radius="sm">{priority}</Badge>;
  return (
    <Badge color={color} variant="dot" radius="sm">
      {priority}
    </Badge>
  );
}
