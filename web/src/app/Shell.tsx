import { Suspense, useState } from 'react';
import { ActionIcon, AppShell, Burger, Button, Group, Kbd, Menu, ScrollArea, Text, Tooltip, UnstyledButton, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { post } from './api';
import { useRealtime } from './realtime';
import { useRefreshSession, useSession } from './session';
import { CommandPalette } from '../features/search/CommandPalette';
import { Navigation } from './Navigation';
import { Notices } from './Notices';
import { ShortcutsHelp } from './ShortcutsHelp';
import { ErrorText } from '../ui/ErrorText';

/** The signed-in frame: header with search, workspace and account; navigation on the left; the page. */
export function Shell() {
  const { data: session } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [switchError, setSwitchError] = useState<unknown>(null);
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  const refresh = useRefreshSession();
  const navigate = useNavigate();
  const location = useLocation();
  useRealtime(Boolean(session?.workspace));
  useHotkeys([
    ['mod+K', () => setPaletteOpen(true)],
    ['shift+?', () => setHelpOpen(true)],
    ['/', () => setPaletteOpen(true)],
  ]);
  if (!session) return null;

  const signOut = async () => {
    await post('/api/v1/auth/sign-out').catch(() => undefined);
    await refresh();
    navigate('/sign-in');
  };
  const switchTo = async (workspaceId: string) => {
    setSwitchError(null);
    try {
      await post('/api/v1/auth/switch-workspace', { workspaceId });
      await refresh();
      navigate('/');
    } catch (error) {
      setSwitchError(error);
    }
  };

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding={0}>
      <a href="#main" className="skip-link">Skip to content</a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text component={Link} to="/" fw={800} size="lg" style={{ textDecoration: 'none', color: 'light-dark(var(--mantine-color-indigo-7), var(--mantine-color-indigo-3))' }}>
              Raving
            </Text>
            {session.workspaces.length > 0 && (
              <Menu position="bottom-start" withinPortal>
                <Menu.Target>
                  <UnstyledButton aria-label={`Workspace: ${session.workspace?.name ?? 'none'}. Switch workspace`} className="hide-phone" data-testid="workspace-switcher">
                    <Text size="sm" c="dimmed">
                      {session.workspace?.name ?? 'No workspace'} ▾
                    </Text>
                  </UnstyledButton>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>Workspaces</Menu.Label>
                  {session.workspaces.map((workspace) => (
                    <Menu.Item key={workspace.workspaceId} onClick={() => void switchTo(workspace.workspaceId)} disabled={workspace.workspaceId === session.workspace?.id}>
                      {workspace.name} <Text span size="xs" c="dimmed">({workspace.role})</Text>
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Button variant="default" size="xs" onClick={() => setPaletteOpen(true)} aria-keyshortcuts="Control+K Meta+K">
              <Text size="xs" mr={6} span>Search</Text>
              <Kbd size="xs" className="hide-phone">Ctrl K</Kbd>
            </Button>
            <Tooltip label="Keyboard shortcuts (?)">
              <ActionIcon variant="subtle" color="gray" aria-label="Keyboard shortcuts" onClick={() => setHelpOpen(true)} className="hide-phone">
                ?
              </ActionIcon>
            </Tooltip>
            <Tooltip label={scheme === 'dark' ? 'Light theme' : 'Dark theme'}>
              <ActionIcon variant="subtle" color="gray" aria-label={scheme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'} onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}>
                {scheme === 'dark' ? '☀' : '☾'}
              </ActionIcon>
            </Tooltip>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button variant="subtle" size="xs" aria-label={`Account: ${session.user.name}`} data-testid="account-menu">
                  {session.user.name.split(' ')[0]}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{session.user.email}</Menu.Label>
                {/* The header has no room for the workspace switcher on a phone: it lives here there. */}
                {session.workspaces.length > 1 ? <Menu.Label className="show-phone">Workspaces</Menu.Label> : null}
                {session.workspaces.length > 1
                  ? session.workspaces.map((workspace) => (
                      <Menu.Item key={workspace.workspaceId} className="show-phone" onClick={() => void switchTo(workspace.workspaceId)} disabled={workspace.workspaceId === session.workspace?.id}>
                        {workspace.name}
                      </Menu.Item>
                    ))
                  : null}
                <Menu.Item component={Link} to="/settings/account">Change password</Menu.Item>
                <Menu.Item onClick={() => void signOut()} data-testid="sign-out">Sign out</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <AppShell.Section grow component={ScrollArea} type="auto">
          <Navigation onNavigate={close} />
        </AppShell.Section>
        <AppShell.Section>
          {session.workspace ? (
            <Button component={Link} to="/settings" variant={location.pathname.startsWith('/settings') ? 'light' : 'subtle'} aria-current={location.pathname.startsWith('/settings') ? 'page' : undefined} color="gray" fullWidth justify="flex-start" onClick={close}>
              Settings
            </Button>
          ) : null}
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" style={{ height: '100dvh', display: 'flex', flexDirection: 'column' }}>
        {switchError ? <ErrorText error={switchError} /> : null}
        {/* The frame (navigation, counts) renders and starts its queries while a page's code still loads. */}
        <Suspense fallback={<Text c="dimmed" p="md">Loading…</Text>}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
      <CommandPalette opened={paletteOpen} onClose={() => setPaletteOpen(false)} />
      <ShortcutsHelp opened={helpOpen} onClose={() => setHelpOpen(false)} />
      <Notices />
    </AppShell>
  );
}
