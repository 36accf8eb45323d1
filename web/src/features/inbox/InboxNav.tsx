import type { ReactNode } from 'react';
import { Badge, NavLink, Stack, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router-dom';
import { useAllViews, useViewCount } from './useViews';
import type { InboxView } from './views';

function ViewLink({ view, active, onNavigate }: { view: InboxView; active: boolean; onNavigate: () => void }) {
  const count = useViewCount(view);
  const label = count === undefined ? '' : String(count);
  return (
    <NavLink
      component={Link}
      to={`/views/${view.id}`}
      label={view.saved?.shared ? <>{view.name} <Text span size="xs">· shared</Text></> : view.name}
      active={active}
      onClick={onNavigate}
      aria-current={active ? 'page' : undefined}
      rightSection={label ? <Badge size="sm" variant={active ? 'filled' : 'light'} color="gray" aria-label={`${label} tickets`}>{label}</Badge> : null}
      data-testid={`view-${view.id}`}
    />
  );
}

/** The views with their counts; `children` are other features' inbox entries (the approval queue). */
export function InboxNav({ onNavigate, children }: { onNavigate: () => void; children?: ReactNode }) {
  const views = useAllViews();
  const location = useLocation();
  const current = location.pathname === '/' ? '/views/open' : location.pathname;
  return (
    <Stack gap={2}>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" py={4}>Inbox</Text>
      {views.map((view) => (
        <ViewLink key={view.id} view={view} active={current === `/views/${view.id}`} onNavigate={onNavigate} />
      ))}
      {children}
    </Stack>
  );
}
