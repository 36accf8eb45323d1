import type { ReactNode } from 'react';
import { Center, Paper, Stack, Text, Title } from '@mantine/core';

export function AuthFrame({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  return (
    <Center mih="100dvh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={440}>
        <Stack gap="md">
          <div>
            <Text fw={800} size="lg" style={{ color: 'light-dark(var(--mantine-color-indigo-7), var(--mantine-color-indigo-3))' }}>Raving</Text>
            <Title order={1} size="h2">{title}</Title>
            {subtitle ? <Text c="dimmed" size="sm" mt={4}>{subtitle}</Text> : null}
          </div>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}
