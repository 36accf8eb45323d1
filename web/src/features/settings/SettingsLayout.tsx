import { Suspense } from 'react';
import { Box, NavLink, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useFeatures } from '../../app/feature';
import { isManager, useSession } from '../../app/session';

export default function SettingsLayout() {
  const features = useFeatures();
  const { data: session } = useSession();
  const location = useLocation();
  const wide = useMediaQuery('(min-width: 48em)');
  const manager = isManager(session);
  const pages = features.flatMap((feature) => feature.settingsPages ?? []).filter((page) => manager || !page.managerOnly).sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
  return (
    <div style={{ display: 'flex', flexDirection: wide ? 'row' : 'column', flex: 1, minHeight: 0 }}>
      <Box component="nav" aria-label="Settings" p="xs" style={{ width: wide ? 220 : undefined, borderRight: wide ? '1px solid var(--mantine-color-default-border)' : undefined, flexShrink: 0 }}>
        <Title order={1} size="h4" px="sm" py="xs">Settings</Title>
        <Stack gap={2} style={wide ? undefined : { flexDirection: 'row', flexWrap: 'wrap' }}>
          {pages.map((page) => (
            <NavLink key={page.path} component={Link} to={`/settings/${page.path}`} label={page.label} active={location.pathname === `/settings/${page.path}`} style={wide ? undefined : { width: 'auto' }} />
          ))}
        </Stack>
        {!manager ? <Text size="xs" c="dimmed" p="sm">Managers see staff, teams and more here.</Text> : null}
      </Box>
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
