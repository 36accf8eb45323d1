import { Group, Button } from '@mantine/core';
import { Link, useLocation } from 'react-router-dom';

const pages = [
  { to: '/listening/feedback', label: 'Feedback' },
  { to: '/listening/themes', label: 'Themes' },
  { to: '/listening/reviews', label: 'Reviews' },
  { to: '/listening/staff-voice', label: 'Staff voice' },
];

/** The listening pages side by side: one place to hear customers, the public and the staff. */
export function ListeningNav() {
  const location = useLocation();
  return (
    <Group gap={4} component="nav" aria-label="Listening">
      {pages.map((page) => (
        <Button key={page.to} component={Link} to={page.to} size="xs" variant={location.pathname === page.to ? 'light' : 'subtle'}>
          {page.label}
        </Button>
      ))}
    </Group>
  );
}
