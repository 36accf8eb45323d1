import { useEffect } from 'react';
import { Alert, Anchor, Button, Group } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useLocation } from 'react-router-dom';
import { realtime } from '../../app/realtime';
import { isManager, useSession } from '../../app/session';
import { useThemes } from './listening.api';
import { listeningPages } from './listening.pages';

/** Which lists an event changes; the socket carries the event's type, not its payload. */
const refreshedBy: Array<[prefix: string, keys: string[]]> = [
  ['theme', ['themes', 'feedback']],
  ['feedback.', ['feedback', 'themes']],
  ['survey.', ['surveys', 'feedback']],
  ['review.', ['reviews', 'feedback']],
  ['staff_voice.', ['staff-voice']],
  ['mystery_shop.', ['mystery-shop']],
];

/** Keeps the listening pages live: a survey answered or a theme alerted elsewhere shows at once. */
function useListeningEvents(): void {
  const client = useQueryClient();
  useEffect(
    () =>
      realtime.onEvent((event) => {
        const keys = event.type === 'reconnected' ? ['themes', 'feedback', 'surveys', 'reviews', 'staff-voice', 'mystery-shop'] : refreshedBy.filter(([prefix]) => event.type.startsWith(prefix)).flatMap(([, keys]) => keys);
        for (const key of new Set(keys)) void client.invalidateQueries({ queryKey: [key] });
      }),
    [client],
  );
}

/** The listening pages side by side, and the Three Times Rule's call for a response wherever one is open. */
export function ListeningNav() {
  const location = useLocation();
  const manager = isManager(useSession().data);
  useListeningEvents();
  const alerted = useThemes('alerted');
  const waiting = alerted.data?.items.length ?? 0;
  return (
    <>
      <Group gap={4} component="nav" aria-label="Listening">
        {listeningPages.filter((page) => manager || !page.managerOnly).map((page) => (
          <Button key={page.to} component={Link} to={page.to} size="xs" variant={location.pathname === page.to ? 'light' : 'subtle'} aria-current={location.pathname === page.to ? 'page' : undefined}>
            {page.label}
          </Button>
        ))}
      </Group>
      {waiting > 0 && location.pathname !== '/listening/themes' ? (
        <Alert color="red" variant="light" title="Heard three times" data-testid="theme-alert-banner">
          {waiting === 1 ? `“${alerted.data!.items[0]!.label}” was` : `${waiting} themes were`} mentioned by three or more customers and {waiting === 1 ? 'needs' : 'need'} a response.{' '}
          {/* The body's own colour, which keeps contrast in both schemes (red.9 on the dark scheme's red alert did not); the underline marks the link. */}
          <Anchor component={Link} to="/listening/themes" c="inherit" fw={600} underline="always">Record an action</Anchor>
        </Alert>
      ) : null}
    </>
  );
}
