import { Suspense } from 'react';
import { Box, NativeSelect, NavLink, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useFeatures } from '../../app/feature';
import { isManager, useSession } from '../../app/session';

export default function SettingsLayout() {
  const features = useFeatures();
  const { data: session } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const wide = useMediaQuery('(min-width: 48em)');
  const manager = isManager(session);
  const pages = features.flatMap((feature) => feature.settingsPages ?? []).filter((page) => manager || !page.managerOnly).sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
  const current = pages.find((page) => location.pathname === `/settings/${page.path}`)?.path;
  return (
    <div style={{ display: 'flex', flexDirection: wide ? 'row' : 'column', flex: 1, minHeight: 0 }}>
      {wide ? (
        <Box component="nav" aria-label="Settings" p="xs" style={{ width: 220, borderRight: '1px solid var(--mantine-color-default-border)', flexShrink: 0, overflowY: 'auto' }}>
          <Title order={1} size="h4" px="sm" py="xs">Settings</Title>
          <Stack gap={2}>
            {pages.map((page) => {
              const active = location.pathname === `/settings/${page.path}`;
              return <NavLink key={page.path} component={Link} to={`/settings/${page.path}`} label={page.label} active={active} aria-current={active ? 'page' : undefined} />;
            })}
          </Stack>
          {!manager ? <Text size="xs" c="dimmed" p="sm">Managers see staff, teams and more here.</Text> : null}
        </Box>
      ) : (
        // A phone has no room for a column of pages: one menu instead of rows of links.
        <Box component="nav" aria-label="Settings" px="md" pt="sm">
          <NativeSelect label="Settings page" value={current ?? ''} onChange={(event) => navigate(`/settings/${event.currentTarget.value}`)} data={[...(current ? [] : [{ value: '', label: 'Choose…' }]), ...pages.map((page) => ({ value: page.path, label: page.label }))]} />
        </Box>
      )}
      <ScrollArea style={{ flex: 1 }} type="auto">
        <Box p="md" maw={960}>
          <Suspense fallback={<Text c="dimmed">Loading…</Text>}>
            <Routes>
              <Route index element={<Navigate to={manager ? 'staff' : 'account'} replace />} />
              {pages.map((page) => (
                <Route key={page.path} path={page.path} element={page.element} />
              ))}
              <Route path="*" element={<Text>There is no such settings page.</Text>} />
            </Routes>
          </Suspense>
        </Box>
      </ScrollArea>
    </div>
  );
}
